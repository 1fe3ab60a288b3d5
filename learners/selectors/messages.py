"""Messages sent about sign-ups, counted per structure and month (SMS cost money).

Who sees what: a coordinator every structure; a structure manager their own structure,
by month and by kind of message; a counsellor their own structure's monthly totals;
anyone else (a partner editor) nothing (`PermissionDenied`). Only messages confirmed sent
count (`sent_at`); a claim left unconfirmed by a crash is not billed here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from common.types import AnyUser
from learners.models import MessageChannel, MessageKind, MessageSent
from learners.roles import user_roles

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class MessagesScope:
    """`structure_id` None: every structure. `by_kind`: the detail per kind of message."""

    structure_id: int | None
    by_kind: bool


class MessageMonthRow(TypedDict):
    month: datetime.date
    structure_id: int
    structure_name: str
    sms: int
    segments: int
    emails: int


class MessageKindRow(TypedDict):
    month: datetime.date
    kind: str
    kind_label: str
    sms: int
    segments: int
    emails: int


def messages_scope(*, user: AnyUser) -> MessagesScope:
    roles = user_roles(user)
    if roles.is_coordinator:
        return MessagesScope(structure_id=None, by_kind=True)
    if roles.is_counsellor and roles.counsellor is not None:
        return MessagesScope(
            structure_id=roles.counsellor.structure_id,
            by_kind=roles.counsellor.is_structure_manager,
        )
    raise PermissionDenied(_("Vous n'avez pas accès aux messages envoyés."))


def months_start(*, today: datetime.date, months: int = MONTHS_SHOWN) -> datetime.datetime:
    """Midnight, local time, on the first day of the month `months - 1` months ago."""
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(datetime.datetime(year, month, 1))


def _sent(scope: MessagesScope, since: datetime.datetime) -> QuerySet[MessageSent]:
    qs = MessageSent.objects.filter(sent_at__isnull=False, sent_at__gte=since)
    if scope.structure_id is not None:
        qs = qs.filter(structure_id=scope.structure_id)
    return qs


_SMS = Count("pk", filter=Q(channel=MessageChannel.SMS))
_SEGMENTS = Coalesce(
    Sum("segments", filter=Q(channel=MessageChannel.SMS)), 0, output_field=IntegerField()
)
_EMAILS = Count("pk", filter=Q(channel=MessageChannel.EMAIL))


def _local_month(value: datetime.datetime | datetime.date) -> datetime.date:
    """TruncMonth gives an aware datetime (local midnight) on most databases."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def message_counts_by_structure(
    *, user: AnyUser, today: datetime.date | None = None
) -> list[MessageMonthRow]:
    """SMS, SMS billed and e-mails per structure and month over the last 12 months, newest
    month first, then by structure name (one query)."""
    scope = messages_scope(user=user)
    since = months_start(today=today or timezone.localdate())
    rows = (
        _sent(scope, since)
        .annotate(month=TruncMonth("sent_at"))
        .values("month", "structure_id", "structure__name")
        .annotate(sms=_SMS, segments=_SEGMENTS, emails=_EMAILS)
        .order_by("-month", "structure__name", "structure_id")
    )
    return [
        MessageMonthRow(
            month=_local_month(row["month"]),
            structure_id=row["structure_id"],
            structure_name=row["structure__name"],
            sms=row["sms"],
            segments=row["segments"],
            emails=row["emails"],
        )
        for row in rows
    ]


def message_counts_by_kind(
    *, user: AnyUser, today: datetime.date | None = None
) -> list[MessageKindRow]:
    """The same counts per month and kind of message, for those who see the detail (a
    structure manager, their structure; a coordinator, the network); else empty."""
    scope = messages_scope(user=user)
    if not scope.by_kind:
        return []
    since = months_start(today=today or timezone.localdate())
    rows = (
        _sent(scope, since)
        .annotate(month=TruncMonth("sent_at"))
        .values("month", "kind")
        .annotate(sms=_SMS, segments=_SEGMENTS, emails=_EMAILS)
        .order_by("-month", "kind")
    )
    return [
        MessageKindRow(
            month=_local_month(row["month"]),
            kind=row["kind"],
            kind_label=str(MessageKind(row["kind"]).label),
            sms=row["sms"],
            segments=row["segments"],
            emails=row["emails"],
        )
        for row in rows
    ]
