"""From raw figures (`learners.selectors.statistics.statistics_compute`) to the published
tables of the dashboard and of its exports, with small-cell suppression applied once for
the whole page (`learners.statistics.suppression`).

Every figure about people (distinct people, presences, anonymous participants, people
observed or in progress, people at an atelier cycle) is a *sensitive cell* with a key;
the same figure shown in two tables has the same key, so it is hidden in both or in
neither. Every "total = sum of parts" that a reader could use for a subtraction is a
`Constraint`, including parts the page never shows (people already known = reached − new;
people not in progress = observed − in progress). Sessions and hours describe the
counsellors' activity, not people, and are always shown.

Derived figures follow their inputs: a retention rate is hidden when its numerator or
denominator is; a median of levels gained is hidden when the number of people it is
computed over is.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.age_bands import AgeBand, AgeBand2021
from learners.choices import Gender, SessionKind, SocialStatus
from learners.selectors.statistics import NONE, OTHER

from .suppression import Constraint, suppress, suppressed_label, suppression_threshold

# Column kinds: how a value is written.
COUNT = "count"
HOURS = "hours"
PERCENT = "percent"
DECIMAL = "decimal"


@dataclass
class Cell:
    value: int | float | None
    text: str
    suppressed: bool = False
    # How the value is written when it differs from its column's (the hours row of the
    # headline table, whose column holds counts): exports format the cell by it.
    kind: str = COUNT

    @property
    def export_value(self):
        """What a spreadsheet cell holds: the number, or the text "< 5" / "—"."""
        return self.text if self.value is None else self.value


@dataclass
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Chart:
    """What to draw from a table: `kind` "bar" (one column) or "lines" (several), over
    the table's non-total rows."""

    kind: str
    columns: tuple[str, ...]
    title: str


@dataclass
class Table:
    key: str
    caption: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""
    chart: Chart | None = None
    wide: bool = False

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


@dataclass
class Report:
    """The published dashboard: tables (suppression applied) and the headline figures."""

    tables: list[Table]
    threshold: int
    suppressed_count: int
    headline: dict[str, Cell] = field(default_factory=dict)
    # What the suppression saw: (sensitive values, constraints, hidden keys), for checks.
    suppression_inputs: tuple = field(default=(), repr=False)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# Cell specifications before suppression -------------------------------------------------


@dataclass(frozen=True)
class _Sensitive:
    key: tuple


@dataclass(frozen=True)
class _Plain:
    value: int | float | None
    kind: str | None = None  # None: the column's kind


@dataclass(frozen=True)
class _Ratio:
    numerator: tuple
    denominator: tuple


@dataclass(frozen=True)
class _Median:
    gains: tuple  # ((gain, count), ...)
    population: tuple  # key of the count it is computed over


class _Builder:
    def __init__(self) -> None:
        self.values: dict[tuple, int] = {}
        self.constraints: list[Constraint] = []

    def sensitive(self, key: tuple, value: int) -> _Sensitive:
        value = int(value or 0)
        previous = self.values.setdefault(key, value)
        if previous != value:  # pragma: no cover - a programming error
            raise ValueError(f"Two values for {key!r}: {previous} and {value}")
        return _Sensitive(key)

    def constraint(self, total: tuple, parts) -> None:
        parts = tuple(parts)
        if parts:
            self.constraints.append(Constraint(total, parts))


