"""The issue's own checks, end to end through every part: the public search, the sign-up
form, the SMS (in-memory backend), the person's page, the waiting list, the counsellor's
cycle and cancellation, and the cached agenda page staying right. Notices run for real
(Celery eager, on commit)."""

import datetime
import html as htmllib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from common import sms
from learners.models import Booking, BookingStatus, SignupScope
from learners.services.series import series_create
from learners.services.session_changes import session_cancel
from learners.services.sessions import session_create
from tests.factories.learners import CounsellorFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(htmllib.unescape(body).split())


def next_weekday(weekday: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=2)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def counsellor(network):
    return CounsellorFactory(structure=network["structure"]).user


@pytest.fixture
def email_atelier(counsellor, network):
    return session_create(
        user=counsellor,
        start=next_weekday(1, 14),
        kind="atelier",
        title="Créer son adresse e-mail",
        venue=network["venues"]["mouilleron"],
        capacity=1,
        duration_minutes=120,
    )


def sign_up(client, session, **fields):
    url = reverse("agenda:session", kwargs={"session_id": session.pk})
    data = {"first_name": "", "phone": "", "email": "", **fields}
    response = client.post(url, data, follow=False)
    assert response.status_code in (302, 303), text(response)
    return response["Location"]


def last_sms_to(number: str) -> str:
    bodies = [m.body for m in sms.outbox if m.to == number]
    assert bodies, f"no SMS to {number}: {[m.to for m in sms.outbox]}"
    return bodies[-1]


def test_a_person_finds_signs_up_cancels_and_the_next_one_takes_the_place(
    client, email_atelier, django_capture_on_commit_callbacks
):
    search = client.get(
        reverse("agenda:index"),
        {"commune": "la roche sur yon", "distance": "20", "type": "atelier"},
    )
    assert search.status_code == 200
    page = text(search)
    assert "Créer son adresse e-mail" in page and "1 place libre" in page

    with django_capture_on_commit_callbacks(execute=True):
        mine = sign_up(client, email_atelier, first_name="Odile", phone="06 12 34 56 78")
    confirmation = last_sms_to("+33612345678")
    assert "C'est noté" in confirmation
    booking = Booking.objects.get(phone="+33612345678")
    assert booking.token in confirmation  # the link to cancel
    assert "votre place est réservée" in text(client.get(mine))

    # The cached agenda page says « complet » at once (the sign-up bumped the agenda).
    after = text(client.get(reverse("agenda:index"), {"commune": "la roche sur yon"}))
    assert "Complet : liste d'attente" in after

    other = client.__class__()
    with django_capture_on_commit_callbacks(execute=True):
        theirs = sign_up(other, email_atelier, first_name="Marcel", email="marcel@example.fr")
    assert "liste d'attente" in text(other.get(theirs))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agenda:booking_cancel", kwargs={"token": booking.token}))
    waiting = Booking.objects.get(email="marcel@example.fr")
    assert waiting.status == BookingStatus.OFFERED
    from django.core import mail

    assert any(waiting.token in m.body for m in mail.outbox)  # offered by e-mail
    other.post(reverse("agenda:booking_offer", kwargs={"token": waiting.token}), {"reponse": "oui"})
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_a_counsellor_runs_a_six_week_cycle_and_cancels_one_date(
    client, counsellor, network, django_capture_on_commit_callbacks
):
    first = next_weekday(1, 14)
    series = series_create(
        user=counsellor,
        title="Mon smartphone pas à pas",
        starts=[first + datetime.timedelta(weeks=week) for week in range(6)],
        signup_scope=SignupScope.WHOLE_CYCLE,
        session_values={
            "kind": "atelier",
            "venue": network["venues"]["roche"],
            "capacity": 8,
            "duration_minutes": 90,
        },
    )
    sessions = list(series.sessions.order_by("start"))
    assert len(sessions) == 6 and all(s.is_published for s in sessions)

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, sessions[0], first_name="Jeanne", phone="0698765432")
    assert Booking.objects.filter(phone="+33698765432").count() == 6  # the whole cycle
    assert len([m for m in sms.outbox if m.to == "+33698765432"]) == 1  # one SMS for it

    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(user=counsellor, session=sessions[2], reason="La salle est en travaux")
    told = last_sms_to("+33698765432")
    assert "annulée" in told.lower() and "travaux" in told
    # Kept as cancelled; the other dates still hold the place.
    assert Booking.objects.filter(phone="+33698765432", status=BookingStatus.CONFIRMED).count() == 5
    calendar = client.get(reverse("agenda:session_ics", kwargs={"session_id": sessions[2].pk}))
    assert b"STATUS:CANCELLED" in calendar.content
