"""People screens on a 360px phone in a real Chromium: find a person by typing her name
without accents, open her page (chart and tables), give her a carnet and print the A6
card; recognise a person followed by another structure instead of creating a duplicate.
No horizontal scroll; axe on our own content (the Wagtail chrome around it is Wagtail's).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import Carnet, Learner, LearnerStructure
from learners.services import observation_record
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
    counsellor_user,
    level,
    socle_competences,
)

from .conftest import AXE_SOURCE, assert_accessible, assert_no_horizontal_scroll, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def people_data():
    structure = StructureFactory(name="Mairie de Landeronde")
    other = StructureFactory(name="Association Clic Vendée")
    user = counsellor_user(structure=structure)
    user.set_password(PASSWORD)
    user.save()
    commune = CommuneFactory(insee_code="85120", name="Landeronde", postal_codes="85150")
    helene = LearnerFactory(
        structure=structure,
        first_name="Hélène",
        last_name="Durand",
        birth_year=1948,
        commune=commune,
    )
    competence = socle_competences()[0]
    start = timezone.localdate() - datetime.timedelta(days=30)
    for index, rank in enumerate((0, 1, 1, 2)):
        session = SessionFactory(
            structure=structure, start=at(start + datetime.timedelta(days=7 * index))
        )
        AttendanceFactory(session=session, learner=helene, status=AttendanceStatus.PRESENT)
        observation_record(
            user=user,
            learner=helene,
            competence=competence,
            level=level("socle", rank),
            session=session,
        )
    josiane = LearnerFactory(
        structure=other, first_name="Josiane", last_name="Morel", birth_year=1951
    )
    return {"user": user, "structure": structure, "helene": helene, "josiane": josiane}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def assert_region_accessible(page, selector: str) -> None:
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (selector) => await axe.run({include: [selector]}, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
        'best-practice']}})""",
        selector,
    )
    violations = [v for v in result["violations"] if v["id"] != "region"]
    assert violations == [], format_violations(violations)


def test_find_open_and_give_a_carnet(phone, live_server, people_data):
    page = phone
    helene = people_data["helene"]
    log_in(page, live_server, people_data["user"])
    page.goto(live_server.url + reverse("learners_people"))
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-people")

    page.get_by_label("Chercher une personne").fill("helene")
    page.get_by_label("Chercher une personne").press("Enter")
    page.get_by_role("link", name="Hélène Durand").click()
    page.wait_for_url(re.compile(rf"/personnes/{helene.pk}/$"))
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-person")
    chart = page.locator("svg.chart").first
    assert chart.get_attribute("role") == "img"
    assert chart.is_visible()
    table = page.get_by_role("table", name=re.compile("Niveaux observés"))
    assert table.locator("tbody tr").count() == 4

    page.get_by_role("button", name="Remettre un carnet").click()
    page.get_by_text("Ce code ne sera plus jamais affiché.").wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-carnet-code")
    shown = page.locator(".ppl-code").inner_text()
    code = re.sub(r"\s", "", shown)
    assert len(code) == 16
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Imprimer la carte (nouvel onglet)").click()
    card = popup.value
    card.wait_for_load_state()
    assert card.locator("svg.carnet-qr").count() == 1
    assert re.sub(r"\s", "", card.locator(".code").inner_text()) == code
    assert_no_horizontal_scroll(card)
    assert_accessible(card)
    assert Carnet.objects.filter(learner=helene, revoked_at__isnull=True).count() == 1


def assert_controls_fit(page, selector: str) -> None:
    """No field sticks out of the phone's screen (hidden overflow is not scrolling)."""
    outside = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(
            selector + ' input, ' + selector + ' select, ' + selector + ' textarea, '
            + selector + ' button'))
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map((e) => e.name || e.id)""",
        selector,
    )
    assert outside == []


def test_recognise_instead_of_duplicating(phone, live_server, people_data):
    """Josiane is followed by another structure: the hint says only that a person born in
    1951 is followed elsewhere, and her carnet code (hers to show) links her record with
    her consent."""
    from learners.codes import code_generate, code_hash
    from learners.models import SharingConsent

    page = phone
    josiane = people_data["josiane"]
    code = code_generate()
    Carnet.objects.create(learner=josiane, code_hash=code_hash(code))
    log_in(page, live_server, people_data["user"])
    page.goto(live_server.url + reverse("learners_person_create"))
    assert_no_horizontal_scroll(page)
    assert_controls_fit(page, "#pap-person-form")
    page.get_by_label("Prénom").fill("josiane")
    page.get_by_label("Nom", exact=True).fill("morel")
    page.get_by_label("Année de naissance").fill("1951")
    page.get_by_role("button", name="Vérifier puis créer").click()
    page.get_by_text("Cette personne est peut-être déjà suivie").wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-person-form")
    assert_controls_fit(page, "#pap-person-form")
    assert page.get_by_text(
        "Une personne née en 1951 est déjà suivie par une autre structure du réseau."
    ).is_visible()
    assert not page.get_by_text("Josiane M.").is_visible()
    page.get_by_label("Elle a son carnet : saisir son code").fill(code)
    page.get_by_role("button", name="Rattacher avec son code").click()
    page.wait_for_url(re.compile(rf"/personnes/{josiane.pk}/$"))
    assert LearnerStructure.objects.filter(
        learner=josiane, structure=people_data["structure"]
    ).exists()
    assert SharingConsent.objects.filter(
        learner=josiane, structure=people_data["structure"], revoked_at__isnull=True
    ).exists()
    assert Learner.objects.filter(normalized_first_name="josiane").count() == 1
