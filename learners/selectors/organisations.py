"""Reads behind the organisation screens (structures, venues, counsellors).

Coordinators see everything; a counsellor sees the venues of their own structure (read
only); anyone else nothing."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from common.types import AnyUser
from learners.models import Commune, Counsellor, Structure, Venue
from learners.roles import is_coordinator
from learners.scoping import scope_structure_id


def structures_for_user(*, user: AnyUser) -> QuerySet[Structure]:
    if not is_coordinator(user):
        return Structure.objects.none()
    return Structure.objects.select_related("commune").annotate(
        counsellor_count=Count("counsellors", distinct=True),
        venue_count=Count("venues", distinct=True),
    )


def venues_for_user(*, user: AnyUser) -> QuerySet[Venue]:
    scope = scope_structure_id(user)
    if scope is None:
        return Venue.objects.none()
    qs = Venue.objects.select_related("commune", "structure")
    if scope is not True:
        qs = qs.filter(structure_id=scope)
    return qs


def counsellors_for_user(*, user: AnyUser) -> QuerySet[Counsellor]:
    if not is_coordinator(user):
        return Counsellor.objects.none()
    return Counsellor.objects.select_related("user", "structure").prefetch_related(
        Prefetch("communes", queryset=Commune.objects.order_by("name"))
    )
