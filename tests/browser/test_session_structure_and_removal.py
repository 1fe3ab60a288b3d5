"""At 360 px in a real Chromium: a coordinator chooses the structure of a new session
first (keyboard only), then sees that structure's venues only; a counsellor takes a
person registered by mistake off the sheet. Axe on the screens' own content."""

import pytest
from django.urls import reverse

from learners.choices import AttendanceStatus
from learners.models import Attendance
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
    coordinator_user,
    counsellor_user,
)

from .test_attendance_sheet import PASSWORD, assert_fits, assert_region_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def test_coordinator_chooses_the_structure_first_with_the_keyboard(phone_page, live_server):
    mairie = StructureFactory(name="Mairie de Landeronde")
    clic = StructureFactory(name="Association Clic Vendée")
    VenueFactory(structure=mairie, name="Salle du conseil")
    VenueFactory(structure=clic, name="Espace Clic")
    page = phone_page
    log_in(page, live_server, with_password(coordinator_user()))
    page.goto(live_server.url + reverse("learners_session_create") + "?date=2026-12-01")
    assert_region_accessible(page, ".pap-session-form")
    assert_fits(page)
    assert page.locator("select[name=place] option", has_text="Espace Clic").count() == 0
    chooser = page.get_by_label("Structure de la séance")
    chooser.focus()
    chooser.select_option(label="Association Clic Vendée")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"structure={clic.pk}" in page.url and "date=2026-12-01" in page.url
    places = page.locator("select[name=place] option")
    assert places.filter(has_text="Espace Clic").count() == 1
    assert places.filter(has_text="Salle du conseil").count() == 0
    assert page.locator("#id_date").input_value() == "2026-12-01"
    assert_region_accessible(page, ".pap-session-form")
    assert_fits(page)


def test_counsellor_takes_a_mistaken_registration_off_the_sheet(phone_page, live_server):
    structure = StructureFactory(name="Mairie de Landeronde")
    user = with_password(counsellor_user(structure=structure))
    session = SessionFactory(structure=structure, title="Atelier tablette", capacity=6)
    wrong = LearnerFactory(structure=structure, first_name="Gisèle", last_name="Erreur")
    right = LearnerFactory(structure=structure, first_name="Josiane", last_name="Martin")
    for person in (wrong, right):
        AttendanceFactory(session=session, learner=person, status=AttendanceStatus.REGISTERED)
    page = phone_page
    log_in(page, live_server, user)
    page.goto(live_server.url + reverse("learners_attendance_sheet", args=[session.pk]))
    line = page.locator(f"#ligne-{wrong.pk}")
    line.locator("summary").click()
    assert_region_accessible(page, "#pap-sheet")
    with page.expect_navigation():
        line.get_by_role("button", name="Retirer Gisèle E. de la séance").click()
    assert page.get_by_text("Gisèle E. n'est plus sur la feuille de la séance.").is_visible()
    assert page.locator(f"#ligne-{wrong.pk}").count() == 0
    assert page.locator(f"#ligne-{right.pk}").count() == 1
    assert list(Attendance.objects.filter(session=session).values_list("learner", flat=True)) == [
        right.pk
    ]
    assert_fits(page)
