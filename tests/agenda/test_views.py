"""The agenda's pages: search with and without a commune, choices, vague or unknown input,
bad parameters (200 with a French message, never 500), venue page (404 when closed),
French dates, distances and places; bounded queries."""

import html as htmllib

import pytest
from django.utils import timezone

from learners.choices import AttendanceStatus, SessionKind
from tests.factories.learners import AttendanceFactory
from tests.queries import count_queries

from .conftest import at, public_session

pytestmark = pytest.mark.django_db
URL = "/pres-de-chez-vous/"


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_commune_the_next_dates_of_the_network_and_an_invitation(client, network):
    public_session(network["venues"]["sables"], title="Atelier aux Sables")
    page = text(client.get(URL))
    assert "Les prochaines dates du réseau" in page
    assert "Indiquez votre commune" in page
    assert "Atelier aux Sables" in page
    assert 'for="agenda-commune"' in page
    # 20 km unless the person chooses otherwise, the other filters folded away.
    assert '<option value="20" selected>' in page
    assert '<details class="agenda-more">' in page


def test_the_chosen_distance_stays_selected_and_filters_open(client, network):
    page = text(client.get(URL, {"commune": "85191", "distance": "50", "type": "atelier"}))
    assert '<option value="50" selected>' in page
    assert '<details class="agenda-more" open>' in page


def test_a_commune_typed_the_way_people_type(client, network):
    venues = network["venues"]
    session = public_session(
        venues["mouilleron"], title="Créer son adresse e-mail", days=0, hour=23, capacity=3
    )
    session.start = at(6, 14)
    session.save()
    AttendanceFactory.create_batch(2, session=session, status=AttendanceStatus.REGISTERED)
    page = text(client.get(URL, {"commune": "la roche sur yon"}))
    assert "1 date à moins de 20 km de La Roche-sur-Yon (85000)" in page
    assert "Créer son adresse e-mail" in page
    assert "de 14 h à 16 h" in page
    assert "Maison des associations" in page and "Mouilleron-le-Captif" in page
    assert "à 5 km" in page or "à 6 km" in page
    assert "1 place libre" in page
    assert f'href="/pres-de-chez-vous/lieux/{venues["mouilleron"].pk}/"' in page


def test_commune_names_take_french_elision_and_zero_is_aucune(client, network):
    public_session(network["venues"]["roche"], title="Loin des Sables")
    page = htmllib.unescape(text(client.get(URL, {"commune": "85100", "distance": "10"})))
    assert "Ateliers et permanences près des Sables-d'Olonne (85100)" in page
    assert "Aucune date à moins de 10 km des Sables-d'Olonne (85100)" in page
    assert "0 date" not in page and "Loin des Sables" not in page
    public_session(network["venues"]["sables"], title="Aux Sables")
    page = htmllib.unescape(text(client.get(URL, {"commune": "85100", "distance": "5"})))
    assert "1 date à moins de 5 km des Sables-d'Olonne (85100)" in page


def test_places_wording(client, network):
    venue = network["venues"]["roche"]
    free = public_session(venue, days=1, capacity=5, title="Libre")
    full = public_session(venue, days=2, capacity=1, title="Pleine")
    closed = public_session(venue, days=3, capacity=1, waitlist_capacity=0, title="Fermée")
    public_session(venue, days=4, capacity=None, title="Sans limite", kind=SessionKind.DROP_IN)
    for session in (full, closed):
        AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    page = text(client.get(URL, {"commune": "85191"}))
    assert "5 places libres" in page
    assert "Complet : liste d&#x27;attente" in page or "Complet : liste d'attente" in page
    assert ">Complet<" in page
    assert "Places non limitées" in page
    assert free.title in page


def test_several_communes_let_the_person_choose(client, network):
    page = text(client.get(URL, {"commune": "85000", "distance": "10"}))
    assert "Plusieurs communes correspondent à « 85000 »" in page
    assert "code_insee=85191" in page and "code_insee=85155" in page
    assert "distance=10" in page
    chosen = text(client.get(URL, {"commune": "Mouilleron-le-Captif", "code_insee": "85155"}))
    assert "de Mouilleron-le-Captif (85000)" in chosen


