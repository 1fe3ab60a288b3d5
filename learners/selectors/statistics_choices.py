"""What the statistics filters offer, by the user's `StatisticsScope`: the coordination
chooses among every structure, a structure manager among their structure's counsellors and
venues, a counsellor among venues only (their own sessions). The statistics selectors apply
the scope again, so a forged id never widens what is counted.
"""

from __future__ import annotations

from django.db.models import QuerySet

from learners.models import Counsellor, Structure, Venue
from learners.selectors.statistics import SCOPE_COUNSELLOR, SCOPE_NETWORK, StatisticsScope


def statistics_structure_choices(*, scope: StatisticsScope) -> QuerySet[Structure] | None:
    """Every structure for the network's scope; None (no structure filter) otherwise."""
    if scope.level == SCOPE_NETWORK:
        return Structure.objects.order_by("name")
    return None


def statistics_counsellor_choices(*, scope: StatisticsScope) -> QuerySet[Counsellor] | None:
    """The scope's counsellors by name; None (no counsellor filter) for a counsellor."""
    if scope.level == SCOPE_COUNSELLOR:
        return None
    counsellors = Counsellor.objects.select_related("user", "structure").order_by(
        "user__last_name", "user__first_name", "pk"
    )
    if scope.level != SCOPE_NETWORK:
        counsellors = counsellors.filter(structure=scope.structure_id)
    return counsellors


def statistics_venue_choices(*, scope: StatisticsScope) -> QuerySet[Venue]:
    """The scope's venues by name (every venue for the network)."""
    venues = Venue.objects.select_related("commune").order_by("name", "pk")
    if scope.level != SCOPE_NETWORK:
        venues = venues.filter(structure=scope.structure_id)
    return venues
