"""Network statistics: the figures of the "Statistiques" dashboard.

`statistics_scope(user=...)` says what a user may see; `statistics_compute(user=...,
filters=...)` computes the raw figures (exact counts, before small-cell suppression, as a
JSON-serialisable dict) in a fixed number of aggregate queries (about twenty) whatever the
amount of data: every count, distinct count and median is computed by the database
(`annotate`, `Count(distinct=True)`, `Subquery`, `Exists`); Python only reshapes the
grouped rows, whose number is bounded by the reference data (kinds, bands, themes,
competences, the top communes, the months of the period), never by the number of people.
`learners.statistics.report` turns these figures into published tables with suppression.

Definitions (shown on the page too):

- **scope**: a coordinator sees the network; a structure manager
  (`Counsellor.is_structure_manager`) the sessions of their structure; a counsellor the
  sessions they ran (listed among the session's counsellors). Anyone else: PermissionDenied.
- **activity in the period**: sessions starting from `start` 00:00 to `end` 24:00 (local
  time), within the scope and the filters (structure, counsellor, venue, session kind,
  theme or one of its sub-themes). Attendance counts only "présent".
- **commune filter** (commune of residence): attendance-based figures keep the people living
  there; session figures keep the sessions attended by at least one of them; anonymous
  participants (whose commune is unknown) are left out.
- **people reached**: distinct people present at least once (one person seen by two
  counsellors or structures counts once); **new**: those whose first attendance anywhere in
  the network falls in the period.
- **per-person breakdowns** (age band, gender, social status, commune of residence) are a
  partition of the people reached: each person is counted once, with the age band at the
  date of their first session in the period (age = session year − birth year, see
  `learners.age_bands`).
- **presences**: attendance records "présent"; **anonymous participants**: people counted
  without a record at collective sessions; **participations** = presences + anonymous
  participants, as the national activity record counts them.
- **progression**: among the people reached, those observed (counsellor observation or
  self-assessment; for a structure or a counsellor, the observations their structure
  recorded only) on a competence in the period; their gain on it is the best level
  observed in the period minus the level at the start of the period (their last
  observation before it, or else their first one in it), never below 0.
- **atelier cycles**: the sessions of one atelier curriculum run by one structure in the
  period (at least two sessions); retention is the share of the people present at the
  first session of the cycle who are present at its last one. Choose the period of one run
  to follow one cycle.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.types import AnyUser
from learners.age_bands import SCHEME_2021, SCHEME_CURRENT, age_band_expression
from learners.choices import AttendanceStatus, SessionKind
from learners.models import (
    AnonymousParticipants,
    Attendance,
    CompetenceSummary,
    Learner,
    Observation,
    Session,
)
from learners.roles import user_roles

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# How many communes (of residence, of venues) are listed one by one; the others are summed.
TOP_COMMUNES = 20
OTHER = "_autres"
NONE = "_aucune"
# The longest period the dashboard accepts (the monthly trend has one row per month).
MAX_PERIOD_DAYS = 366 * 10

SCOPE_NETWORK = "network"
SCOPE_STRUCTURE = "structure"
SCOPE_COUNSELLOR = "counsellor"


@dataclass(frozen=True)
class StatisticsScope:
    """What the requesting user may see: the network, one structure, or one counsellor's
    own sessions."""

    level: str
    structure_id: int | None = None
    counsellor_id: int | None = None

    @property
    def label(self) -> str:
        return str(
            {
                SCOPE_NETWORK: _("l'ensemble du réseau"),
                SCOPE_STRUCTURE: _("votre structure"),
                SCOPE_COUNSELLOR: _("vos propres séances"),
            }[self.level]
        )


@dataclass(frozen=True)
class StatisticsFilters:
    """The dashboard's filters (parsed from the query string by
    `learners.forms.statistics.StatisticsFilterForm`). Dates are inclusive."""

    start: datetime.date
    end: datetime.date
    structure_id: int | None = None
    counsellor_id: int | None = None
    venue_id: int | None = None
    commune_code: str | None = None
    kind: str | None = None
    theme_id: int | None = None
    # The département of the session's venue, or of its structure's commune when it has
    # no venue (at home, remote): the read API's `filter[departement]`.
    department_code: str | None = None

    @classmethod
    def year(cls, year: int, **kwargs: Any) -> StatisticsFilters:
        return cls(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), **kwargs)

    @classmethod
    def from_dict(cls, data: dict) -> StatisticsFilters:
        """The inverse of `as_dict` (for task arguments)."""
        values = dict(data)
        values["start"] = datetime.date.fromisoformat(values["start"])
        values["end"] = datetime.date.fromisoformat(values["end"])
        return cls(**values)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        if data["department_code"] is None:
            # Left out when unused, so the keys of the snapshots stored before this filter
            # existed (`snapshots.snapshot_key` hashes this dict) stay valid.
            del data["department_code"]
        return data


def statistics_scope(*, user: AnyUser) -> StatisticsScope:
    """The scope of `user`'s dashboard; PermissionDenied for anyone without a tracking role
    (partner editors, anonymous users, counsellors without a profile)."""
    roles = user_roles(user)
    if roles.is_coordinator:
        return StatisticsScope(level=SCOPE_NETWORK)
    if roles.is_counsellor and roles.counsellor is not None:
        counsellor = roles.counsellor
        if counsellor.is_structure_manager:
            return StatisticsScope(level=SCOPE_STRUCTURE, structure_id=counsellor.structure_id)
        return StatisticsScope(
            level=SCOPE_COUNSELLOR,
            structure_id=counsellor.structure_id,
            counsellor_id=counsellor.pk,
        )
    raise PermissionDenied(_("Vous n'avez pas accès aux statistiques."))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def period_bounds(filters: StatisticsFilters) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, day after end 00:00) in the site's time zone."""
    return _local_midnight(filters.start), _local_midnight(filters.end + datetime.timedelta(days=1))


