"""Calendar files and feeds, parsed back with icalendar: one event per session, stable UIDs,
UTC times, cancelled sessions marked, the address, the link, no personal data; headers."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from learners.choices import AttendanceStatus, SessionKind
from tests.factories.learners import AttendanceFactory, LearnerFactory

from .conftest import public_session

pytestmark = pytest.mark.django_db
URL = "/pres-de-chez-vous/"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_one_session_file(client, network):
    venue = network["venues"]["roche"]
    venue.address = "12 rue de la Simbrandière"
    venue.save()
    session = public_session(
        venue, title="Créer son adresse e-mail", what_to_bring="Votre téléphone"
    )
    response = client.get(f"{URL}seances/{session.pk}/agenda.ics")
    assert f'filename="seance-{session.pk}.ics"' in response["Content-Disposition"]
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    (event,) = events(parse(response))
    assert str(event["summary"]) == "Créer son adresse e-mail"
    assert event.decoded("dtstart") == session.start
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(0)
    assert event.decoded("dtend") == session.end
    assert str(event["uid"]) == f"seance-{session.pk}@testserver"
    assert str(event["status"]) == "CONFIRMED"
    location = str(event["location"])
    assert "12 rue de la Simbrandière" in location and "85000 La Roche-sur-Yon" in location
    assert str(event["url"]).startswith("http://testserver/pres-de-chez-vous/")
    assert "Votre téléphone" in str(event["description"])


def test_unpublished_individual_or_unknown_session_is_404(client, network):
    venue = network["venues"]["roche"]
    hidden = public_session(venue, is_published=False)
    private = public_session(venue, kind=SessionKind.INDIVIDUAL)
    closed = public_session(network["venues"]["closed"])
    for pk in (hidden.pk, private.pk, closed.pk, 999999):
        assert client.get(f"{URL}seances/{pk}/agenda.ics").status_code == 404


def test_venue_feed(client, network):
    venue = network["venues"]["roche"]
    now = timezone.now()
    upcoming = public_session(venue, days=3, title="À venir")
    cancelled = public_session(
        venue, days=5, title="Annulée", cancelled_at=now, cancellation_reason="Conseillère malade"
    )
    recent = public_session(venue, days=-10, title="Il y a dix jours")
    public_session(venue, days=-40, title="Trop ancienne")
    public_session(venue, days=400, title="Trop lointaine")
    public_session(venue, days=2, title="Brouillon", is_published=False)
    public_session(venue, days=2, title="Rendez-vous", kind=SessionKind.INDIVIDUAL)
    learner = LearnerFactory(first_name="Josiane", last_name="Brochard", email="j@example.org")
    AttendanceFactory(session=upcoming, learner=learner, status=AttendanceStatus.REGISTERED)
    response = client.get(f"{URL}lieux/{venue.pk}/agenda.ics")
    assert f'filename="agenda-lieu-{venue.pk}.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    assert "Espace numérique du Bourg" in str(calendar["x-wr-calname"])
    found = {str(e["uid"]): e for e in events(calendar)}
    assert set(found) == {f"seance-{s.pk}@testserver" for s in (upcoming, cancelled, recent)}
    gone = found[f"seance-{cancelled.pk}@testserver"]
    assert str(gone["status"]) == "CANCELLED"
    assert "Conseillère malade" in str(gone["description"])
    body = response.content.decode()
    assert "Josiane" not in body and "Brochard" not in body and "example.org" not in body
    # The same UID on every download.
    again = {str(e["uid"]) for e in events(parse(client.get(f"{URL}lieux/{venue.pk}/agenda.ics")))}
    assert again == set(found)


def test_structure_feed_and_404s(client, network):
    venues = network["venues"]
    a = public_session(venues["roche"])
    b = public_session(venues["sables"])
    public_session(venues["closed"])
    calendar = parse(client.get(f"{URL}structures/{network['structure'].pk}/agenda.ics"))
    assert {str(e["uid"]) for e in events(calendar)} == {
        f"seance-{s.pk}@testserver" for s in (a, b)
    }
    assert client.get(f"{URL}structures/999999/agenda.ics").status_code == 404
    assert client.get(f"{URL}lieux/{venues['closed'].pk}/agenda.ics").status_code == 404
