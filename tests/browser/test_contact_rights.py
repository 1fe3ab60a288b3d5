"""« Demande d'une personne inscrite en ligne » on a 360px phone in a real Chromium: a
counsellor types the phone number a person signed up with, reads what is held, erases it
after confirming. No horizontal scroll; axe on our own content (the Wagtail chrome around
it is Wagtail's)."""

import pytest
from django.urls import reverse

from learners.models import AuditLog, Booking
from tests.factories.agenda_privacy import AppointmentRequestFactory
from tests.factories.bookings import BookingFactory
from tests.factories.learners import SessionFactory, StructureFactory, VenueFactory, counsellor_user

from .conftest import assert_no_horizontal_scroll
from .test_person_admin import PASSWORD, assert_region_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_find_give_and_erase_online_sign_ups(phone, live_server):
    structure = StructureFactory(name="Mairie de Landeronde")
    user = counsellor_user(structure=structure)
    user.set_password(PASSWORD)
    user.save()
    venue = VenueFactory(structure=structure, name="Espace numérique de Landeronde")
    booking = BookingFactory(
        session=SessionFactory(structure=structure, venue=venue),
        first_name="Ginette",
        phone="+33611111111",
        email="ginette.une-adresse-assez-longue@example.org",
    )
    AppointmentRequestFactory(venue=venue, phone="+33611111111", topic="carte grise")
    page = phone
    log_in(page, live_server, user)

    page.goto(live_server.url + reverse("learners_contact_rights"))
    page.get_by_role("button", name="Chercher").click()
    page.get_by_text("Indiquez un numéro de téléphone ou une adresse e-mail.").wait_for()
    assert_region_accessible(page, "#pap-contact-rights")

    page.get_by_label("Numéro de téléphone").fill("06 11 11 11 11")
    page.get_by_label("Numéro de téléphone").press("Enter")
    page.get_by_role("table", name="1 inscription").wait_for()
    assert page.get_by_text("carte grise").count() == 1
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-contact-rights")
    assert "06 11" not in page.url and "33611111111" not in page.url  # POST only

    page.get_by_label("Je confirme que la personne a demandé l'effacement").check()
    page.get_by_role("button", name="Effacer définitivement").click()
    page.get_by_text("Effacé : 1 inscription et 1 demande de rendez-vous.").wait_for()
    assert Booking.objects.get(pk=booking.pk).phone == ""
    assert AuditLog.objects.filter(action="anonymize").count() == 2