class _Base:
    """The filtered querysets every figure starts from."""

    def __init__(self, scope: StatisticsScope, filters: StatisticsFilters):
        self.scope = scope
        self.filters = filters
        self.low, self.high = period_bounds(filters)
        # Cancelled sessions are kept apart: never an accompaniment held, counted alone
        # (`cancelled_sessions`). `session_q` leaves them out of every other figure.
        self.sessions_with_cancelled = Session.objects.filter(
            self.session_q("", "pk", with_cancelled=True)
        )
        self.sessions = self.sessions_with_cancelled.filter(cancelled_at__isnull=True)
        attendances = Attendance.objects.filter(status=AttendanceStatus.PRESENT).filter(
            self.session_q("session__", "session_id")
        )
        if filters.commune_code:
            attendances = attendances.filter(learner__commune_id=filters.commune_code)
        self.attendances = attendances
        if filters.commune_code:
            self.anonymous = None  # their commune is unknown
        else:
            self.anonymous = AnonymousParticipants.objects.filter(
                self.session_q("session__", "session_id")
            )
        self.people = Learner.objects.filter(pk__in=self.attendances.values("learner_id"))
        if filters.commune_code:
            # Said twice on purpose: lets PostgreSQL start from the commune's people.
            self.people = self.people.filter(commune_id=filters.commune_code)

    def session_q(self, prefix: str, session_ref: str, *, with_cancelled: bool = False) -> Q:
        """Conditions on a session reached through `prefix` ("" on Session, "session__"
        elsewhere); `session_ref` is the outer reference to the session's id. Cancelled
        sessions are left out unless `with_cancelled`."""
        f = self.filters
        q = Q(**{f"{prefix}start__gte": self.low, f"{prefix}start__lt": self.high})
        if not with_cancelled:
            q &= Q(**{f"{prefix}cancelled_at__isnull": True})
        through_counsellors = Session.counsellors.through.objects
        if self.scope.level == SCOPE_STRUCTURE:
            q &= Q(**{f"{prefix}structure_id": self.scope.structure_id})
        elif self.scope.level == SCOPE_COUNSELLOR:
            q &= Q(
                Exists(
                    through_counsellors.filter(
                        session_id=OuterRef(session_ref), counsellor=self.scope.counsellor_id
                    )
                )
            )
        q &= self._fields_q(prefix)
        if f.counsellor_id is not None:
            q &= Q(
                Exists(
                    through_counsellors.filter(
                        session_id=OuterRef(session_ref), counsellor_id=f.counsellor_id
                    )
                )
            )
        if f.theme_id is not None:
            q &= Q(
                Exists(
                    Session.themes.through.objects.filter(
                        Q(theme_id=f.theme_id) | Q(theme__parent_id=f.theme_id),
                        session_id=OuterRef(session_ref),
                    )
                )
            )
        if f.commune_code and prefix == "":
            q &= Q(
                Exists(
                    Attendance.objects.filter(
                        session_id=OuterRef(session_ref),
                        status=AttendanceStatus.PRESENT,
                        learner__commune_id=f.commune_code,
                    )
                )
            )
        return q

    def _fields_q(self, prefix: str) -> Q:
        """The filters on the session's own columns (structure, venue, kind, département)."""
        f = self.filters
        q = Q()
        if f.structure_id is not None:
            q &= Q(**{f"{prefix}structure_id": f.structure_id})
        if f.venue_id is not None:
            q &= Q(**{f"{prefix}venue_id": f.venue_id})
        if f.kind:
            q &= Q(**{f"{prefix}kind": f.kind})
        if f.department_code:
            q &= Q(**{f"{prefix}venue__commune__department_code": f.department_code}) | Q(
                **{
                    f"{prefix}venue__isnull": True,
                    f"{prefix}structure__commune__department_code": f.department_code,
                }
            )
        return q


