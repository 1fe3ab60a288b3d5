"""The attendance sheet on a 360×740 phone in a real Chromium: a counsellor logs in, taps
"Présent" for three people, sets a level, saves once; finds a person by typing her name
without accents and registers her from the suggestions; keyboard use; no horizontal
scroll; axe on the screen's own content.

Axe is scoped to our content region (`#pap-sheet`): the Wagtail admin chrome around it
(sidebar, header) is Wagtail's, outside this project's templates.
"""

import pytest
from django.urls import reverse

from learners.choices import AttendanceStatus, ObservationSource
from learners.models import Attendance, CompetenceSummary, Observation
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    counsellor_user,
    level,
    socle_competences,
)

from .conftest import AXE_SOURCE, assert_no_horizontal_scroll, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def sheet_data():
    structure = StructureFactory(name="Mairie de Landeronde")
    other = StructureFactory(name="Association Clic Vendée")
    user = counsellor_user(structure=structure)
    user.set_password(PASSWORD)
    user.save()
    commune = CommuneFactory(insee_code="85120", name="Landeronde", postal_codes="85150")
    socle = socle_competences()
    session = SessionFactory(
        structure=structure, title="Atelier smartphone", competences=socle[:2], capacity=12
    )
    names = ["Bernadette", "Gérard", "Josiane", "Marcel", "Yvette"]
    people = [
        LearnerFactory(structure=structure, first_name=name, last_name="Martin", commune=commune)
        for name in names
    ]
    for person in people:
        AttendanceFactory(session=session, learner=person, status=AttendanceStatus.REGISTERED)
    helene = LearnerFactory(
        structure=structure, first_name="Hélène", last_name="Durand", birth_year=1948
    )
    LearnerFactory(structure=other, first_name="Héléna", last_name="Ailleurs")
    return {
        "user": user,
        "session": session,
        "people": people,
        "helene": helene,
        "competences": socle[:2],
    }


@pytest.fixture
def touch_phone(chromium):
    """The 360×740 phone of the harness, with a touch screen (so `tap()` works)."""
    context = chromium.new_context(
        locale="fr-FR",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
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
    # "region" needs the whole page's landmarks: it is the chrome's business, not ours.
    violations = [v for v in result["violations"] if v["id"] != "region"]
    assert violations == [], format_violations(violations)


def line(page, learner):
    return page.locator(f"#ligne-{learner.pk}")


def test_mark_three_present_set_a_level_and_save(touch_phone, live_server, sheet_data):
    page = touch_phone
    session = sheet_data["session"]
    people = sheet_data["people"]
    competence = sheet_data["competences"][0]
    log_in(page, live_server, sheet_data["user"])
    page.goto(live_server.url + reverse("learners_attendance_sheet", args=[session.pk]))

    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-sheet")

    for person in people[:3]:
        line(page, person).get_by_role("radio", name="Présent").tap()
    line(page, people[3]).get_by_role("radio", name="Absent").tap()
    line(page, people[0]).locator(f"select[name='p{people[0].pk}-c{competence.pk}']").select_option(
        label="2 – Acquis"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la feuille").tap()
    page.get_by_text("Feuille enregistrée").wait_for()

    statuses = dict(Attendance.objects.filter(session=session).values_list("learner_id", "status"))
    assert [statuses[p.pk] for p in people] == [
        AttendanceStatus.PRESENT,
        AttendanceStatus.PRESENT,
        AttendanceStatus.PRESENT,
        AttendanceStatus.ABSENT,
        AttendanceStatus.REGISTERED,
    ]
    observation = Observation.objects.get(session=session)
    assert (observation.learner_id, observation.competence_id) == (people[0].pk, competence.pk)
    assert observation.level == level("socle", 2)
    assert observation.source == ObservationSource.COUNSELLOR
    summary = CompetenceSummary.objects.get(learner=people[0], competence=competence)
    assert summary.current_level == level("socle", 2)

    # The saved state is shown again, still without horizontal scroll, still accessible.
    assert line(page, people[0]).locator("input[value=present]").is_checked()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-sheet")


def test_find_a_person_typed_without_accents_and_register_her(touch_phone, live_server, sheet_data):
    page = touch_phone
    session = sheet_data["session"]
    helene = sheet_data["helene"]
    log_in(page, live_server, sheet_data["user"])
    page.goto(live_server.url + reverse("learners_attendance_sheet", args=[session.pk]))

    # Unsaved marks are kept when a person is added from the suggestions.
    first = sheet_data["people"][0]
    line(page, first).get_by_role("radio", name="Présent").tap()

    search = page.get_by_role("combobox", name="Chercher une personne déjà connue")
    search.fill("helene")
    suggestions = page.get_by_role("listbox", name="Personnes trouvées")
    option = suggestions.get_by_role("option", name="Hélène D.")
    option.wait_for()
    # Only the user's structure: the other structure's "Héléna" is never suggested.
    assert suggestions.get_by_role("option").count() == 1
    assert_region_accessible(page, "#pap-sheet")
    option.tap()
    page.wait_for_url(lambda url: f"#ligne-{helene.pk}" in url)
    page.wait_for_load_state()

    assert line(page, helene).is_visible()
    attendance = Attendance.objects.get(session=session, learner=helene)
    assert attendance.status == AttendanceStatus.REGISTERED
    assert Attendance.objects.get(session=session, learner=first).status == "present"


def test_keyboard_only(browser_page, live_server, sheet_data):
    page = browser_page
    session = sheet_data["session"]
    person = sheet_data["people"][1]
    log_in(page, live_server, sheet_data["user"])
    page.goto(live_server.url + reverse("learners_attendance_sheet", args=[session.pk]))
    present = line(page, person).locator("input[value=present]")
    present.focus()
    page.keyboard.press("Space")
    assert present.is_checked()
    page.keyboard.press("ArrowRight")
    assert line(page, person).locator("input[value=absent]").is_checked()
    # The focus is visible on the segmented control.
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
    )
    assert outline == "solid"
    search = page.get_by_role("combobox", name="Chercher une personne déjà connue")
    search.focus()
    page.keyboard.type("hele")
    page.get_by_role("listbox", name="Personnes trouvées").get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "#ligne-" in url)
    assert Attendance.objects.filter(session=session, learner=sheet_data["helene"]).exists()
    assert Attendance.objects.get(session=session, learner=person).status == "absent"
