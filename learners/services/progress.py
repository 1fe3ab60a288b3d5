"""Competence observations (append-only) and their per-competence summaries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeAlias

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.choices import AuditAction, ObservationSource
from learners.models import CompetenceSummary, Learner, Observation, Session
from learners.progress import SUMMARY_FIELDS, SummaryState, summary_replay, summary_step
from learners.roles import counsellor_structure
from learners.scoping import can_access_learner, scope_structure_id
from workshops.models import Competence, Level

from ._common import refuse
from .activity import structure_links_refresh
from .audit import audit_log_record

BATCH_SIZE = 2000


def _state_from_summary(summary: CompetenceSummary) -> SummaryState:
    return SummaryState(
        first_level_id=summary.first_level_id,
        first_rank=summary.first_level.rank,
        first_observed_on=summary.first_observed_on,
        current_level_id=summary.current_level_id,
        last_observed_on=summary.last_observed_on,
        best_level_id=summary.best_level_id,
        best_rank=summary.best_level.rank,
        observation_count=summary.observation_count,
        observations_without_gain=summary.observations_without_gain,
        last_progress_on=summary.last_progress_on,
    )


# learner_id, competence_id, level_id, the level's rank, observed_on: a pair's replay order.
ObservationRow: TypeAlias = tuple[int, int, int, int, datetime.date]


def _ordered_observations(**filters: Any) -> QuerySet[Observation, ObservationRow]:
    return (
        Observation.objects.filter(**filters)
        .order_by("learner_id", "competence_id", "observed_on", "id")
        .values_list("learner_id", "competence_id", "level_id", "level__rank", "observed_on")
    )


def summaries_refresh(*, pairs: Iterable[tuple[int, int]], links: bool = True) -> int:
    """Recompute the summaries of these (learner_id, competence_id) pairs from their
    observations, in a constant number of queries, then (unless `links` is False, for a
    caller that refreshes them next) the people's structure links. Returns the number of
    summaries written."""
    pairs = set(pairs)
    if not pairs:
        return 0
    with transaction.atomic():
        written = _summaries_refresh(pairs)
        if links:
            structure_links_refresh(learner_ids={learner_id for learner_id, _c in pairs})
        return written


def _summaries_refresh(pairs: set[tuple[int, int]]) -> int:
    learner_ids = {learner_id for learner_id, _c in pairs}
    competence_ids = {competence_id for _l, competence_id in pairs}
    # Lock the summaries first: a concurrent writer of the same pairs then waits for this
    # transaction, and reads its observations once it has committed.
    existing = {
        (learner_id, competence_id): pk
        for learner_id, competence_id, pk in CompetenceSummary.objects.select_for_update()
        .filter(learner_id__in=learner_ids, competence_id__in=competence_ids)
        .values_list("learner_id", "competence_id", "pk")
    }
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for learner_id, competence_id, level_id, rank, observed_on in _ordered_observations(
        learner_id__in=learner_ids, competence_id__in=competence_ids
    ):
        if (learner_id, competence_id) in pairs:
            grouped[(learner_id, competence_id)].append((level_id, rank, observed_on))
    to_write, to_delete = [], []
    now = timezone.now()
    for pair in pairs:
        state = summary_replay(grouped.get(pair, ()))
        if state is None:
            if pair in existing:
                to_delete.append(existing[pair])
            continue
        to_write.append(
            CompetenceSummary(
                learner_id=pair[0], competence_id=pair[1], updated_at=now, **state.as_fields()
            )
        )
    if to_delete:
        CompetenceSummary.objects.filter(pk__in=to_delete).delete()
    # One upsert on (learner, competence): far less work than an UPDATE of CASE clauses.
    CompetenceSummary.objects.bulk_create(
        to_write,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["learner", "competence"],
        update_fields=[*SUMMARY_FIELDS, "updated_at"],
    )
    return len(to_write)


def observation_record(
    *,
    user: User | None,
    learner: Learner,
    competence: Competence,
    level: Level,
    source: str = ObservationSource.COUNSELLOR,
    session: Session | None = None,
    observed_on: datetime.date | None = None,
) -> Observation:
    """Append one observation and update the person's summary in the same transaction.

    `user` may be None only for a self-assessment made from the person's own carnet (the
    public view has opened the carnet). `observed_on` defaults to the session's date, else
    today. An observation dated before the summary's last one is a backdated entry: the
    summary is then recomputed from all the pair's observations.
    """
    if user is None:
        if source != ObservationSource.SELF:
            refuse()
    elif not can_access_learner(user, learner):
        refuse()
    if learner.is_anonymized:
        refuse(_("Cette fiche a été anonymisée."))
    if observed_on is None:
        observed_on = session.local_date if session is not None else timezone.localdate()
    observation = Observation(
        learner=learner,
        competence=competence,
        level=level,
        source=source,
        session=session,
        structure_id=_observation_structure_id(user=user, source=source, session=session),
        observed_on=observed_on,
        author=user if user is not None else None,
    )
    observation.full_clean()
    with transaction.atomic():
        summary = (
            CompetenceSummary.objects.select_for_update(of=("self",))
            .select_related("first_level", "best_level")
            .filter(learner=learner, competence=competence)
            .first()
        )
        observation.save()
        _summary_follow(summary=summary, observation=observation)
        structure_links_refresh(learner_ids=[learner.pk])
        Learner.objects.filter(pk=learner.pk).update(last_activity_at=timezone.now())
        audit_log_record(
            user=user,
            action=AuditAction.CREATE,
            learner=learner,
            detail=f"observation {competence.code} (compétence {competence.pk})",
        )
    return observation


def _observation_structure_id(
    *, user: User | None, source: str, session: Session | None
) -> int | None:
    # Who recorded it decides who reads it (`learners.scoping`): the session's
    # structure, else the counsellor's; a self-assessment is the person's own (None).
    if session is not None:
        return session.structure_id
    if user is not None and source != ObservationSource.SELF:
        return getattr(counsellor_structure(user), "pk", None)
    return None


def _summary_follow(*, summary: CompetenceSummary | None, observation: Observation) -> None:
    """Step the pair's summary (locked by the caller) with a new observation; a backdated
    one recomputes it from all the pair's observations."""
    learner, competence, level = observation.learner, observation.competence, observation.level
    observed_on = observation.observed_on
    if summary is None:
        state = summary_step(None, level_id=level.pk, rank=level.rank, observed_on=observed_on)
        CompetenceSummary.objects.create(
            learner=learner, competence=competence, **state.as_fields()
        )
    elif observed_on >= summary.last_observed_on:
        state = summary_step(
            _state_from_summary(summary),
            level_id=level.pk,
            rank=level.rank,
            observed_on=observed_on,
        )
        for field, value in state.as_fields().items():
            setattr(summary, field, value)
        summary.save()
    else:
        summaries_refresh(pairs=[(learner.pk, competence.pk)], links=False)


