"""The dashboard's copies of each person's activity dates on their structure links.

A counsellor's dashboard lists, among the people of one structure, who progressed this
month, who is stuck and who stopped coming. Each condition selects tens of thousands of
people across the network; joined with a large structure's people, that cost 100 ms or
more per condition at national scale. `LearnerStructure` therefore carries a copy of the
dates the conditions use, indexed by structure, and this module keeps them equal to the
originals: every service that changes a person's last attendance date or competence
summaries calls `structure_links_refresh` for those people, in the same transaction.
`structure_links_refresh()` without ids recomputes every link (migration, bulk loads) and
writes only those out of step; it also runs nightly (`learners.structure_links_refresh`,
or `manage.py refresh_structure_links`) and after a framework's levels change, which can
move who is stuck (learners/signals.py). `structure_links_out_of_date` lists the links
whose copies differ, for tests and checks.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from common.background import background_task
from common.french_text import french_plural
from learners.models import CompetenceSummary, Learner, LearnerStructure
from learners.progress import STUCK_AFTER_OBSERVATIONS
from workshops.models import Competence, Level

CHUNK = 5000


def link_dates(
    *,
    learner_model: type[Learner] = Learner,
    summary_model: type[CompetenceSummary] = CompetenceSummary,
    level_model: type[Level] = Level,
) -> dict[str, Subquery]:
    """The three dates of a link's person, as correlated subqueries (NULL once anonymised),
    for `LearnerStructure.objects.update(**link_dates())`. The models can be a migration's."""
    person = learner_model.objects.filter(pk=OuterRef("learner_id"), anonymized_at__isnull=True)
    summaries = summary_model.objects.filter(
        learner_id=OuterRef("learner_id"), learner__anonymized_at__isnull=True
    ).order_by()
    top_rank = Subquery(
        level_model.objects.filter(framework_id=OuterRef("competence__framework_id"))
        .order_by("-rank")
        .values("rank")[:1]
    )
    stuck = summaries.filter(
        observations_without_gain__gte=STUCK_AFTER_OBSERVATIONS,
        best_level__rank__lt=top_rank,
    )

    def latest(queryset: QuerySet[CompetenceSummary], field: str) -> Subquery:
        return Subquery(
            queryset.values("learner_id").annotate(latest=Max(field)).values("latest")[:1]
        )

    return {
        "last_attended_on": Subquery(person.values("last_attended_on")[:1]),
        "last_progress_on": latest(summaries, "last_progress_on"),
        "last_stuck_on": latest(stuck, "last_observed_on"),
    }


def _refresh_sql() -> str:
    """The UPDATE of `structure_links_refresh`, written out: the same statement as
    `link_dates()` builds, without the ORM's expression building on every call (about
    10 ms of CPU for the 12 people of an attendance sheet). Valid on PostgreSQL and
    SQLite; `structure_links_out_of_date` compares both versions in the tests."""
    link = LearnerStructure._meta.db_table
    learner = Learner._meta.db_table
    summary = CompetenceSummary._meta.db_table
    level = Level._meta.db_table
    competence = Competence._meta.db_table
    person = f"{learner}.id = {link}.learner_id AND {learner}.anonymized_at IS NULL"
    of_person = f"FROM {summary} s JOIN {learner} ON {learner}.id = s.learner_id WHERE {person}"
    # Only table names from the models go into the text; ids are bound parameters.
    return f"""
        UPDATE {link} SET
            last_attended_on = (SELECT {learner}.last_attended_on FROM {learner} WHERE {person}),
            last_progress_on = (SELECT MAX(s.last_progress_on) {of_person}),
            last_stuck_on = (
                SELECT MAX(s.last_observed_on) {of_person}
                AND s.observations_without_gain >= {int(STUCK_AFTER_OBSERVATIONS)}
                AND (SELECT best.rank FROM {level} best WHERE best.id = s.best_level_id) < (
                    SELECT MAX(top.rank) FROM {level} top JOIN {competence} c
                    ON c.framework_id = top.framework_id WHERE c.id = s.competence_id
                )
            )
    """  # noqa: S608


