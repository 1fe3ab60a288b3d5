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
    assert_fits(page)
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


def assert_fits(page, selector: str = ".pap") -> None:
    """No element of our content is wider than the viewport (the admin hides horizontal
    overflow, so a page-level scroll check alone would not see a clipped control)."""
    overflow = page.evaluate(
        """(selector) => {
            const width = document.documentElement.clientWidth;
            let worst = 0;
            let culprit = '';
            for (const el of document.querySelectorAll(selector + ' *')) {
                const box = el.getBoundingClientRect();
                if (box.width && box.right - width > worst) {
                    worst = box.right - width;
                    culprit = el.outerHTML.slice(0, 120);
                }
            }
            return [worst, culprit];
        }""",
        selector,
    )
    assert overflow[0] <= 1, f"un élément dépasse de {overflow[0]}px à droite : {overflow[1]}"


def session_from_curriculum(page, live_server, atelier):
    """Create a session from the sessions page, starting from `atelier`'s curriculum."""
    page.goto(live_server.url + reverse("learners_sessions"))
    assert_fits(page)
    page.select_option("#from-atelier", label="Envoyer ses premiers e-mails")
    page.get_by_role("button", name="Continuer").tap()
    page.wait_for_url(lambda url: f"atelier={atelier.pk}" in url)
    assert page.locator("input[name=duration][value='90']").is_checked()
    assert page.locator("input[name=kind][value=atelier]").is_checked()
    assert_fits(page)
    assert_region_accessible(page, ".pap")
    page.fill("input[name=time]", "14:00")
    page.select_option("select[name=place]", index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Créer la séance").tap()
    session = atelier.sessions.get()
    assert session.duration_minutes == 90 and session.capacity == 8
    assert session.competences.count() == 2
    return session


def register_new_person(page, first_name: str, commune: str) -> None:
    """Register a new person from the sheet (`commune`: typed, then picked from the
    suggestions; empty: none)."""
    with page.expect_navigation():
        page.get_by_role("button", name="Nouvelle personne").tap()
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label("Année de naissance").fill("1950")
    if commune:
        page.get_by_role("combobox", name="Commune de résidence").fill(commune)
        page.get_by_role("listbox", name="Communes trouvées").get_by_role(
            "option", name="Landeronde (85150)"
        ).tap()
    assert_fits(page)
    assert_region_accessible(page, ".pap")
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier puis inscrire").tap()
    page.wait_for_load_state()


def mark_present_with_a_level_and_save(page, session, people) -> None:
    competence_id = session.competences.order_by("sort_order").first().pk
    for attendance in people:
        row = line(page, attendance.learner)
        row.get_by_role("radio", name="Présent").tap()
        row.locator(f"select[name='p{attendance.learner_id}-c{competence_id}']").select_option(
            label="1 – En cours"
        )
    assert_fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la feuille").tap()
    page.get_by_text("Feuille enregistrée").wait_for()
    assert set(session.attendances.values_list("status", flat=True)) == {"present"}
    assert Observation.objects.filter(session=session, competence_id=competence_id).count() == 3


def test_new_user_scenario_from_a_curriculum(touch_phone, live_server, sheet_data):
    """The issue's check, at 360 px: create a session from a curriculum, register an
    existing person found without accents and two new people, mark them present, record
    levels, save once."""
    from tests.factories.workshops import AtelierPageFactory, competence

    page = touch_phone
    atelier = AtelierPageFactory(
        title="Envoyer ses premiers e-mails",
        duration_minutes=90,
        group_size_max=8,
        competences=[competence("S2.1"), competence("S2.2")],
    )
    log_in(page, live_server, sheet_data["user"])
    session = session_from_curriculum(page, live_server, atelier)

    # An existing person, typed without accents.
    search = page.get_by_role("combobox", name="Chercher une personne déjà connue")
    search.fill("helene")
    page.get_by_role("listbox", name="Personnes trouvées").get_by_role(
        "option", name="Hélène D."
    ).tap()
    page.wait_for_url(lambda url: "#ligne-" in url)

    # Two new people (the second with a commune picked from the suggestions).
    for first_name, commune in (("Odette", ""), ("Raymond", "lande")):
        register_new_person(page, first_name, commune)

    people = list(session.attendances.select_related("learner").order_by("learner__first_name"))
    assert [a.learner.first_name for a in people] == ["Hélène", "Odette", "Raymond"]
    assert people[2].learner.commune_id == "85120"
    mark_present_with_a_level_and_save(page, session, people)

    # The progress shows on the dashboard (and the admin home), which fit and pass axe.
    for url in (reverse("learners_dashboard"), reverse("wagtailadmin_home")):
        page.goto(live_server.url + url)
        page.get_by_text("Ont progressé ce mois-ci").first.wait_for()
        assert_fits(page)
        assert_region_accessible(page, ".pap-dash")
    page.goto(live_server.url + reverse("learners_sessions"))
    assert_region_accessible(page, ".pap")


def test_without_javascript(chromium, live_server, sheet_data):
    """Every step of our screens works with JavaScript off: search with the "Chercher"
    button, register from the results, mark present, record a level, save; the commune by
    postal code. Desktop width: without JavaScript, Wagtail's own sidebar stays expanded
    over the content of a phone-sized window (the admin chrome, not our screens)."""
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    session = sheet_data["session"]
    helene = sheet_data["helene"]
    person = sheet_data["people"][0]
    competence = sheet_data["competences"][1]
    try:
        log_in(page, live_server, sheet_data["user"])
        page.goto(live_server.url + reverse("learners_attendance_sheet", args=[session.pk]))
        line(page, person).get_by_role("radio", name="Présent").check()
        line(page, person).locator(f"select[name='p{person.pk}-c{competence.pk}']").select_option(
            label="3 – Autonome"
        )
        page.get_by_label("Chercher une personne déjà connue").fill("HELENE")
        with page.expect_navigation():
            page.get_by_role("button", name="Chercher", exact=True).click()
        assert page.get_by_role("button", name="Inscrire Héléna").count() == 0
        with page.expect_navigation():
            page.get_by_role("button", name="Inscrire Hélène D.").click()
        assert Attendance.objects.filter(session=session, learner=helene).exists()
        # The marks made before the search were saved (and so was the level).
        observation = Observation.objects.get(session=session, learner=person)
        assert observation.level == level("socle", 3)

        with page.expect_navigation():
            page.get_by_role("button", name="Nouvelle personne").click()
        page.get_by_label("Prénom").fill("Paulette")
        page.get_by_label("Commune de résidence").fill("85150")
        with page.expect_navigation():
            page.get_by_role("button", name="Chercher la commune").click()
        assert page.get_by_label("Prénom").input_value() == "Paulette"
        page.get_by_label("Commune choisie").select_option(label="Landeronde (85150)")
        with page.expect_navigation():
            page.get_by_role("button", name="Vérifier puis inscrire").click()
        paulette = Attendance.objects.get(session=session, learner__first_name="Paulette")
        assert paulette.learner.commune_id == "85120"
    finally:
        context.close()