def summary_rebuild(*, learner: Learner | None = None) -> int:
    """Rebuild the summaries of one person, or of everyone, from the observations alone.

    For everyone, observations are streamed in (learner, competence, date, id) order and
    written in batches, in one transaction. Returns the number of summaries written.
    """
    filters = {"learner_id": learner.pk} if learner is not None else {}
    written = 0
    with transaction.atomic():
        CompetenceSummary.objects.filter(**filters).delete()
        batch: list[CompetenceSummary] = []
        current_pair, state = None, None

        def flush_pair() -> None:
            if current_pair is not None and state is not None:
                batch.append(
                    CompetenceSummary(
                        learner_id=current_pair[0],
                        competence_id=current_pair[1],
                        **state.as_fields(),
                    )
                )

        for learner_id, competence_id, level_id, rank, observed_on in _ordered_observations(
            **filters
        ).iterator(chunk_size=BATCH_SIZE):
            pair = (learner_id, competence_id)
            if pair != current_pair:
                flush_pair()
                current_pair, state = pair, None
                if len(batch) >= BATCH_SIZE:
                    CompetenceSummary.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            state = summary_step(state, level_id=level_id, rank=rank, observed_on=observed_on)
        flush_pair()
        CompetenceSummary.objects.bulk_create(batch)
        written += len(batch)
        structure_links_refresh(learner_ids=[learner.pk] if learner is not None else None)
    return written


def observations_record_many(
    *, user: User, levels: Iterable[tuple[Session, int, int, int]]
) -> set[int]:
    """Append many counsellor observations at once (an import): `levels` holds (session,
    learner id, competence id, level id), each dated by its session's day and recorded for
    the session's structure. The summaries are updated in the caller's transaction; the
    caller refreshes the structure links and writes the audit. The caller has matched each
    person within its scope (`learners.imports`); a session outside the user's structure is
    refused here. Returns the ids of the people observed."""
    levels = list(levels)
    if not levels:
        return set()
    scope = scope_structure_id(user)
    if scope is None or (
        scope is not True and any(session.structure_id != scope for session, *_r in levels)
    ):
        refuse()
    observations = [
        Observation(
            learner_id=learner_id,
            competence_id=competence_id,
            level_id=level_id,
            source=ObservationSource.COUNSELLOR,
            session=session,
            structure_id=session.structure_id,
            observed_on=session.local_date,
            author=user,
        )
        for session, learner_id, competence_id, level_id in levels
    ]
    with transaction.atomic():
        Observation.objects.bulk_create(observations, batch_size=BATCH_SIZE)
        summaries_refresh(
            pairs={(o.learner_id, o.competence_id) for o in observations}, links=False
        )
        learner_ids = {o.learner_id for o in observations}
        ordered = sorted(learner_ids)
        for start in range(0, len(ordered), BATCH_SIZE):
            Learner.objects.filter(pk__in=ordered[start : start + BATCH_SIZE]).update(
                last_activity_at=timezone.now()
            )
    return learner_ids
