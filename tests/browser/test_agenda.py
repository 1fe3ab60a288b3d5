"""The public agenda in a real Chromium: zero axe violations on the search (empty, with
results, no result, choices), a venue page and an atelier page with its dates, at 320 px
and at 200 % zoom; the search works from the keyboard without JavaScript."""

import pytest

from learners.choices import AttendanceStatus, SessionKind
from learners.models import Commune
from tests.agenda.conftest import COMMUNES, public_session
from tests.factories.editorial import atelier_create
from tests.factories.learners import AttendanceFactory, StructureFactory, VenueFactory

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def agenda_data():
    communes = {}
    for code, (name, postal, lat, lng, population, delegated) in COMMUNES.items():
        communes[code] = Commune.objects.create(
            insee_code=code,
            name=name,
            department_code=code[:2],
            postal_codes=postal,
            latitude=lat,
            longitude=lng,
            population=population,
            delegated_names=delegated,
        )
    structure = StructureFactory(name="Espace numérique de l'Yon")
    venue = VenueFactory(
        structure=structure,
        name="Espace numérique du Bourg",
        commune=communes["85191"],
        opening_hours="Tu-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
        access_details="Bus ligne 2, arrêt Bourg. Salle au rez-de-chaussée.",
        accessibility="Accessible en fauteuil roulant.",
        phone="02 51 00 00 01",
        takes_appointments=True,
        # Every section the standard's fields add to the venue page, so that axe checks them.
        summary="Un espace pour apprendre le numérique, seul ou en groupe.",
        description="Ordinateurs en libre accès.\nAteliers chaque semaine.",
        address_complement="Rez-de-chaussée",
        mobility=["Itinérant"],
        access_modes=["Se présenter", "Téléphoner"],
        fees=["Gratuit"],
        acceslibre_url="https://acceslibre.beta.gouv.fr/app/85-la-roche-sur-yon/a/espace/erp/bourg/",
        emails=["bourg@mairie-exemple.fr", "accueil@mairie-exemple.fr"],
        support_modes=["Accompagnement individuel", "Dans un atelier collectif"],
        audiences=["Seniors", "Jeunes"],
        publics="demandeurs d'emploi",
        specific_support=["Surdité"],
        booking_url="https://rdv.mairie-exemple.fr/bourg",
    )
    other = VenueFactory(
        structure=structure, name="Maison des associations", commune=communes["85155"]
    )
    atelier = atelier_create(title="Créer et utiliser son adresse e-mail")
    session = public_session(venue, days=2, atelier=atelier, title=atelier.title, capacity=1)
    AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    public_session(other, days=3, title="Café numérique", kind=SessionKind.DISCUSSION)
    public_session(venue, days=5, title="Permanence numérique", kind=SessionKind.DROP_IN)
    return {"venue": venue, "atelier": atelier}


PAGES = {
    "empty": "/pres-de-chez-vous/",
    "results": "/pres-de-chez-vous/?commune=la+roche+sur+yon",
    "no-result": "/pres-de-chez-vous/?commune=Atlantide",
    "choices": "/pres-de-chez-vous/?commune=85000",
    "bad-input": "/pres-de-chez-vous/?commune=85000&code_insee=85191&quand=a-partir-du&date=xx",
}


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 320, "height": 640, "device_scale_factor": 1},
        {"width": 640, "height": 450, "device_scale_factor": 2},  # 200 % of 1280 px
    ],
    ids=["320px", "zoom-200"],
)
def test_agenda_pages_pass_axe_and_fit(live_server, chromium, agenda_data, viewport):
    size = {"width": viewport["width"], "height": viewport["height"]}
    context = chromium.new_context(
        locale="fr-FR", viewport=size, device_scale_factor=viewport["device_scale_factor"]
    )
    page = context.new_page()
    urls = [
        *PAGES.values(),
        f"/pres-de-chez-vous/lieux/{agenda_data['venue'].pk}/",
        agenda_data["atelier"].url,
    ]
    for url in urls:
        page.goto(live_server.url + url)
        assert page.locator("h1").is_visible(), url
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
    context.close()


def test_results_read_plainly(live_server, browser_page, agenda_data):
    page = browser_page
    page.goto(live_server.url + PAGES["results"])
    assert page.get_by_text("Complet : liste d'attente").is_visible()
    assert page.get_by_text("Café numérique").is_visible()
    page.goto(live_server.url + agenda_data["atelier"].url)
    assert page.get_by_role("heading", name="Prochaines dates").is_visible()
    page.goto(live_server.url + f"/pres-de-chez-vous/lieux/{agenda_data['venue'].pk}/")
    assert page.get_by_text("Du mardi au vendredi de 9 h à 12 h et de 14 h à 17 h 30").is_visible()
    assert page.get_by_text("Fermé les jours fériés").is_visible()


def test_search_from_the_keyboard_without_javascript(live_server, chromium, agenda_data):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/pres-de-chez-vous/")
    field = page.get_by_label("Votre commune ou son code postal")
    field.focus()
    page.keyboard.type("st gilles")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Plusieurs communes correspondent à « st gilles »")
    page.get_by_role("link", name="Saint-Gilles-Croix-de-Vie").click()
    page.wait_for_load_state()
    assert "code_insee=85222" in page.url
    page.get_by_label("Votre commune ou son code postal").fill("85000")
    page.get_by_label("Jusqu'à quelle distance ?").select_option("5")
    page.get_by_role("button", name="Voir les dates").press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name="La Roche-sur-Yon").click()
    page.wait_for_load_state()
    assert page.get_by_text("Créer et utiliser son adresse e-mail").is_visible()
    context.close()