def test_too_vague_and_unknown(client, network):
    assert "Pouvez-vous préciser ?" in text(client.get(URL, {"commune": "85"}))
    page = text(client.get(URL, {"commune": "Atlantide"}))
    assert "Nous ne trouvons pas la commune « Atlantide »" in page


@pytest.mark.parametrize(
    "params",
    [
        {"distance": "9999"},
        {"type": "individuel"},
        {"thematique": "n-existe-pas"},
        {"quand": "a-partir-du", "date": "32/13/2026"},
        {"page": "-1"},
        {"page": "99999999999999"},
        {"commune": "x" * 5000},
        {"code_insee": "<b>x</b>"},
        {"code_insee": "85\x00191"},
        {"code_insee": "\x00"},
        {"commune": "La Roche\x00", "code_insee": "85191"},
        {"page": "²"},
        {"page": "١٢"},
        {"page": "\x00"},
        {"niveau": "expert'--"},
    ],
)
def test_bad_input_gets_a_french_message_never_a_500(client, network, params):
    public_session(network["venues"]["roche"], title="Toujours là")
    page = text(client.get(URL, params))
    assert "<b>x</b>" not in page
    assert "Toujours là" in page or "Aucune date" in page or "Nous ne trouvons pas" in page
    if set(params) & {"distance", "type", "thematique", "date", "niveau"}:
        assert "Un choix n&#x27;a pas été compris" in page or "Un choix n'a pas été compris" in page
        assert 'aria-invalid="true"' in page


def test_date_filters(client, network):
    venue = network["venues"]["roche"]
    public_session(venue, days=40, title="Plus tard")
    soon = public_session(venue, days=0, title="Bientôt")
    soon.start = timezone.now() + timezone.timedelta(hours=1)
    soon.save()
    week = text(client.get(URL, {"commune": "85000", "code_insee": "85191", "quand": "semaine"}))
    assert "Bientôt" in week and "Plus tard" not in week
    later = at(30).date().isoformat()
    page = text(client.get(URL, {"code_insee": "85191", "quand": "a-partir-du", "date": later}))
    assert "Plus tard" in page and "Bientôt" not in page


def test_query_count_bounded(client, network):
    venues = network["venues"]
    public_session(venues["roche"])
    few = count_queries(client, URL + "?commune=85191")
    for day in range(1, 25):
        public_session(venues["roche"], days=day)
        public_session(venues["mouilleron"], days=day)
    assert count_queries(client, URL + "?commune=85191") == few <= 10
    assert count_queries(client, URL) <= 10


def test_venue_page(client, network):
    venue = network["venues"]["roche"]
    venue.opening_hours = "Mo-Fr 09:00-12:00,14:00-17:30; PH off"
    venue.access_details = "Bus ligne 2, arrêt Bourg."
    venue.phone = "+33251000000"
    venue.takes_appointments = True
    venue.save()
    public_session(venue, title="Café numérique", kind=SessionKind.DISCUSSION)
    page = text(client.get(f"{URL}lieux/{venue.pk}/"))
    assert "Du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30" in page
    assert "Fermé les jours fériés" in page
    assert "Bus ligne 2, arrêt Bourg." in page
    assert 'href="tel:+33251000000">02 51 00 00 00</a>' in page
    assert "Café numérique" in page
    assert "Sur rendez-vous" in page
    assert f"{URL}lieux/{venue.pk}/agenda.ics" in page


def test_venue_page_with_unreadable_hours_shows_them_as_typed(client, network):
    venue = network["venues"]["roche"]
    venue.opening_hours = "le mardi matin, sauf vacances"
    venue.save()
    assert "le mardi matin, sauf vacances" in text(client.get(f"{URL}lieux/{venue.pk}/"))


def test_closed_or_unknown_venue_is_404(client, network):
    assert client.get(f"{URL}lieux/{network['venues']['closed'].pk}/").status_code == 404
    assert client.get(f"{URL}lieux/999999/").status_code == 404


def test_venue_page_query_count(client, network):
    venue = network["venues"]["roche"]
    public_session(venue)
    few = count_queries(client, f"{URL}lieux/{venue.pk}/")
    for day in range(1, 15):
        public_session(venue, days=day)
    assert count_queries(client, f"{URL}lieux/{venue.pk}/") == few <= 8


def test_post_is_refused(client, network):
    assert client.post(URL).status_code == 405
