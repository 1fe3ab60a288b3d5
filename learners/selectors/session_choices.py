"""What the session form offers a user: the session's structure, then that structure's
venues and counsellors, and the atelier curricula. Only one structure's venues and
counsellors are ever offered (and accepted): at national scale the whole network's would
be thousands of options.
"""

from __future__ import annotations

from django.db.models import QuerySet

from common.types import AnyUser
from learners.models import Counsellor, Session, Structure, Venue
from learners.roles import counsellor_structure, is_coordinator
from workshops.models import AtelierPage


def structure_lookup(value: str | None) -> Structure | None:
    """The structure whose id is `value` (a query-string or form value), else None:
    malformed and unknown ids are ignored."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return Structure.objects.filter(pk=int(value)).first()


def session_structure_chosen(
    *,
    user: AnyUser,
    session: Session | None = None,
    posted: str | None = None,
    requested: str | None = None,
) -> Structure | None:
    """The structure whose venues and counsellors the form offers: the session's when
    editing; for a coordinator's creation the `posted` structure, else the `requested` one
    (`?structure=`), else their own; a counsellor's own otherwise."""
    own_structure = counsellor_structure(user)
    if session is not None:
        return session.structure
    if is_coordinator(user):
        return structure_lookup(posted) or structure_lookup(requested) or own_structure
    return own_structure


def session_venue_choices(
    *, structure: Structure | None, session: Session | None = None
) -> list[Venue]:
    """The structure's active venues by name, and the session's own venue first when it is
    no longer among them (so editing never loses it)."""
    venues: list[Venue] = []
    if structure is not None:
        venues = list(
            Venue.objects.filter(is_active=True, structure=structure)
            .select_related("commune")
            .order_by("name")
        )
    if session is not None and session.venue_id and session.venue_id not in {v.pk for v in venues}:
        assert session.venue is not None  # venue_id is set
        venues.insert(0, session.venue)
    return venues


def session_counsellor_choices(*, structure: Structure | None) -> QuerySet[Counsellor]:
    """The structure's counsellors by name; none without a structure."""
    counsellors = Counsellor.objects.select_related("user", "structure")
    counsellors = (
        counsellors.filter(structure=structure) if structure is not None else counsellors.none()
    )
    return counsellors.order_by("user__first_name", "user__last_name")


def live_ateliers() -> QuerySet[AtelierPage]:
    return AtelierPage.objects.live().order_by("title").prefetch_related("themes", "competences")


def session_atelier_choices(*, session: Session | None = None) -> QuerySet[AtelierPage]:
    """The live curricula; when editing, the session's own too even if unpublished since."""
    if session is not None and session.atelier_id:
        return AtelierPage.objects.filter(
            pk__in=[*live_ateliers().values_list("pk", flat=True), session.atelier_id]
        ).order_by("title")
    return live_ateliers()
