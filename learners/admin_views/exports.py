"""Spreadsheet exports (thin: `learners.services.exports` builds the file).

URL name `learners_export` with the `kind` argument (people, sessions, attendance, venues,
observations, activity) and the GET parameter `format=csv|xlsx` (csv by default). Lists
link to it with their own query string, so the export holds what the list shows:

- people: `q` (the search box of "Personnes");
- sessions: `periode=passees|a_venir` (absent: all dates), `miennes=1`;
- attendance: `seance=<id>` (one attendance sheet);
- observations: `personne=<id>` (one person);
- sessions, attendance, observations, activity: `du=` / `au=` (a date, `2024-03-25` or
  `25/03/2024`; `au` is included).

Example: ``reverse("learners_export", args=["people"]) + "?format=xlsx&q=durand"``.
Anonymous users are sent to the login page, users without a tracking role get 403.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from common.params import positive_int
from common.spreadsheets import date_parse
from learners.roles import can_use_tracking
from learners.selectors.exports import ExportFilters
from learners.services.exports import FORMATS, KINDS, ExportTooLarge, export_build


class BadFilter(ValueError):
    pass


def _int(value: str | None, what: str) -> int | None:
    if not value:
        return None
    number = positive_int(value)
    if number is None:
        raise BadFilter(_("Le numéro de %(what)s doit être un nombre.") % {"what": what})
    return number


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return date_parse(value)
    except ValueError:
        raise BadFilter(
            _("Date non reconnue : « %(value)s ». Écrivez-la 25/03/2024 ou 2024-03-25.")
            % {"value": value[:20]}
        ) from None


def export_filters(params) -> ExportFilters:
    """The list filters carried by the export link (BadFilter: a French message)."""
    start_from = _date(params.get("du"))
    until = _date(params.get("au"))
    start_before = until + datetime.timedelta(days=1) if until else None
    period = params.get("periode", "")
    today = timezone.localdate()
    if period == "passees":
        start_before = min(start_before or today, today)
    elif period == "a_venir":
        start_from = max(start_from or today, today)
    return ExportFilters(
        query=params.get("q", "").strip()[:100],
        start_from=start_from,
        start_before=start_before,
        mine_only=params.get("miennes") == "1",
        session_id=_int(params.get("seance"), _("séance")),
        learner_id=_int(params.get("personne"), _("personne")),
    )


def _back(request) -> str:
    """The list the export was asked from (same site only), else the import/export page."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("learners_imports")


def export_view(request, kind: str):
    if kind not in KINDS:
        raise Http404
    if not can_use_tracking(request.user):
        raise PermissionDenied
    fmt = request.GET.get("format", "csv").lower()
    if fmt not in FORMATS:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou Excel (.xlsx)."))
        return redirect("learners_imports")
    try:
        filters = export_filters(request.GET)
    except BadFilter as exc:
        messages.error(request, str(exc))
        return redirect("learners_imports")
    try:
        export = export_build(user=request.user, kind=kind, format=fmt, filters=filters)
    except ExportTooLarge as exc:
        messages.error(request, exc.messages[0])
        return redirect(_back(request))
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("suivi/exports/<str:kind>/", export_view, name="learners_export"),
]
