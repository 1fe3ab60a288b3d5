"""« Messages envoyés » in the tracking menu: as each role, including those refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.models import MessageChannel, MessageKind, MessageSent
from tests.factories.bookings import BookingFactory
from tests.factories.learners import counsellor_user

from .people_helpers import assert_refused

pytestmark = pytest.mark.django_db

URL = "/admin/messages-envoyes/"


def sent(structure, *, channel, segments=1, kind=MessageKind.CONFIRMATION):
    booking = BookingFactory(session__structure=structure)
    return MessageSent.objects.create(
        structure=structure,
        booking=booking,
        channel=channel,
        kind=kind,
        session_start=booking.session.start,
        segments=segments if channel == MessageChannel.SMS else 0,
        sent_at=timezone.now(),
    )


@pytest.fixture
def world(structure_a, structure_b):
    sent(structure_a, channel=MessageChannel.SMS, segments=2)
    sent(structure_a, channel=MessageChannel.EMAIL, kind=MessageKind.REMINDER)
    sent(structure_b, channel=MessageChannel.SMS, segments=1)


def test_url_name():
    assert reverse("learners_messages") == URL


def test_coordinator_sees_every_structure(client, coordinator, world, structure_a, structure_b):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert structure_a.name in html and structure_b.name in html
    assert "En tout : SMS envoyés : 2 (SMS facturés : 3), courriels : 1" in html
    assert "Par type de message" in html and "Rappel la veille" in html


def test_structure_manager_sees_their_structure_by_kind(client, structure_a, structure_b, world):
    client.force_login(counsellor_user(structure=structure_a, manager=True))
    html = client.get(URL).content.decode()
    assert "En tout : SMS envoyés : 1 (SMS facturés : 2), courriels : 1" in html
    assert structure_b.name not in html
    assert "Par type de message" in html


def test_counsellor_sees_their_structure_totals(client, counsellor_b, structure_a, world):
    client.force_login(counsellor_b)
    html = client.get(URL).content.decode()
    assert "En tout : SMS envoyés : 1 (SMS facturés : 1), courriels : 0" in html
    assert structure_a.name not in html
    assert "Par type de message" not in html


def test_partner_editor_is_refused_and_has_no_menu_item(client, partner_editor, world):
    client.force_login(partner_editor)
    response = client.get(URL)
    assert_refused(response)  # Wagtail's refusal: back to the admin home, nothing shown
    assert "SMS" not in response.content.decode()
    assert URL not in client.get("/admin/").content.decode()


def test_menu_item_for_counsellors(client, counsellor_a):
    client.force_login(counsellor_a)
    assert URL in client.get("/admin/").content.decode()


def test_anonymous_is_sent_to_the_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_queries_bounded(client, coordinator, world, structure_a, django_assert_max_num_queries):
    client.force_login(coordinator)
    client.get(URL)
    for _ in range(5):
        sent(structure_a, channel=MessageChannel.SMS)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


def test_empty(client, coordinator):
    client.force_login(coordinator)
    assert "Aucun message envoyé ces douze derniers mois." in client.get(URL).content.decode()


def test_months_are_named_in_french(client, coordinator, structure_a):
    row = sent(structure_a, channel=MessageChannel.SMS)
    MessageSent.objects.filter(pk=row.pk).update(
        sent_at=timezone.now().replace(day=15) - datetime.timedelta(days=0)
    )
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    assert months[timezone.localdate().month - 1] in html.lower()