def base_attendances(scope: StatisticsScope, filters: StatisticsFilters) -> QuerySet[Attendance]:
    """The attendance records ("présent") every figure of this selection starts from."""
    return _Base(scope, filters).attendances


def _distinct_people() -> Count:
    return Count("learner_id", distinct=True)


def _bucket(field: str, top: list[str]) -> Case:
    """The commune code when among `top`, NONE when missing, else OTHER."""
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(NONE)),
        When(**{f"{field}__in": top}, then=F(field)),
        default=Value(OTHER),
        output_field=CharField(),
    )


def _int(value: int | None) -> int:
    return int(value or 0)


def statistics_compute(*, user: AnyUser, filters: StatisticsFilters) -> dict:
    """The raw (unsuppressed) figures for `user`'s scope and `filters`, as a dict of plain
    values (JSON-serialisable, so it can be stored as a snapshot). PermissionDenied for a
    user without access. See the module docstring for the definitions."""
    scope = statistics_scope(user=user)
    return statistics_compute_for_scope(scope=scope, filters=filters)


def statistics_compute_for_scope(*, scope: StatisticsScope, filters: StatisticsFilters) -> dict:
    """`statistics_compute` for an already checked scope (used by the snapshot refresh)."""
    base = _Base(scope, filters)
    data: dict = {"filters": filters.as_dict(), "scope": asdict(scope)}
    with transaction.atomic(), _reporting_session():
        data.update(_headline_and_kinds(base))
        data["themes"] = _themes(base)
        data["venue_communes"] = _venue_communes(base)
        data.update(_people_cube(base))
        data["residence_presences"] = _residence_presences(base, data["residence_top"])
        data["monthly"] = _monthly(base)
        data["progress"] = _progress(base)
        data["retention"] = _retention(base)
    return data


