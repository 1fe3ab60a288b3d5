"""/api/v1/statistiques (scope `statistiques`): the dashboard's figures, as a document.

The figures are exactly the dashboard's: the same selection (`StatisticsFilters`), the
same computation or stored snapshot (`learners.statistics.dashboard`), the same published
report with small-cell suppression applied once (`learners.statistics.report`). A hidden
figure never leaves: its value is `null` and its column is listed in the row's
`masquees`, whether it is small or hidden so that it cannot be found by subtraction.

A key bound to a structure reads that structure's figures (the dashboard of a structure
manager); any other key reads the network's. A selection too large to compute during the
request is computed by a worker (as on the dashboard): the answer is then 202 with
`Retry-After`, and the same request later returns the figures.
"""

from __future__ import annotations

import datetime
import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import ClientKey
from api.documents import KEYED_ERRORS, ErrorDocument
from api.errors import ApiError, bad_parameter
from api.scopes import Scope
from learners.selectors.statistics import (
    MAX_PERIOD_DAYS,
    SCOPE_NETWORK,
    SCOPE_STRUCTURE,
    StatisticsFilters,
    StatisticsScope,
)
from learners.statistics.dashboard import Dashboard, statistics_dashboard_for_scope
from learners.statistics.report import Report, Table

router = Router(tags=["Statistiques"], auth=ClientKey(Scope.STATISTICS))

RESOURCE_TYPE = "statistiques"
START = "filter[periode][debut]"
END = "filter[periode][fin]"
DEPARTMENT = "filter[departement]"
STRUCTURE = "filter[structure]"
KNOWN = frozenset({START, END, DEPARTMENT, STRUCTURE})
RETRY_AFTER_SECONDS = 60
# Dates far outside any activity would overflow the time zone conversions.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class StatisticsQuery(Schema):
    start: datetime.date | None = Field(
        None, alias=START, description="premier jour de la période (défaut : 1er janvier)"
    )
    end: datetime.date | None = Field(
        None, alias=END, description="dernier jour de la période, inclus (défaut : 31 décembre)"
    )
    department: str | None = Field(
        None,
        alias=DEPARTMENT,
        pattern=r"^(\d{2,3}|2[AB])$",
        description=(
            "code du département du lieu de la séance (de la commune de la structure pour "
            "une séance à domicile ou à distance), par exemple 85 ou 2A"
        ),
    )
    structure: int | None = Field(
        None, alias=STRUCTURE, ge=1, le=2**31 - 1, description="identifiant d'une structure"
    )


class Column(Schema):
    cle: str
    libelle: str
    type: str = Field(description="count, hours, percent ou decimal")


class Line(Schema):
    cle: str
    libelle: str
    total: bool = Field(description="ligne de total (« Ensemble »)")
    valeurs: dict[str, float | int | None] = Field(
        description="valeur par colonne ; null : masquée (voir masquees) ou sans objet"
    )
    masquees: list[str] = Field(description="colonnes masquées par le secret statistique")


class StatTable(Schema):
    cle: str
    titre: str
    colonnes: list[Column]
    lignes: list[Line]
    note: str


class Period(Schema):
    debut: datetime.date
    fin: datetime.date


class StatisticsAttributes(Schema):
    perimetre: str = Field(description="reseau ou structure (celle de la clé)")
    structure_id: str | None
    periode: Period
    departement: str | None
    seuil_secret: int = Field(
        description="une valeur de 1 à seuil − 1 n'est jamais publiée, ni ce qui la révélerait"
    )
    valeurs_masquees: int
    calcule_le: datetime.datetime
    instantane: bool = Field(description="lu dans un calcul stocké (grandes sélections)")
    tableaux: list[StatTable]


class StatisticsResource(Schema):
    type: str = Field(description="statistiques")
    id: str
    attributes: StatisticsAttributes


class StatisticsDocument(Schema):
    data: StatisticsResource
    links: dict[str, str] = Field(description="self : l'adresse de ce document")


class PendingMeta(Schema):
    statut: str = Field(description="en_cours : le calcul est confié à un processus de fond")
    reessayer_dans: int = Field(description="secondes")


class PendingDocument(Schema):
    meta: PendingMeta


