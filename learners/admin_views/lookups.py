"""JSON endpoints behind the admin's autocompletes (reserved to coordinators and
counsellors; a 403 with an empty list for anyone else).

- `learners_person_lookup` (`?q=helene[&seance=<id>]`): at most 10 people the user may
  see (`learners_for_user`: scoped by role, accents/case/hyphens ignored), each with the
  name shown in lists (first name and initial), birth year and commune, and `already`
  when the person is on that session's sheet. Reused by the person pages.
- `learners_commune_lookup` (`?q=landeronde` or `?q=85150`): at most 10 communes.

Both answer `{"results": [...]}`, never an error page, and need at least two letters or
digits.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _

from common.params import positive_int
from common.text import fold
from learners.roles import can_use_tracking
from learners.scoping import attendances_visible
from learners.selectors import learners_for_user
from learners.selectors.communes import commune_label, communes_search

MAX_RESULTS = 10
MIN_CHARS = 2
MAX_QUERY = 100


def _refused() -> JsonResponse:
    return JsonResponse(
        {"results": [], "error": _("Vous n'avez pas accès au suivi des personnes.")}, status=403
    )


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store, private"
    return response


def person_lookup(request):
    if not can_use_tracking(request.user):
        return _refused()
    query = request.GET.get("q", "")[:MAX_QUERY]
    if len(fold(query)) < MIN_CHARS:
        return _no_store(JsonResponse({"results": []}))
    people = list(learners_for_user(user=request.user, search=query)[:MAX_RESULTS])
    session_id = positive_int(request.GET.get("seance"))
    already: set[int] = set()
    if session_id is not None and people:
        already = set(
            attendances_visible(request.user)
            .filter(session_id=session_id, learner_id__in=[p.pk for p in people])
            .values_list("learner_id", flat=True)
        )
    results = []
    for person in people:
        details = [str(person.birth_year) if person.birth_year else ""]
        details.append(person.commune.name if person.commune_id else "")
        results.append(
            {
                "id": person.pk,
                "label": person.display_name,
                "detail": " · ".join(d for d in details if d),
                "already": person.pk in already,
            }
        )
    return _no_store(JsonResponse({"results": results}))


def commune_lookup(request):
    if not can_use_tracking(request.user):
        return _refused()
    communes = communes_search(query=request.GET.get("q", "")[:MAX_QUERY], limit=MAX_RESULTS)
    return JsonResponse(
        {
            "results": [
                {"code": c.insee_code, "label": commune_label(c), "name": c.name} for c in communes
            ]
        }
    )


urlpatterns = [
    path("suivi/recherche/personnes/", person_lookup, name="learners_person_lookup"),
    path("suivi/recherche/communes/", commune_lookup, name="learners_commune_lookup"),
]
