"""Structures and counsellors as the `structures` scope publishes them: public,
professional fields only (never a counsellor's e-mail, phone or username)."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from api.models import ApiClient
from learners.models import Commune, Counsellor, Structure


def api_structures(*, client: ApiClient) -> QuerySet[Structure]:
    """The structures the client may read: its own if its key is bound to one, else all.
    `modified`: the structure's last change."""
    structures = Structure.objects.select_related("commune").annotate(modified=F("updated_at"))
    if client.structure_id is not None:
        structures = structures.filter(pk=client.structure_id)
    return structures


def api_counsellors(*, client: ApiClient) -> QuerySet[Counsellor]:
    """The active counsellors (a departed one's account is deactivated, as data·inclusion
    reads them) of the structures the client may read. `modified`: the
    profile's last save (a move to another structure; a renamed account does not
    bump it)."""
    counsellors = (
        Counsellor.objects.filter(user__is_active=True)
        .select_related("user", "structure")
        .prefetch_related(Prefetch("communes", queryset=Commune.objects.only("insee_code", "name")))
        .annotate(modified=F("updated_at"))
    )
    if client.structure_id is not None:
        counsellors = counsellors.filter(structure_id=client.structure_id)
    return counsellors