def _refresh_all_sql() -> str:
    """Every link at once, set-based: one pass over the summaries grouped by person, then
    a join. The per-person subqueries of `_refresh_sql` cost an index probe each, 15 min
    for the 1.1 million links of the national benchmark; this takes about 30 s."""
    link = LearnerStructure._meta.db_table
    learner = Learner._meta.db_table
    summary = CompetenceSummary._meta.db_table
    # Levels at the top of their framework: an uncorrelated list, read once. The query
    # has no parameters, so its SQL text can be embedded.
    top_levels, _no_params = Level.objects.tops().values("pk").query.sql_with_params()
    kept = "p.anonymized_at IS NULL"
    new = {
        "last_attended_on": f"CASE WHEN {kept} THEN p.last_attended_on END",
        "last_progress_on": f"CASE WHEN {kept} THEN agg.progress END",
        "last_stuck_on": f"CASE WHEN {kept} THEN agg.stuck END",
    }
    # Only the links whose copies differ are written (and locked): a run that finds them
    # in step, as the nightly check usually does, writes nothing.
    differs = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    changed = " OR ".join(f"{link}.{name} {differs} {value}" for name, value in new.items())
    assignments = ", ".join(f"{name} = {value}" for name, value in new.items())
    return f"""
        UPDATE {link} SET {assignments}
        FROM {learner} p LEFT JOIN (
            SELECT s.learner_id,
                MAX(s.last_progress_on) AS progress,
                MAX(CASE WHEN s.observations_without_gain >= {int(STUCK_AFTER_OBSERVATIONS)}
                    AND s.best_level_id NOT IN ({top_levels})
                    THEN s.last_observed_on END) AS stuck
            FROM {summary} s GROUP BY s.learner_id
        ) agg ON agg.learner_id = p.id
        WHERE p.id = {link}.learner_id AND ({changed})
    """  # noqa: S608


def structure_links_refresh(*, learner_ids: Iterable[int] | None = None) -> int:
    """Recompute the copies on every structure link of these people (of everyone when
    `learner_ids` is None: then returns the links that were out of step). One UPDATE per
    5,000 people. Returns the links updated."""
    with connection.cursor() as cursor:
        if learner_ids is None:
            cursor.execute(_refresh_all_sql())
            return cursor.rowcount
        sql = _refresh_sql()
        ids = sorted(set(learner_ids))
        updated = 0
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} WHERE learner_id IN ({placeholders})", chunk)
            updated += cursor.rowcount
        return updated


def structure_links_out_of_date(*, learner_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the links whose copies differ from the originals (expected: none)."""
    links = LearnerStructure.objects.all()
    if learner_ids is not None:
        links = links.filter(learner_id__in=list(learner_ids))
    names = ("last_attended_on", "last_progress_on", "last_stuck_on")
    expected = {f"expected_{name}": value for name, value in link_dates().items()}
    rows = links.annotate(**expected).values_list("pk", *names, *expected)
    return [row[0] for row in rows if row[1:4] != row[4:7]]


REFRESH_QUEUED_KEY = "learners:structure-links-refresh:queued"


def structure_links_check() -> dict:
    """Every link put back in step (the nightly check and the job queued by
    `structure_links_refresh_soon`): {"updated": n, "summary": French line}. Takes about
    2 s for the national benchmark's 1.1 million links when they are in step."""
    updated = structure_links_refresh()
    summary = french_plural(
        updated,
        _("%(n)d lien personne–structure remis à jour"),
        _("%(n)d liens personne–structure remis à jour"),
    )
    return {"updated": updated, "summary": summary}


def structure_links_refresh_soon() -> None:
    """After the current transaction commits, recompute every link in a background job
    (`learners.structure_links_refresh`), once however many changes asked for it before
    the job starts. For changes that move who is stuck network-wide: a framework's levels
    (its top level)."""

    def queue() -> None:
        # The job clears the key when it starts: a change made after that queues again.
        if cache.add(REFRESH_QUEUED_KEY, True, timeout=3600):
            background_task("learners.structure_links_refresh").delay()

    transaction.on_commit(queue)
