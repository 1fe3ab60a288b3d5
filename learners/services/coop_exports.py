"""The files of La Coop de la médiation numérique's layouts (`learners.national.coop_*`):
its activity worksheet and its beneficiaries import template. `export_build` (in
`exports`) checks the role, the size and writes the audit row; these build the bytes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import csv_write
from common.types import AnyUser
from learners.models import Learner
from learners.national import coop_activities, coop_beneficiaries
from learners.national.coop_workbook import activity_workbook, beneficiaries_workbook
from learners.roles import is_coordinator
from learners.selectors.coop import coop_activity_data
from learners.selectors.exports import ExportFilters

COOP_KINDS = ("coop_activity", "coop_people")
# The Coop's role labels (getUserRoleLabel).
ROLE_COORDINATOR = "Coordinateur"
ROLE_COUNSELLOR = "Médiateur"
NONE = "-"


def _period(filters: ExportFilters) -> str:
    if not filters.start_from and not filters.start_before:
        return NONE
    last = filters.start_before - datetime.timedelta(days=1) if filters.start_before else None
    if filters.start_from and last:
        return _("Du %(start)s au %(end)s") % {
            "start": f"{filters.start_from:%d/%m/%Y}",
            "end": f"{last:%d/%m/%Y}",
        }
    if filters.start_from:
        return _("À partir du %(start)s") % {"start": f"{filters.start_from:%d/%m/%Y}"}
    return _("Jusqu'au %(end)s") % {"end": f"{last:%d/%m/%Y}"}


def _metadata(user: AnyUser, total: int) -> list[tuple[str, Any]]:
    now = timezone.localtime()
    return [
        ("Nom", getattr(user, "last_name", "") or NONE),
        ("Prénom", getattr(user, "first_name", "") or NONE),
        ("Rôle", ROLE_COORDINATOR if is_coordinator(user) else ROLE_COUNSELLOR),
        ("Total", total),
        ("Date d'export", f"{now:%d/%m/%Y}"),
        ("Heure d'export", f"{now:%H:%M}"),
    ]


def _filters(filters: ExportFilters) -> list[tuple[str, str]]:
    """The Coop's « Filtres » block: ours is the period only."""
    labels = (
        "Source",
        "Lieux d’accompagnement",
        "Communes",
        "Départements",
        "Type d’accompagnement",
        "Rôle",
        "Thématiques non administratives",
        "Thématiques administratives",
        "Tags",
    )
    return [("Période", _period(filters)), *((label, NONE) for label in labels)]


def coop_activity_file(*, user: AnyUser, filters: ExportFilters, format: str) -> tuple[bytes, int]:
    """(bytes, lines): a counsellor gets the Coop's own-activity layout (with names), a
    coordinator the network layout (with the counsellor, without names)."""
    self_export = not is_coordinator(user)
    data = coop_activity_data(user=user, filters=filters)
    headers = coop_activities.columns(self_export=self_export)
    lines = list(coop_activities.activity_lines(data, self_export=self_export))
    if format == "csv":
        return csv_write(headers, lines), len(lines)
    content, _count = activity_workbook(
        metadata=_metadata(user, len(lines)),
        filters=_filters(filters),
        headers=headers,
        lines=lines,
    )
    return content, len(lines)


def coop_people_file(*, people: QuerySet[Learner], format: str) -> tuple[bytes, int]:
    people = people.select_related("commune")
    if format == "csv":
        lines = list(coop_beneficiaries.beneficiary_lines(people))
        return csv_write(coop_beneficiaries.FLAT_HEADERS, lines), len(lines)
    return beneficiaries_workbook(
        instructions=coop_beneficiaries.INSTRUCTIONS,
        headers=coop_beneficiaries.HEADERS,
        sub_headers=coop_beneficiaries.SUB_HEADERS,
        merged=coop_beneficiaries.MERGED,
        lines=coop_beneficiaries.beneficiary_lines(people.iterator(chunk_size=2000)),
        genders=coop_beneficiaries.GENRE_VALUES,
    )
