"""The open lists (no key): agenda sessions, guides, ateliers."""

import datetime

import pytest
from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Session, Venue
from tests.factories.learners import AttendanceFactory, SessionFactory
from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    atelier_index_page,
    audience,
    competence,
    guide_index_page,
    theme,
)

pytestmark = pytest.mark.django_db


def _data(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_sessions_lists_the_public_agenda_only(client):
    atelier = AtelierPageFactory(parent=atelier_index_page(), audiences=[audience("seniors")])
    shown = SessionFactory(
        kind=SessionKind.WORKSHOP,
        title="Premiers pas sur la tablette",
        atelier=atelier,
        is_published=True,
        capacity=8,
    )
    shown.themes.set([theme("e-mail")])
    AttendanceFactory(session=shown)
    SessionFactory(kind=SessionKind.WORKSHOP, is_published=False)  # draft
    SessionFactory(kind=SessionKind.INDIVIDUAL, is_published=True)  # appointment
    SessionFactory(
        kind=SessionKind.WORKSHOP,
        is_published=True,
        start=timezone.now() - datetime.timedelta(days=1),
    )  # past
    (item,) = _data(client, "/api/v1/sessions")
    attributes = item["attributes"]
    assert (item["type"], item["id"]) == ("session", str(shown.pk))
    assert attributes["titre"] == "Premiers pas sur la tablette"
    assert attributes["places_restantes"] == 7
    assert attributes["lieu_id"] == str(shown.venue_id)
    assert attributes["thematiques"] == [{"slug": "e-mail", "nom": theme("e-mail").name}]
    assert [a["slug"] for a in attributes["publics"]] == ["seniors"]
    assert attributes["atelier"]["url"].startswith("http://testserver/")
    assert attributes["url"] == f"http://testserver/pres-de-chez-vous/seances/{shown.pk}/"


def test_a_page_of_sessions_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    for _ in range(12):
        session = SessionFactory(kind=SessionKind.WORKSHOP, is_published=True)
        session.themes.set([theme("e-mail")])
    # The page, themes, audiences, ateliers' audiences, and places (two).
    with django_assert_max_num_queries(7):
        assert len(_data(client, "/api/v1/sessions")) == 12


def test_an_edited_session_comes_back_in_the_incremental_sync(client):
    first, second = SessionFactory.create_batch(2, kind=SessionKind.WORKSHOP, is_published=True)
    Session.objects.update(updated_at=timezone.now() - datetime.timedelta(days=2))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert _data(client, "/api/v1/sessions", **{"filter[modification][depuis]": since}) == []
    second.title = "Nouvel intitulé"
    second.save()
    synced = _data(client, "/api/v1/sessions", **{"filter[modification][depuis]": since})
    assert [item["id"] for item in synced] == [str(second.pk)]


def test_guides_list_live_public_pages_with_licence_and_competences(client):
    guide = GuidePageFactory(
        parent=guide_index_page(),
        title="Créer une adresse e-mail",
        competences=[competence("2.1")],
        themes=[theme("e-mail")],
    )
    GuidePageFactory(parent=guide_index_page(), publish=False)  # draft
    (item,) = _data(client, "/api/v1/fiches")
    attributes = item["attributes"]
    assert (item["type"], item["id"]) == ("fiche", str(guide.pk))
    assert attributes["titre"] == "Créer une adresse e-mail"
    assert attributes["resume"] == guide.summary
    assert [c["code"] for c in attributes["competences"]] == ["2.1"]
    assert attributes["competences"][0]["referentiel"] == "crcn"
    assert attributes["licence"] == {
        "code": "etalab-2.0",
        "nom": "Licence Ouverte / Etalab 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
    assert attributes["url"] == f"http://testserver{guide.url}"


def test_a_guide_moved_into_a_partner_section_comes_back_with_its_new_url(client):
    from workshops.services.editorial import partner_sections_ensure

    guide = GuidePageFactory(parent=guide_index_page(), title="Guide déplacé")
    (section,) = partner_sections_ensure(name="Association Clic")
    since = timezone.now()
    assert _data(client, "/api/v1/fiches", **{"filter[modification][depuis]": since}) == []
    guide.move(section, pos="last-child")
    guide.refresh_from_db()
    (item,) = _data(client, "/api/v1/fiches", **{"filter[modification][depuis]": since})
    assert item["id"] == str(guide.pk)
    assert item["attributes"]["url"] == f"http://testserver{guide.url}"
    assert "/association-clic/" in item["attributes"]["url"]
    assert item["attributes"]["modification"] >= since.astimezone(datetime.UTC).isoformat()


def test_ateliers_list_their_audiences_and_duration(client):
    atelier = AtelierPageFactory(
        parent=atelier_index_page(), audiences=[audience("seniors")], duration_minutes=120
    )
    (item,) = _data(client, "/api/v1/ateliers")
    assert (item["type"], item["id"]) == ("atelier", str(atelier.pk))
    assert item["attributes"]["duree_minutes"] == 120
    assert item["attributes"]["licence"]["code"] == "cc-by-sa-4.0"
    assert [a["slug"] for a in item["attributes"]["publics"]] == ["seniors"]
    # The facilitator notes are not published.
    assert "NOTE-ANIMATEUR" not in str(item)


def test_open_lists_need_no_key_and_write_no_audit_line(client):
    from learners.models import AuditLog

    SessionFactory(kind=SessionKind.WORKSHOP, is_published=True)
    for url in ("/api/v1/sessions", "/api/v1/fiches", "/api/v1/ateliers"):
        assert client.get(url).status_code == 200
    assert AuditLog.objects.count() == 0


def test_venues_are_the_national_standard_rows(client):
    from learners.national.lieux import COLUMNS, venue_standard_row
    from tests.factories.learners import VenueFactory

    venue = VenueFactory(
        name="Médiathèque des Sables", latitude=46.5, longitude=-1.78, pivot="12345678901234"
    )
    VenueFactory(is_active=False)
    (item,) = _data(client, "/api/v1/lieux")
    assert (item["type"], item["id"]) == ("lieu", str(venue.pk))
    expected = venue_standard_row(
        Venue.objects.select_related("structure", "commune").get(pk=venue.pk)
    )
    assert [item["attributes"][column] for column in COLUMNS] == [
        expected[column] for column in COLUMNS
    ]
    assert item["attributes"]["nom"] == "Médiathèque des Sables"


def test_venues_are_the_open_files_venues(client):
    """/lieux, the open files: one set of venues (`open_venues()` less the incomplete)."""
    from learners.selectors.venues_standard import open_venue_rows
    from tests.factories.learners import StructureFactory, VenueFactory

    complete = VenueFactory(name="Médiathèque des Sables", pivot="12345678901234")
    VenueFactory(address="", structure=StructureFactory(siret=""), pivot="")  # incomplete
    listed = _data(client, "/api/v1/lieux")
    assert [item["id"] for item in listed] == [str(complete.pk)]
    assert [item["attributes"]["id"] for item in listed] == [row["id"] for row in open_venue_rows()]