def _half_up(value: float, places: int) -> Decimal:
    """Rounded as people round (2,25 → 2,3; 12,5 % → 13 %), where `round()` on a float
    rounds half to even and is fooled by binary fractions."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _fmt_number(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == HOURS or kind == DECIMAL:
        return formats.number_format(_half_up(value, 1), decimal_pos=1, force_grouping=True)
    if kind == PERCENT:
        return f"{formats.number_format(_half_up(value, 0), decimal_pos=0)} %"
    return formats.number_format(int(value), force_grouping=True)


def _median(gains: tuple) -> float | None:
    """Median of a histogram ((value, count), ...)."""
    items = sorted((int(g), int(n)) for g, n in gains if n)
    total = sum(n for _g, n in items)
    if not total:
        return None

    def nth(index: int) -> int:
        seen = 0
        for gain, n in items:
            seen += n
            if index < seen:
                return gain
        return items[-1][0]  # pragma: no cover

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _hours(minutes: int) -> float:
    """Hours to one decimal, rounded half up as people round (135 min is 2,3 h, where
    `round()` on a float would give 2,2 and `int()` 2): the headline, the tables, the
    exports and the API all show this one figure."""
    return float(_half_up(Decimal(minutes or 0) / 60, 1))


def _month_label(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return formats.date_format(datetime.date(year, number, 1), "F Y")


class _TableSpec:
    def __init__(self, key, caption, row_header, columns, note="", chart=None, wide=False):
        self.key = key
        self.caption = caption
        self.row_header = row_header
        self.columns = columns
        self.note = note
        self.chart = chart
        self.wide = wide
        self.rows: list[tuple[str, str, list, bool]] = []

    def add(self, key, label, cells, total=False):
        self.rows.append((str(key), str(label), cells, total))


@dataclass(frozen=True)
class _Totals:
    """The whole-period cells that close most tables (their "Ensemble" row)."""

    people: _Sensitive
    new: _Sensitive
    presences: _Sensitive
    anonymous: _Sensitive
    participations: _Sensitive
    observed: _Sensitive
    progressed: _Sensitive


def _totals(b: _Builder, data: dict) -> _Totals:
    people = b.sensitive(("people",), data["people"])
    new = b.sensitive(("people", "new"), data["new_people"])
    b.sensitive(("people", "known"), data["people"] - data["new_people"])
    b.constraint(("people",), [("people", "new"), ("people", "known")])
    presences = b.sensitive(("presences",), data["presences"])
    anonymous = b.sensitive(("anonymous",), data["anonymous"])
    participations = b.sensitive(("participations",), data["presences"] + data["anonymous"])
    b.constraint(("participations",), [("presences",), ("anonymous",)])
    progress = data["progress"]
    observed = b.sensitive(("progress", "observed"), progress["observed"])
    progressed = b.sensitive(("progress", "progressed"), progress["progressed"])
    b.sensitive(("progress", "not"), progress["observed"] - progress["progressed"])
    b.constraint(("progress", "observed"), [("progress", "progressed"), ("progress", "not")])
    return _Totals(people, new, presences, anonymous, participations, observed, progressed)


def _headline_table(data: dict, t: _Totals) -> _TableSpec:
    headline = _TableSpec(
        "headline", _("Chiffres clés"), _("Indicateur"), [Column("value", _("Valeur"))]
    )
    headline.add("people", _("Personnes accompagnées (distinctes)"), [t.people])
    headline.add("new_people", _("dont nouvelles personnes"), [t.new])
    headline.add("sessions", _("Séances"), [_Plain(data["sessions"])])
    # Snapshots computed before cancellations existed have no such key.
    headline.add(
        "cancelled_sessions",
        _("Séances annulées (non comptées)"),
        [_Plain(data.get("cancelled_sessions", 0))],
    )
    headline.add("hours", _("Heures d'accompagnement"), [_Plain(_hours(data["minutes"]), HOURS)])
    headline.add("presences", _("Présences"), [t.presences])
    headline.add("anonymous", _("Participants anonymes"), [t.anonymous])
    headline.add("participations", _("Participations (présences + anonymes)"), [t.participations])
    headline.add("observed", _("Personnes dont une compétence a été observée"), [t.observed])
    headline.add("progressed", _("Personnes ayant gagné au moins un niveau"), [t.progressed])
    return headline


# Sessions by kind -----------------------------------------------------------------------


def _kinds_table(b: _Builder, data: dict, t: _Totals) -> _TableSpec:
    kinds = _TableSpec(
        "kinds",
        _("Séances, heures et participations par type de séance"),
        _("Type de séance"),
        [
            Column("sessions", _("Séances")),
            Column("hours", _("Heures"), HOURS),
            Column("people", _("Personnes distinctes")),
            Column("presences", _("Présences")),
            Column("anonymous", _("Participants anonymes")),
            Column("participations", _("Participations")),
        ],
        note=_(
            "Une personne venue à deux types de séance compte dans chacun : la colonne "
            "« Personnes distinctes » ne s'additionne pas."
        ),
        chart=Chart("bar", ("sessions",), _("Séances par type")),
    )
    for kind in SessionKind:
        k = data["kinds"][kind.value]
        kinds.add(
            kind.value,
            kind.label,
            [
                _Plain(k["sessions"]),
                _Plain(_hours(k["minutes"])),
                b.sensitive(("people", "kind", kind.value), k["people"]),
                b.sensitive(("presences", "kind", kind.value), k["presences"]),
                b.sensitive(("anonymous", "kind", kind.value), k["anonymous"]),
                b.sensitive(
                    ("participations", "kind", kind.value), k["presences"] + k["anonymous"]
                ),
            ],
        )
        b.constraint(
            ("participations", "kind", kind.value),
            [("presences", "kind", kind.value), ("anonymous", "kind", kind.value)],
        )
    for measure in ("presences", "anonymous", "participations"):
        b.constraint((measure,), [(measure, "kind", k.value) for k in SessionKind])
    kinds.add(
        "total",
        _("Ensemble"),
        [
            _Plain(data["sessions"]),
            _Plain(_hours(data["minutes"])),
            t.people,
            t.presences,
            t.anonymous,
            t.participations,
        ],
        total=True,
    )
    return kinds


# Monthly trend ----------------------------------------------------------------------------


def _monthly_table(b: _Builder, data: dict, t: _Totals) -> _TableSpec:
    monthly = _TableSpec(
        "monthly",
        _("Évolution mois par mois"),
        _("Mois"),
        [
            Column("people", _("Personnes distinctes")),
            Column("sessions", _("Séances")),
            Column("presences", _("Présences")),
            Column("anonymous", _("Participants anonymes")),
        ],
        note=_("Une personne venue plusieurs mois compte dans chacun de ces mois."),
        chart=Chart("lines", ("people", "sessions"), _("Personnes et séances par mois")),
    )
    for row in data["monthly"]:
        m = row["month"]
        monthly.add(
            m,
            _month_label(m),
            [
                b.sensitive(("people", "month", m), row["people"]),
                _Plain(row["sessions"]),
                b.sensitive(("presences", "month", m), row["presences"]),
                b.sensitive(("anonymous", "month", m), row["anonymous"]),
            ],
        )
    for measure in ("presences", "anonymous"):
        b.constraint((measure,), [(measure, "month", r["month"]) for r in data["monthly"]])
    monthly.add(
        "total",
        _("Ensemble"),
        [t.people, _Plain(data["sessions"]), t.presences, t.anonymous],
        True,
    )
    return monthly


# Themes -----------------------------------------------------------------------------------


def _theme_label(row: dict) -> str:
    if row["key"] is None:
        return _("Sans thématique")
    if row["parent"]:
        return f"{row['parent']} › {row['name']}"
    return row["name"]


def _themes_table(b: _Builder, data: dict) -> _TableSpec:
    themes = _TableSpec(
        "themes",
        _("Participation par thématique"),
        _("Thématique"),
        [
            Column("sessions", _("Séances")),
            Column("people", _("Personnes distinctes")),
            Column("presences", _("Présences")),
            Column("anonymous", _("Participants anonymes")),
        ],
        note=_("Une séance peut avoir plusieurs thématiques : les lignes ne s'additionnent pas."),
        chart=Chart("bar", ("people",), _("Personnes distinctes par thématique")),
    )
    for row in data["themes"]:
        key = "none" if row["key"] is None else str(row["key"])
        themes.add(
            key,
            _theme_label(row),
            [
                _Plain(row["sessions"]),
                b.sensitive(("people", "theme", key), row["people"]),
                b.sensitive(("presences", "theme", key), row["presences"]),
                b.sensitive(("anonymous", "theme", key), row["anonymous"]),
            ],
        )
    return themes


# Commune of residence × age band (the partition of people by commune and by band) --------


def _people_by(cube) -> defaultdict:
    """People counted by commune (× band), band, 2021 band, gender and social status."""
    by: defaultdict = defaultdict(int)
    for bucket, band, band_2021, gender, social, _is_new, n in cube:
        by[("res", bucket, band)] += n
        by[("res", bucket)] += n
        by[("band", band)] += n
        by[("band21", band_2021)] += n
        by[("gender", gender)] += n
        by[("social", social)] += n
    return by


def _residence_note(top: int) -> str:
    note = _(
        "Chaque personne compte une fois, dans sa tranche d'âge à la date de sa première "
        "séance de la période."
    )
    if not top:  # « Les 0 communes… » says nothing
        return note
    detail = ngettext(
        "La commune comptant le plus de personnes est détaillée.",
        "Les %(top)d communes comptant le plus de personnes sont détaillées.",
        top,
    ) % {"top": top}
    return f"{note} {detail}"


def _residence_spec(data: dict) -> _TableSpec:
    return _TableSpec(
        "residence",
        _("Personnes par commune de résidence et tranche d'âge"),
        _("Commune de résidence"),
        [Column(band.value, band.label) for band in AgeBand]
        + [Column("people", _("Ensemble")), Column("presences", _("Présences"))],
        note=_residence_note(len(data["residence_top"])),
        chart=Chart("bar", ("people",), _("Personnes par commune de résidence")),
        wide=True,
    )


def _residence_table(b: _Builder, data: dict, t: _Totals, by: defaultdict) -> _TableSpec:
    residence_rows = [(r["key"], r["name"]) for r in data["residence_top"]]
    residence_rows += [(OTHER, _("Autres communes")), (NONE, _("Non renseignée"))]
    bands = list(AgeBand)
    residence = _residence_spec(data)
    presences_by_residence = data["residence_presences"]
    for code, name in residence_rows:
        residence.add(
            code,
            name,
            [
                b.sensitive(("people", "res", code, band.value), by[("res", code, band.value)])
                for band in bands
            ]
            + [
                b.sensitive(("people", "res", code), by[("res", code)]),
                b.sensitive(("presences", "res", code), presences_by_residence.get(code, 0)),
            ],
        )
        b.constraint(
            ("people", "res", code), [("people", "res", code, band.value) for band in bands]
        )
    for band in bands:
        b.sensitive(("people", "band", band.value), by[("band", band.value)])
        b.constraint(
            ("people", "band", band.value),
            [("people", "res", code, band.value) for code, _name in residence_rows],
        )
    b.constraint(("people",), [("people", "res", code) for code, _name in residence_rows])
    b.constraint(("people",), [("people", "band", band.value) for band in bands])
    b.constraint(("presences",), [("presences", "res", code) for code, _name in residence_rows])
    residence.add(
        "total",
        _("Ensemble"),
        [_Sensitive(("people", "band", band.value)) for band in bands] + [t.people, t.presences],
        total=True,
    )
    return residence


# Age bands, gender (with anonymous participants), 2021 bands, social status --------------


@dataclass(frozen=True)
class _Dimension:
    """A partition of people shown as its own table."""

    key: str  # the table's key
    caption: str
    header: str
    choices: list
    name: str  # the dimension's name in the sensitive keys and in `_people_by`


def _with_anonymous_table(
    b: _Builder,
    data: dict,
    t: _Totals,
    by: defaultdict,
    *,
    dimension: _Dimension,
    anonymous_counts: dict,
    chart_title: str,
) -> _TableSpec:
    spec = _TableSpec(
        dimension.key,
        dimension.caption,
        dimension.header,
        [
            Column("people", _("Personnes")),
            Column("anonymous", _("Participants anonymes")),
            Column("all", _("Ensemble")),
        ],
        note=_(
            "« Ensemble » ajoute aux personnes les participants anonymes des séances "
            "collectives, comme le compte national d'activité."
        ),
        chart=Chart("bar", ("people",), chart_title),
    )
    name, choices = dimension.name, dimension.choices
    for choice in choices:
        v = choice.value
        count_people = by[(name, v)]
        count_anonymous = anonymous_counts.get(v, 0)
        spec.add(
            v,
            choice.label,
            [
                b.sensitive(("people", name, v), count_people),
                b.sensitive(("anonymous", name, v), count_anonymous),
                b.sensitive(("all", name, v), count_people + count_anonymous),
            ],
        )
        b.constraint(("all", name, v), [("people", name, v), ("anonymous", name, v)])
    b.sensitive(("all", name), data["people"] + data["anonymous"])
    b.constraint(("all", name), [("people",), ("anonymous",)])
    b.constraint(("people",), [("people", name, c.value) for c in choices])
    b.constraint(("anonymous",), [("anonymous", name, c.value) for c in choices])
    b.constraint(("all", name), [("all", name, c.value) for c in choices])
    spec.add("total", _("Ensemble"), [t.people, t.anonymous, _Sensitive(("all", name))], True)
    return spec


def _people_only_table(
    b: _Builder, t: _Totals, by: defaultdict, dimension: _Dimension
) -> _TableSpec:
    spec = _TableSpec(
        dimension.key,
        dimension.caption,
        dimension.header,
        [Column("people", _("Personnes"))],
        chart=Chart("bar", ("people",), dimension.caption),
    )
    name, choices = dimension.name, dimension.choices
    for choice in choices:
        spec.add(
            choice.value,
            choice.label,
            [b.sensitive(("people", name, choice.value), by[(name, choice.value)])],
        )
    b.constraint(("people",), [("people", name, c.value) for c in choices])
    spec.add("total", _("Ensemble"), [t.people], True)
    return spec


def _people_tables(b: _Builder, data: dict, t: _Totals, by: defaultdict) -> list[_TableSpec]:
    age_bands = _Dimension(
        "age_bands",
        _("Personnes par tranche d'âge (à la date de la séance)"),
        _("Tranche d'âge"),
        list(AgeBand),
        "band",
    )
    gender = _Dimension("gender", _("Personnes par genre"), _("Genre"), list(Gender), "gender")
    bands_2021 = _Dimension(
        "age_bands_2021",
        _("Tranches d'âge 2021-2024 (pour comparaison)"),
        _("Tranche d'âge"),
        list(AgeBand2021),
        "band21",
    )
    social = _Dimension(
        "social", _("Personnes par statut"), _("Statut"), list(SocialStatus), "social"
    )
    return [
        _with_anonymous_table(
            b,
            data,
            t,
            by,
            dimension=age_bands,
            anonymous_counts=data["anonymous_by_band"],
            chart_title=_("Personnes par tranche d'âge"),
        ),
        _with_anonymous_table(
            b,
            data,
            t,
            by,
            dimension=gender,
            anonymous_counts=data["anonymous_by_gender"],
            chart_title=_("Personnes par genre"),
        ),
        _people_only_table(b, t, by, bands_2021),
        _people_only_table(b, t, by, social),
    ]


# Venue communes ---------------------------------------------------------------------------


def _venue_label(code, name: str) -> str:
    return {OTHER: _("Autres communes"), NONE: _("Sans lieu (à domicile, à distance…)")}.get(
        code, name
    )


def _venues_table(b: _Builder, data: dict, t: _Totals) -> _TableSpec:
    venues = _TableSpec(
        "venue_communes",
        _("Activité par commune du lieu de la séance"),
        _("Commune du lieu"),
        [
            Column("sessions", _("Séances")),
            Column("hours", _("Heures"), HOURS),
            Column("people", _("Personnes distinctes")),
            Column("presences", _("Présences")),
            Column("anonymous", _("Participants anonymes")),
        ],
        note=_(
            "Une personne venue dans deux communes compte dans chacune : la colonne "
            "« Personnes distinctes » ne s'additionne pas."
        ),
        chart=Chart("bar", ("presences",), _("Présences par commune du lieu")),
    )
    venue_rows = data["venue_communes"]["rows"]
    for row in venue_rows:
        code = row["key"]
        venues.add(
            code,
            _venue_label(code, row["name"]),
            [
                _Plain(row["sessions"]),
                _Plain(_hours(row["minutes"])),
                b.sensitive(("people", "venue", code), row["people"]),
                b.sensitive(("presences", "venue", code), row["presences"]),
                b.sensitive(("anonymous", "venue", code), row["anonymous"]),
            ],
        )
    b.constraint(("presences",), [("presences", "venue", r["key"]) for r in venue_rows])
    b.constraint(("anonymous",), [("anonymous", "venue", r["key"]) for r in venue_rows])
    venues.add(
        "total",
        _("Ensemble"),
        [
            _Plain(data["sessions"]),
            _Plain(_hours(data["minutes"])),
            t.people,
            t.presences,
            t.anonymous,
        ],
        total=True,
    )
    return venues


# Progression by competence ----------------------------------------------------------------


def _progress_table(b: _Builder, data: dict, t: _Totals) -> _TableSpec:
    progress_spec = _TableSpec(
        "progress",
        _("Progression par compétence"),
        _("Compétence"),
        [
            Column("observed", _("Personnes observées")),
            Column("progressed", _("dont en progrès")),
            Column("median", _("Médiane des niveaux gagnés"), DECIMAL),
        ],
        note=_(
            "Niveaux gagnés : meilleur niveau observé dans la période moins le niveau au "
            "début de la période (ou, à défaut, à la première observation de la période). "
            "La médiane porte sur toutes les personnes observées."
        ),
        chart=Chart("bar", ("progressed",), _("Personnes en progrès par compétence")),
    )
    for row in data["progress"]["rows"]:
        cid = str(row["key"])
        gains = tuple(sorted((int(g), n) for g, n in row["gains"].items()))
        count_observed = sum(n for _g, n in gains)
        count_progressed = sum(n for g, n in gains if g > 0)
        b.sensitive(("progress", "not", cid), count_observed - count_progressed)
        progress_spec.add(
            cid,
            f"{row['code']} {row['name']}",
            [
                b.sensitive(("progress", "observed", cid), count_observed),
                b.sensitive(("progress", "progressed", cid), count_progressed),
                _Median(gains, ("progress", "observed", cid)),
            ],
        )
        b.constraint(
            ("progress", "observed", cid),
            [("progress", "progressed", cid), ("progress", "not", cid)],
        )
    progress_spec.add(
        "total",
        _("Ensemble (personnes distinctes)"),
        [t.observed, t.progressed, _Plain(None)],
        True,
    )
    return progress_spec


# Atelier cycles ---------------------------------------------------------------------------


def _retention_spec() -> _TableSpec:
    return _TableSpec(
        "retention",
        _("Cycles d'ateliers : présence de la première à la dernière séance"),
        _("Déroulé d'atelier"),
        [
            Column("cycles", _("Cycles")),
            Column("started", _("Personnes à la première séance")),
            Column("retained", _("dont présentes à la dernière")),
            Column("rate", _("Taux de maintien"), PERCENT),
        ],
        note=_(
            "Un cycle : les séances d'un même déroulé animées par une même structure dans la "
            "période (au moins deux séances)."
        ),
        chart=Chart("bar", ("rate",), _("Taux de maintien par déroulé (%)")),
    )


def _retention_table(b: _Builder, data: dict) -> _TableSpec:
    retention = data["retention"]
    retention_spec = _retention_spec()
    for row in retention["rows"]:
        aid = str(row["key"])
        b.sensitive(("retention", "dropped", aid), row["started"] - row["retained"])
        retention_spec.add(
            aid,
            row["name"],
            [
                _Plain(row["cycles"]),
                b.sensitive(("retention", "started", aid), row["started"]),
                b.sensitive(("retention", "retained", aid), row["retained"]),
                _Ratio(("retention", "retained", aid), ("retention", "started", aid)),
            ],
        )
        b.constraint(
            ("retention", "started", aid),
            [("retention", "retained", aid), ("retention", "dropped", aid)],
        )
    rows = retention["rows"]
    b.sensitive(("retention", "started"), retention["started"])
    b.sensitive(("retention", "retained"), retention["retained"])
    b.sensitive(("retention", "dropped"), retention["started"] - retention["retained"])
    for measure in ("started", "retained", "dropped"):
        b.constraint(("retention", measure), [("retention", measure, str(r["key"])) for r in rows])
    b.constraint(("retention", "started"), [("retention", "retained"), ("retention", "dropped")])
    retention_spec.add(
        "total",
        _("Ensemble"),
        [
            _Plain(retention["cycles"]),
            _Sensitive(("retention", "started")),
            _Sensitive(("retention", "retained")),
            _Ratio(("retention", "retained"), ("retention", "started")),
        ],
        total=True,
    )
    return retention_spec


# From specifications to published tables ------------------------------------------------


@dataclass(frozen=True)
class _Materialiser:
    """Turns cell specifications into published cells, once suppression has decided."""

    values: dict[tuple, int]
    hidden: set
    label: str

    def cell(self, spec_cell, column: Column) -> Cell:
        if isinstance(spec_cell, _Sensitive):
            if spec_cell.key in self.hidden:
                return self.suppressed()
            value = self.values[spec_cell.key]
            return Cell(value, _fmt_number(value, column.kind), kind=column.kind)
        if isinstance(spec_cell, _Ratio):
            return self.ratio(spec_cell)
        if isinstance(spec_cell, _Median):
            if spec_cell.population in self.hidden:
                return self.suppressed()
            value = _median(spec_cell.gains)
            return Cell(value, _fmt_number(value, DECIMAL), kind=DECIMAL)
        kind = spec_cell.kind or column.kind
        return Cell(spec_cell.value, _fmt_number(spec_cell.value, kind), kind=kind)

    def ratio(self, spec_cell: _Ratio) -> Cell:
        if spec_cell.numerator in self.hidden or spec_cell.denominator in self.hidden:
            return self.suppressed()
        denominator = self.values[spec_cell.denominator]
        if not denominator:
            return Cell(None, "—")
        value = round(100 * self.values[spec_cell.numerator] / denominator, 1)
        return Cell(value, _fmt_number(value, PERCENT), kind=PERCENT)

    def suppressed(self) -> Cell:
        return Cell(None, self.label, suppressed=True)

    def table(self, spec: _TableSpec) -> Table:
        rows = [
            Row(
                key=key,
                label=label_text,
                cells=[self.cell(c, col) for c, col in zip(cells, spec.columns, strict=True)],
                is_total=total,
            )
            for key, label_text, cells, total in spec.rows
        ]
        return Table(
            key=spec.key,
            caption=str(spec.caption),
            row_header=str(spec.row_header),
            columns=[Column(c.key, str(c.label), c.kind) for c in spec.columns],
            rows=rows,
            note=str(spec.note),
            chart=spec.chart,
            wide=spec.wide,
        )


def _table_specs(b: _Builder, data: dict) -> list[_TableSpec]:
    """Every table in page order. The order of the calls is also the order in which
    sensitive cells and constraints are registered: keep it."""
    t = _totals(b, data)
    specs = [
        _headline_table(data, t),
        _kinds_table(b, data, t),
        _monthly_table(b, data, t),
        _themes_table(b, data),
    ]
    by = _people_by(data["people_cube"])
    specs.append(_residence_table(b, data, t, by))
    specs += _people_tables(b, data, t, by)
    specs += [
        _venues_table(b, data, t),
        _progress_table(b, data, t),
        _retention_table(b, data),
    ]
    return specs


def report_build(data: dict, *, threshold: int | None = None) -> Report:
    """The published tables of `data` (raw figures), with suppression applied."""
    if threshold is None:
        threshold = suppression_threshold()
    b = _Builder()
    specs = _table_specs(b, data)
    hidden = suppress(b.values, b.constraints, threshold=threshold)
    materialiser = _Materialiser(b.values, hidden, suppressed_label(threshold))
    report = Report(
        tables=[materialiser.table(spec) for spec in specs],
        threshold=threshold,
        suppressed_count=len(hidden),
        suppression_inputs=(b.values, b.constraints, hidden),
    )
    headline_table = report.table("headline")
    report.headline = {row.key: row.cells[0] for row in headline_table.rows}
    return report