def _filters_check(request: HttpRequest, query: StatisticsQuery) -> StatisticsFilters:
    for name in request.GET:
        # page[...] means nothing here (one document, not a list) and is ignored.
        if name.startswith("filter[") and name not in KNOWN:
            raise bad_parameter(
                name,
                _("Paramètre inconnu. Les paramètres reconnus : %(known)s.")
                % {"known": ", ".join(sorted(KNOWN))},
                code="parametre_inconnu",
            )
    year = timezone.localdate().year
    start = query.start or datetime.date(year, 1, 1)
    end = query.end or datetime.date(year, 12, 31)
    for name, day in ((START, start), (END, end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise bad_parameter(
                name,
                _("Choisissez une date entre %(first)s et %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
    if end < start:
        raise bad_parameter(END, _("La fin de la période précède son début."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise bad_parameter(END, _("La période est trop longue : dix ans au plus."))
    return StatisticsFilters(
        start=start,
        end=end,
        structure_id=query.structure,
        department_code=query.department,
    )


def _scope(request: HttpRequest, filters: StatisticsFilters) -> StatisticsScope:
    structure_id = getattr(request.auth, "structure_id", None)
    if structure_id is None:
        return StatisticsScope(level=SCOPE_NETWORK)
    if filters.structure_id not in (None, structure_id):
        raise ApiError(
            403,
            "hors_perimetre",
            _("Structure hors du périmètre de la clé"),
            _("Cette clé ne donne accès qu'aux statistiques de sa structure."),
            parameter=STRUCTURE,
        )
    return StatisticsScope(level=SCOPE_STRUCTURE, structure_id=structure_id)


def _table(table: Table) -> dict:
    return {
        "cle": table.key,
        "titre": str(table.caption),
        "colonnes": [
            {"cle": c.key, "libelle": str(c.label), "type": c.kind} for c in table.columns
        ],
        "lignes": [
            {
                "cle": row.key,
                "libelle": str(row.label),
                "total": row.is_total,
                "valeurs": {
                    col.key: (None if cell.suppressed else cell.value)
                    for col, cell in zip(table.columns, row.cells, strict=True)
                },
                "masquees": [
                    col.key
                    for col, cell in zip(table.columns, row.cells, strict=True)
                    if cell.suppressed
                ],
            }
            for row in table.rows
        ],
        "note": str(table.note),
    }


def _document(request: HttpRequest, dashboard: Dashboard, report: Report) -> dict:
    scope, filters = dashboard.scope, dashboard.filters
    assert dashboard.computed_at is not None  # a report has its computation time
    key = [scope.level, scope.structure_id, filters.start, filters.end]
    key += [filters.structure_id, filters.department_code]
    return {
        "data": {
            "type": RESOURCE_TYPE,
            "id": ":".join("" if part is None else str(part) for part in key),
            "attributes": {
                "perimetre": "structure" if scope.level == SCOPE_STRUCTURE else "reseau",
                "structure_id": str(scope.structure_id) if scope.structure_id else None,
                "periode": {"debut": filters.start.isoformat(), "fin": filters.end.isoformat()},
                "departement": filters.department_code,
                "seuil_secret": report.threshold,
                "valeurs_masquees": report.suppressed_count,
                "calcule_le": dashboard.computed_at.astimezone(datetime.UTC).isoformat(),
                "instantane": dashboard.from_snapshot,
                "tableaux": [_table(table) for table in report.tables],
            },
        },
        "links": {"self": request.build_absolute_uri()},
    }


def _json(document: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
        status=status,
    )


@router.get(
    "/statistiques",
    response={200: StatisticsDocument, 202: PendingDocument, **KEYED_ERRORS, 403: ErrorDocument},
    summary="statistiques d'activité (avec secret statistique)",
    description=(
        "Les chiffres du tableau de bord « Statistiques » pour une période (par défaut "
        "l'année civile en cours), le réseau entier ou un département, une structure : "
        "personnes accompagnées, séances, présences, participants anonymes, répartitions "
        "par type de séance, mois, thématique, tranche d'âge, genre, commune, progression. "
        "Une valeur de 1 à 4 personnes (seuil réglable) n'est jamais publiée, ni une valeur "
        "qui permettrait de la retrouver par différence : elle vaut null et sa colonne est "
        "listée dans masquees. Droit `statistiques` ; une clé liée à une structure ne lit "
        "que ses chiffres. Réponse 202 (avec Retry-After) quand le calcul est confié à un "
        "processus de fond : refaites la même demande plus tard."
    ),
)
def statistics(request: HttpRequest, query: Query[StatisticsQuery]):
    filters = _filters_check(request, query)
    dashboard = statistics_dashboard_for_scope(scope=_scope(request, filters), filters=filters)
    if dashboard.report is None:
        response = _json(
            {"meta": {"statut": "en_cours", "reessayer_dans": RETRY_AFTER_SECONDS}}, status=202
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _json(_document(request, dashboard, dashboard.report))
