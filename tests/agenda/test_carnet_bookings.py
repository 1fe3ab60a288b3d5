"""The carnet and sign-ups: « Mes inscriptions » with a cancel button (only the holder's
own), and « Ajouter à mon carnet » on the sign-up form when a carnet is open."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learners.models import Booking, BookingStatus
from learners.services import carnet_issue
from learners.services.bookings import booking_create
from tests.factories.learners import LearnerFactory, counsellor_user

from .conftest import in_days

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def holder(structure):
    counsellor = counsellor_user(structure=structure)
    learner = LearnerFactory(
        structure=structure, first_name="Josiane", phone="0698765432", email="j@exemple.fr"
    )
    code = carnet_issue(user=counsellor, learner=learner)
    client = Client()
    client.post(reverse("carnet"), {"code": code})
    return {"learner": learner, "client": client}


def _session_url(session):
    return reverse("agenda:session", kwargs={"session_id": session.pk})


def test_sign_up_form_offers_the_open_carnet_without_revealing_it(holder, make_session):
    session = make_session()
    client = holder["client"]
    page = text(client.get(_session_url(session)))
    assert "Ajouter cette inscription à mon carnet" in page
    # The stored contact details are never put on a public page.
    assert "06 98 76 54 32" not in page and "+33698765432" not in page
    assert "j@exemple.fr" not in page
    assert "Josiane" not in page.split("<form")[1]
    client.post(
        _session_url(session),
        {"first_name": "Josiane", "phone": "", "email": "", "add_to_carnet": "on"},
    )
    assert Booking.objects.get().learner == holder["learner"]
    # Not ticked: not linked.
    other = make_session(start=in_days(9))
    client.post(_session_url(other), {"first_name": "Josiane", "phone": "", "email": ""})
    assert Booking.objects.get(session=other).learner is None


def test_no_carnet_no_offer_and_a_forged_cookie_is_ignored(client, make_session, holder):
    session = make_session()
    assert "mon carnet" not in text(client.get(_session_url(session))).split("<form")[1]
    client.cookies["carnet_agenda"] = "1:forged:signature"
    assert "Ajouter cette inscription" not in text(client.get(_session_url(session)))


def test_carnet_lists_and_cancels_own_bookings_only(holder, make_session):
    session = make_session(title="Se protéger des arnaques")
    mine = booking_create(
        session=session,
        first_name="Josiane",
        phone="",
        email="",
        reminder_consent=False,
        learner=holder["learner"],
    )[0]
    someone_else = booking_create(
        session=session,
        first_name="Marcel",
        phone="",
        email="",
        reminder_consent=False,
        learner=LearnerFactory(),
    )[0]
    client = holder["client"]
    page = text(client.get(reverse("carnet")))
    assert "Mes inscriptions" in page and "Se protéger des arnaques" in page
    assert "Marcel" not in page
    # Another person's booking: nothing changes.
    client.post(reverse("carnet_booking_cancel", args=[someone_else.pk]))
    someone_else.refresh_from_db()
    assert someone_else.status == BookingStatus.CONFIRMED
    response = client.post(reverse("carnet_booking_cancel", args=[mine.pk]))
    assert response.status_code == 303
    mine.refresh_from_db()
    assert mine.status == BookingStatus.CANCELLED
    page = text(client.get(response["Location"]))
    assert "votre inscription est annulée" in page
    assert "Se protéger des arnaques" not in page


def test_cancel_needs_an_open_carnet_and_csrf(holder, make_session):
    booking = booking_create(
        session=make_session(),
        first_name="Josiane",
        phone="",
        email="",
        reminder_consent=False,
        learner=holder["learner"],
    )[0]
    url = reverse("carnet_booking_cancel", args=[booking.pk])
    assert Client().post(url).status_code == 303  # back to the code form
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = holder["client"].cookies
    assert strict.post(url).status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_carnet_tells_the_date_in_french(holder, make_session):
    year = timezone.localdate().year + 1
    start = timezone.make_aware(datetime.datetime(year, 9, 1, 9, 30))
    booking_create(
        session=make_session(title="Premiers pas", start=start),
        first_name="Josiane",
        phone="",
        email="",
        reminder_consent=False,
        learner=holder["learner"],
    )
    page = text(holder["client"].get(reverse("carnet")))
    assert f"1er septembre {year} à 9 h 30" in page
