"""Cycles (« tous les mardis de 14 h à 16 h pendant 6 semaines »): a `SessionSeries` and
its sessions, created together in one transaction, all or nothing. Each session stays
editable alone afterwards (`session_update`, `session_move`, `session_cancel`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.french_text import french_date
from learners.models import SessionSeries, SignupScope
from learners.roles import counsellor_profile

from .sessions import _creation_structure, session_create

SERIES_MIN_SESSIONS = 2
SERIES_MAX_SESSIONS = 52
SERIES_EVERY_WEEKS = (1, 2)


def series_starts(
    *, first_day: datetime.date, time: datetime.time, every_weeks: int, count: int
) -> list[datetime.datetime]:
    """`count` starts, every `every_weeks` weeks from `first_day` at `time`, local time
    (14 h stays 14 h across a change to summer time)."""
    if every_weeks not in SERIES_EVERY_WEEKS:
        raise ValidationError(
            {"every_weeks": _("Choisissez chaque semaine ou toutes les deux semaines.")}
        )
    _count_check(count)
    return [
        timezone.make_aware(
            datetime.datetime.combine(first_day + datetime.timedelta(weeks=every_weeks * i), time)
        )
        for i in range(count)
    ]


def _count_check(count: int) -> None:
    if not SERIES_MIN_SESSIONS <= count <= SERIES_MAX_SESSIONS:
        raise ValidationError(
            {
                "count": _("Un cycle compte de %(min)d à %(max)d séances.")
                % {"min": SERIES_MIN_SESSIONS, "max": SERIES_MAX_SESSIONS}
            }
        )


def _starts_check(starts: Sequence[datetime.datetime]) -> list[datetime.datetime]:
    """Sorted, each in the future, none twice; else a French error naming the date."""
    _count_check(len(starts))
    ordered = sorted(starts)
    now = timezone.now()
    for previous, start in zip([None, *ordered], ordered, strict=False):
        if start <= now:
            raise ValidationError(
                {
                    "starts": _("Le %(date)s est déjà passé : un cycle se prévoit à l'avance.")
                    % {"date": french_date(start)}
                }
            )
        if previous is not None and timezone.localdate(previous) == timezone.localdate(start):
            raise ValidationError(
                {"starts": _("Le %(date)s est indiqué deux fois.") % {"date": french_date(start)}}
            )
    return ordered


def series_create(
    *,
    user: User,
    title: str,
    starts: Sequence[datetime.datetime],
    signup_scope: str = SignupScope.WHOLE_CYCLE,
    session_values: Mapping[str, Any],
    counsellors: Iterable[Any] | None = None,
) -> SessionSeries:
    """Create a cycle and one session per start, in one transaction: every session has the
    same `session_values` (`session_create`'s keyword arguments but `start`, `user`,
    `series`), and the cycle's title unless a title is given there. Any refusal (a date
    in the past or twice, a session the service refuses) keeps nothing and names the
    date in French."""
    if signup_scope not in SignupScope.values:
        raise ValidationError({"signup_scope": _("Choisissez comment les personnes s'inscrivent.")})
    ordered = _starts_check(starts)
    values = dict(session_values)
    structure = _creation_structure(user, values.pop("structure", None))
    title = " ".join((title or "").split()) or str(values.get("title") or "")
    if not title and values.get("atelier") is not None:
        title = values["atelier"].title
    if not title:
        raise ValidationError({"title": _("Donnez un intitulé au cycle.")})
    values.setdefault("title", title)
    if counsellors is None and (profile := counsellor_profile(user)) is not None:
        counsellors = [profile] if profile.structure_id == structure.pk else []
    with transaction.atomic():
        series = SessionSeries(
            structure=structure, title=title[:200], signup_scope=signup_scope, created_by=user
        )
        series.full_clean()
        series.save()
        for start in ordered:
            try:
                session_create(
                    user=user,
                    start=start,
                    structure=structure,
                    series=series,
                    counsellors=counsellors,
                    **values,
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Séance du %(date)s : %(errors)s Aucune séance n'a été créée.")
                    % {"date": french_date(start), "errors": " ".join(exc.messages)}
                ) from exc
    return series
