"""Messages sent, counted per structure and month, scoped by role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from learners.models import MessageChannel, MessageKind, MessageSent
from learners.selectors.messages import (
    message_counts_by_kind,
    message_counts_by_structure,
    months_start,
)
from tests.factories.bookings import BookingFactory
from tests.factories.learners import counsellor_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 20)


def sent(structure, *, channel, kind=MessageKind.CONFIRMATION, segments=1, on, confirmed=True):
    booking = BookingFactory(session__structure=structure)
    row = MessageSent.objects.create(
        structure=structure,
        booking=booking,
        channel=channel,
        kind=kind,
        session_start=booking.session.start,
        segments=segments if channel == MessageChannel.SMS else 0,
    )
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    MessageSent.objects.filter(pk=row.pk).update(sent_at=at if confirmed else None)
    return row


@pytest.fixture
def messages(structure_a, structure_b):
    january = datetime.date(2027, 1, 5)
    december = datetime.date(2026, 12, 31)
    sent(structure_a, channel=MessageChannel.SMS, segments=1, on=january)
    sent(structure_a, channel=MessageChannel.SMS, segments=2, on=january, kind=MessageKind.OFFER)
    sent(structure_a, channel=MessageChannel.EMAIL, on=january)
    sent(structure_a, channel=MessageChannel.SMS, segments=1, on=december)
    sent(structure_a, channel=MessageChannel.SMS, on=january, confirmed=False)  # crash: unbilled
    sent(structure_a, channel=MessageChannel.SMS, on=datetime.date(2025, 12, 31))  # too old
    sent(structure_b, channel=MessageChannel.SMS, segments=3, on=january)


def test_months_start():
    assert timezone.localtime(months_start(today=TODAY)).date() == datetime.date(2026, 2, 1)
    assert timezone.localtime(months_start(today=TODAY, months=1)).date() == datetime.date(
        2027, 1, 1
    )


def test_coordinator_sees_every_structure(messages, coordinator, structure_a, structure_b):
    rows = message_counts_by_structure(user=coordinator, today=TODAY)
    summary = [
        (r["month"], r["structure_name"], r["sms"], r["segments"], r["emails"]) for r in rows
    ]
    assert summary == [
        (datetime.date(2027, 1, 1), structure_b.name, 1, 3, 0),
        (datetime.date(2027, 1, 1), structure_a.name, 2, 3, 1),
        (datetime.date(2026, 12, 1), structure_a.name, 1, 1, 0),
    ]
    kinds = message_counts_by_kind(user=coordinator, today=TODAY)
    assert {(r["kind_label"], r["segments"]) for r in kinds if r["month"].month == 1} == {
        ("Confirmation d'inscription", 4),
        ("Place proposée", 2),
    }


def test_structure_manager_sees_their_structure_by_kind(messages, structure_a):
    manager = counsellor_user(structure=structure_a, manager=True)
    rows = message_counts_by_structure(user=manager, today=TODAY)
    assert {r["structure_name"] for r in rows} == {structure_a.name}
    assert [(r["sms"], r["segments"]) for r in rows] == [(2, 3), (1, 1)]
    kinds = message_counts_by_kind(user=manager, today=TODAY)
    assert [(r["month"].month, r["kind"], r["sms"]) for r in kinds] == [
        (1, MessageKind.CONFIRMATION, 1),
        (1, MessageKind.OFFER, 1),
        (12, MessageKind.CONFIRMATION, 1),
    ]


def test_counsellor_sees_their_structure_totals_only(messages, counsellor_b, structure_b):
    rows = message_counts_by_structure(user=counsellor_b, today=TODAY)
    assert [(r["structure_name"], r["sms"], r["segments"]) for r in rows] == [
        (structure_b.name, 1, 3)
    ]
    assert message_counts_by_kind(user=counsellor_b, today=TODAY) == []


def test_partner_editor_and_anonymous_are_refused(messages, partner_editor):
    from django.contrib.auth.models import AnonymousUser

    for user in (partner_editor, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            message_counts_by_structure(user=user, today=TODAY)


def test_one_query(messages, coordinator, django_assert_num_queries):
    coordinator.groups.all()  # roles are read once per user: outside the count
    from learners.roles import user_roles

    user_roles(coordinator)
    with django_assert_num_queries(1):
        message_counts_by_structure(user=coordinator, today=TODAY)
