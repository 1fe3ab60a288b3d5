"""« Présent » on online sign-ups from the attendance sheet, on a 360×740 phone in a real
Chromium: the sign-up of a known person is linked at once; for someone the structure
cannot recognise for sure, the counsellor picks the record; no duplicate is created. Axe
on our content (sheet, « Qui est venu ? ») and on the printable sign-in sheet at 320 px.
"""

import secrets

import pytest
from django.urls import reverse

from learners.choices import AttendanceStatus
from learners.models import Attendance, Booking, Learner
from tests.factories.learners import (
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    counsellor_user,
)

from .conftest import AXE_SOURCE, assert_no_horizontal_scroll, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def touch_phone(chromium):
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


def booking(session, first_name, phone=""):
    return Booking.objects.create(
        session=session, first_name=first_name, phone=phone, token=secrets.token_urlsafe(32)
    )


def assert_accessible(page, selector: str | None) -> None:
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (selector) => await axe.run(selector ? {include: [selector]} : document,
        {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',
        'wcag21a', 'wcag21aa', 'best-practice']}})""",
        selector,
    )
    violations = [v for v in result["violations"] if selector is None or v["id"] != "region"]
    assert violations == [], format_violations(violations)


def test_check_in_online_sign_ups_on_a_phone(touch_phone, live_server):
    structure = StructureFactory(name="Mairie de Landeronde")
    user = counsellor_user(structure=structure)
    user.set_password(PASSWORD)
    user.save()
    session = SessionFactory(structure=structure, title="Mes e-mails", capacity=8)
    josiane = LearnerFactory(structure=structure, first_name="Josiane", phone="06 12 34 56 78")
    marcel_a = LearnerFactory(structure=structure, first_name="Marcel", last_name="Roy")
    LearnerFactory(structure=structure, first_name="Marcel", last_name="Blanc")
    booking(session, "Josiane", "+33612345678")
    marcel_booking = booking(session, "Marcel")
    people_before = Learner.objects.count()

    page = touch_phone
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(live_server.url + reverse("learners_attendance_sheet", args=[session.pk]))
    assert_no_horizontal_scroll(page)
    assert_accessible(page, "#pap-sheet")

    with page.expect_navigation():
        page.get_by_role("button", name="Présent : Josiane").tap()
    page.get_by_text("Présence notée pour").first.wait_for()
    assert Attendance.objects.get(learner=josiane).status == AttendanceStatus.PRESENT

    with page.expect_navigation():
        page.get_by_role("button", name="Présent : Marcel").tap()
    assert "/qui/" in page.url
    assert_no_horizontal_scroll(page)
    assert_accessible(page, "#pap-booking-pick")
    with page.expect_navigation():
        page.get_by_role("button", name="C'est Marcel R. : la marquer présente").tap()
    marcel_booking.refresh_from_db()
    assert marcel_booking.learner_id == marcel_a.pk
    assert Learner.objects.count() == people_before  # no duplicate

    small = page.context.browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    small.add_cookies(page.context.cookies())
    sheet = small.new_page()
    sheet.goto(live_server.url + reverse("learners_signin_sheet", args=[session.pk]))
    assert sheet.get_by_text("Roy").count() >= 1
    assert_no_horizontal_scroll(sheet)
    assert_accessible(sheet, None)
    small.close()