@contextmanager
def _reporting_session() -> Iterator[None]:
    """On PostgreSQL, turn JIT compilation off for these aggregate queries (within the
    transaction only): their plans have many small correlated subqueries, which PostgreSQL
    costs high enough to compile, and compiling them took longer than running them (about
    2 s per query on the benchmark). One extra statement; nothing on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    yield


def _headline_and_kinds(base: _Base) -> dict:
    totals = base.attendances.aggregate(people=_distinct_people(), presences=Count("id"))
    new_people = base.people.filter(
        ~Exists(
            Attendance.objects.filter(
                learner_id=OuterRef("pk"),
                status=AttendanceStatus.PRESENT,
                session__start__lt=base.low,
            )
        )
    ).count()
    kinds = {
        kind.value: {"sessions": 0, "minutes": 0, "people": 0, "presences": 0, "anonymous": 0}
        for kind in SessionKind
    }
    held = Q(cancelled_at__isnull=True)
    cancelled = 0
    for row in base.sessions_with_cancelled.values("kind").annotate(
        n=Count("id", filter=held),
        minutes=Sum("duration_minutes", filter=held),
        cancelled=Count("id", filter=~held),
    ):
        cancelled += row["cancelled"]
        if row["kind"] in kinds:
            kinds[row["kind"]]["sessions"] = row["n"]
            kinds[row["kind"]]["minutes"] = _int(row["minutes"])
    for reached in base.attendances.values("session__kind").annotate(
        people=_distinct_people(), presences=Count("id")
    ):
        if reached["session__kind"] in kinds:
            kinds[reached["session__kind"]]["people"] = reached["people"]
            kinds[reached["session__kind"]]["presences"] = reached["presences"]
    anonymous_by_band: dict[str, int] = {}
    anonymous_by_gender: dict[str, int] = {}
    if base.anonymous is not None:
        for counted in base.anonymous.values("session__kind", "age_band", "gender").annotate(
            n=Sum("count")
        ):
            n = _int(counted["n"])
            if counted["session__kind"] in kinds:
                kinds[counted["session__kind"]]["anonymous"] += n
            band, gender = counted["age_band"], counted["gender"]
            anonymous_by_band[band] = anonymous_by_band.get(band, 0) + n
            anonymous_by_gender[gender] = anonymous_by_gender.get(gender, 0) + n
    return {
        "people": totals["people"],
        "new_people": new_people,
        "presences": totals["presences"],
        "anonymous": sum(k["anonymous"] for k in kinds.values()),
        "sessions": sum(k["sessions"] for k in kinds.values()),
        "cancelled_sessions": cancelled,
        "minutes": sum(k["minutes"] for k in kinds.values()),
        "kinds": kinds,
        "anonymous_by_band": anonymous_by_band,
        "anonymous_by_gender": anonymous_by_gender,
    }


def _themes(base: _Base) -> list[dict]:
    """Per theme (and "none"): sessions, distinct people, presences, anonymous participants.
    A session with two themes counts under both, so the rows do not sum to the totals."""
    rows: dict = {}

    def row(
        theme_id: int | None,
        name: str | None = None,
        parent: str | None = None,
        order: int | None = None,
    ) -> dict[str, Any]:
        if theme_id not in rows:
            rows[theme_id] = {
                "key": theme_id,
                "name": name,
                "parent": parent,
                "order": order,
                "sessions": 0,
                "people": 0,
                "presences": 0,
                "anonymous": 0,
            }
        entry = rows[theme_id]
        if name is not None:
            entry.update(name=name, parent=parent, order=order)
        return entry

    for r in base.sessions.values(
        "themes", "themes__name", "themes__parent__name", "themes__sort_order"
    ).annotate(n=Count("id")):
        row(r["themes"], r["themes__name"], r["themes__parent__name"], r["themes__sort_order"])[
            "sessions"
        ] = r["n"]
    for reached in base.attendances.values("session__themes").annotate(
        people=_distinct_people(), presences=Count("id")
    ):
        entry = row(reached["session__themes"])
        entry["people"] = reached["people"]
        entry["presences"] = reached["presences"]
    if base.anonymous is not None:
        for counted in base.anonymous.values("session__themes").annotate(n=Sum("count")):
            row(counted["session__themes"])["anonymous"] = _int(counted["n"])
    return sorted(
        rows.values(),
        key=lambda e: (e["key"] is None, -e["sessions"], e["order"] or 0, e["name"] or ""),
    )


def _venue_communes(base: _Base) -> dict:
    """Per commune of the venue (the first TOP_COMMUNES by sessions, then "other communes",
    then sessions without a venue: at home, remote): sessions, hours, people, presences,
    anonymous participants. Sessions, presences and anonymous sum to the totals."""
    top = list(
        base.sessions.filter(venue__isnull=False)
        .values("venue__commune_id", "venue__commune__name")
        .annotate(n=Count("id"))
        .order_by("-n", "venue__commune__name", "venue__commune_id")[:TOP_COMMUNES]
    )
    top_codes = [r["venue__commune_id"] for r in top]
    rows: dict[str, dict[str, Any]] = {
        r["venue__commune_id"]: {"key": r["venue__commune_id"], "name": r["venue__commune__name"]}
        for r in top
    }
    rows[OTHER] = {"key": OTHER, "name": None}
    rows[NONE] = {"key": NONE, "name": None}
    for entry in rows.values():
        entry.update(sessions=0, minutes=0, people=0, presences=0, anonymous=0)
    for r in (
        base.sessions.annotate(bucket=_bucket("venue__commune_id", top_codes))
        .values("bucket")
        .annotate(n=Count("id"), minutes=Sum("duration_minutes"))
    ):
        rows[r["bucket"]]["sessions"] = r["n"]
        rows[r["bucket"]]["minutes"] = _int(r["minutes"])
    for reached in (
        base.attendances.annotate(bucket=_bucket("session__venue__commune_id", top_codes))
        .values("bucket")
        .annotate(people=_distinct_people(), presences=Count("id"))
    ):
        rows[reached["bucket"]]["people"] = reached["people"]
        rows[reached["bucket"]]["presences"] = reached["presences"]
    if base.anonymous is not None:
        for counted in (
            base.anonymous.annotate(bucket=_bucket("session__venue__commune_id", top_codes))
            .values("bucket")
            .annotate(n=Sum("count"))
        ):
            rows[counted["bucket"]]["anonymous"] = _int(counted["n"])
    return {"rows": list(rows.values())}


def _people_cube(base: _Base) -> dict:
    """One grouped query over the people reached: counts by (commune of residence bucket,
    age band, 2021 age band, gender, social status, new), from which every per-person
    breakdown is summed. Its size is bounded by the reference lists, not by the data."""
    top = list(
        base.people.filter(commune__isnull=False)
        .values("commune_id", "commune__name")
        .annotate(n=Count("id"))
        .order_by("-n", "commune__name", "commune_id")[:TOP_COMMUNES]
    )
    top_codes = [r["commune_id"] for r in top]

    def band_at_first_session(scheme: str) -> Subquery:
        # One subquery returning the band code: referencing an annotated first date in
        # the CASE of every band would repeat the subquery once per band.
        return Subquery(
            base.attendances.filter(learner_id=OuterRef("pk"))
            .annotate(
                band=age_band_expression(
                    birth_year="learner__birth_year", on="session__start", scheme=scheme
                )
            )
            .order_by("session__start")
            .values("band")[:1],
            output_field=CharField(),
        )

    is_new = ~Exists(
        Attendance.objects.filter(
            learner_id=OuterRef("pk"),
            status=AttendanceStatus.PRESENT,
            session__start__lt=base.low,
        )
    )
    cube = (
        base.people.annotate(
            bucket=_bucket("commune_id", top_codes),
            band=band_at_first_session(SCHEME_CURRENT),
            band_2021=band_at_first_session(SCHEME_2021),
            is_new=is_new,
        )
        .values("bucket", "band", "band_2021", "gender", "social_status", "is_new")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "residence_top": [{"key": r["commune_id"], "name": r["commune__name"]} for r in top],
        "people_cube": [
            [
                r["bucket"],
                r["band"],
                r["band_2021"],
                r["gender"],
                r["social_status"],
                bool(r["is_new"]),
                r["n"],
            ]
            for r in cube
        ],
    }


def _residence_presences(base: _Base, top: list[dict]) -> dict[str, int]:
    codes = [r["key"] for r in top]
    return {
        r["bucket"]: r["n"]
        for r in base.attendances.annotate(bucket=_bucket("learner__commune_id", codes))
        .values("bucket")
        .annotate(n=Count("id"))
    }


def _month_key(value: object) -> str:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime.date):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)[:7]


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _monthly(base: _Base) -> list[dict]:
    rows = {
        m: {"month": m, "people": 0, "sessions": 0, "presences": 0, "anonymous": 0}
        for m in _months(base.filters.start, base.filters.end)
    }
    for r in (
        base.attendances.annotate(month=TruncMonth("session__start"))
        .values("month")
        .annotate(people=_distinct_people(), presences=Count("id"))
    ):
        entry = rows.get(_month_key(r["month"]))
        if entry is not None:
            entry["people"] = r["people"]
            entry["presences"] = r["presences"]
    for held in (
        base.sessions.annotate(month=TruncMonth("start")).values("month").annotate(n=Count("id"))
    ):
        entry = rows.get(_month_key(held["month"]))
        if entry is not None:
            entry["sessions"] = held["n"]
    if base.anonymous is not None:
        for counted in (
            base.anonymous.annotate(month=TruncMonth("session__start"))
            .values("month")
            .annotate(n=Sum("count"))
        ):
            entry = rows.get(_month_key(counted["month"]))
            if entry is not None:
                entry["anonymous"] = _int(counted["n"])
    return list(rows.values())


class PairGain(TypedDict):
    """What `_progress_pairs` annotates."""

    gain: int | None


def _progress_pairs(base: _Base) -> QuerySet[WithAnnotations[CompetenceSummary, PairGain]]:
    """(person, competence) pairs of the people reached, annotated with `gain`: best level
    observed in the period − level at its start, at least 0; None when the pair has no
    observation in the period (its summary's dates only frame the period)."""
    start, end = base.filters.start, base.filters.end
    observations = Observation.objects.filter(
        learner_id=OuterRef("learner_id"), competence_id=OuterRef("competence_id")
    )
    if base.scope.level != SCOPE_NETWORK:
        # A structure's figures use the levels it recorded itself (`learners.scoping`).
        observations = observations.filter(structure=base.scope.structure_id)
    in_period = observations.filter(observed_on__gte=start, observed_on__lte=end)
    best = Subquery(in_period.order_by("-level__rank").values("level__rank")[:1])
    before = Subquery(
        observations.filter(observed_on__lt=start)
        .order_by("-observed_on", "-id")
        .values("level__rank")[:1]
    )
    first_in_period = Subquery(in_period.order_by("observed_on", "id").values("level__rank")[:1])
    pairs = CompetenceSummary.objects.filter(
        learner_id__in=base.attendances.values("learner_id"),
        first_observed_on__lte=end,
        last_observed_on__gte=start,
    )
    gain: Expression = Greatest(best - Coalesce(before, first_in_period), Value(0))
    if base.scope.level != SCOPE_NETWORK:
        # For a structure the summary's dates (network-wide) no longer guarantee an
        # observation in the period: None without one (PostgreSQL's GREATEST would turn
        # the NULL into 0).
        gain = Case(When(Exists(in_period), then=gain), default=None, output_field=IntegerField())
    return pairs.annotate(gain=gain)


def _progress(base: _Base) -> dict:
    pairs = _progress_pairs(base)
    # Per person: their largest gain over the competences (None: not observed).
    people = (
        pairs.values("learner_id")
        .annotate(top=Max("gain"))
        .aggregate(
            observed=Count("learner_id", filter=Q(top__isnull=False)),
            progressed=Count("learner_id", filter=Q(top__gt=0)),
        )
    )
    competences: dict[int, dict] = {}
    for r in (
        pairs.values(
            "competence_id",
            "competence__code",
            "competence__name",
            "competence__sort_order",
            "competence__framework__name",
            "gain",
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        if r["gain"] is None:
            continue
        entry = competences.setdefault(
            r["competence_id"],
            {
                "key": r["competence_id"],
                "code": r["competence__code"],
                "name": r["competence__name"],
                "framework": r["competence__framework__name"],
                "order": r["competence__sort_order"],
                "gains": {},
            },
        )
        entry["gains"][str(r["gain"])] = entry["gains"].get(str(r["gain"]), 0) + r["n"]
    rows = sorted(
        competences.values(), key=lambda e: (e["framework"] or "", e["order"] or 0, e["code"])
    )
    return {
        "observed": people["observed"] or 0,
        "progressed": people["progressed"] or 0,
        "rows": rows,
    }


def _retention(base: _Base) -> dict:
    """Atelier cycles: (curriculum, structure) with at least two sessions in the period.
    The first and last sessions of each cycle are found once (an index on
    (atelier, structure, start) makes each lookup one probe); then the people present at a
    first session are checked for a presence at the last session of the same cycle."""
    cycle_sessions = base.sessions.filter(kind=SessionKind.WORKSHOP, atelier__isnull=False)
    same_cycle = cycle_sessions.filter(
        atelier_id=OuterRef("atelier_id"), structure_id=OuterRef("structure_id")
    )
    first_sessions = cycle_sessions.filter(
        ~Exists(same_cycle.filter(start__lt=OuterRef("start"))),
        Exists(same_cycle.filter(start__gt=OuterRef("start"))),
    )
    last_sessions = cycle_sessions.filter(
        ~Exists(same_cycle.filter(start__gt=OuterRef("start"))),
        Exists(same_cycle.filter(start__lt=OuterRef("start"))),
    )
    starters = base.attendances.filter(session_id__in=first_sessions.values("pk")).annotate(
        stayed=Exists(
            Attendance.objects.filter(
                learner_id=OuterRef("learner_id"),
                status=AttendanceStatus.PRESENT,
                session_id__in=last_sessions.values("pk"),
                session__atelier_id=OuterRef("session__atelier_id"),
                session__structure_id=OuterRef("session__structure_id"),
            )
        )
    )
    rows = [
        {
            "key": r["session__atelier_id"],
            "name": r["session__atelier__title"],
            "cycles": r["cycles"],
            "started": r["started"],
            "retained": r["retained"],
        }
        for r in starters.values("session__atelier_id", "session__atelier__title")
        .annotate(
            cycles=Count("session__structure_id", distinct=True),
            started=Count("id"),
            retained=Count("id", filter=Q(stayed=True)),
        )
        .order_by("session__atelier__title", "session__atelier_id")
    ]
    return {
        "cycles": sum(r["cycles"] for r in rows),
        "started": sum(r["started"] for r in rows),
        "retained": sum(r["retained"] for r in rows),
        "rows": rows,
    }
