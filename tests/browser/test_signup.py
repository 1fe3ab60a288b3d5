"""The public sign-up in a real Chromium: zero axe violations on the session page, the form
with errors, the booking page, its cancellation step and the appointment form, at 320 px
and at 200 % zoom (a 1280 px window at scale 2 lays out 640 CSS px), without horizontal
scrolling; a sign-up with the keyboard alone; without JavaScript."""

import datetime

import pytest
from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Booking, BookingStatus
from learners.services import carnet_issue
from tests.factories.learners import (
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
    counsellor_user,
)
from tests.learners.bookings.conftest import notices  # noqa: F401 - the notices' task recorded

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("notices"),
]

VIEWPORTS = {
    "320px": ({"width": 320, "height": 640}, 1),
    "200%": ({"width": 640, "height": 450}, 2),
}


@pytest.fixture
def session():
    structure = StructureFactory(name="Espace numérique de La Roche-sur-Yon")
    venue = VenueFactory(
        structure=structure,
        name="Médiathèque Benjamin Rabier",
        address="Esplanade Jeannie Mazurelle",
        access_details="Bus ligne 2, arrêt Médiathèque. Entrée de plain-pied.",
        takes_appointments=True,
    )
    day = timezone.localdate() + datetime.timedelta(days=6)
    return SessionFactory(
        structure=structure,
        venue=venue,
        kind=SessionKind.WORKSHOP,
        title="Créer son adresse e-mail",
        is_published=True,
        capacity=8,
        start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0))),
        duration_minutes=120,
        what_to_bring="Votre téléphone chargé et une pièce d'identité.",
        accessibility_note="Salle accessible en fauteuil roulant, boucle magnétique.",
    )


def _page(chromium, viewport, *, javascript=True):
    size, scale = VIEWPORTS[viewport]
    context = chromium.new_context(
        locale="fr-FR", viewport=size, device_scale_factor=scale, java_script_enabled=javascript
    )
    return context, context.new_page()


def _check(page):
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_session_form_errors_booking_and_cancel_pages(live_server, chromium, session, viewport):
    context, page = _page(chromium, viewport)
    page.goto(f"{live_server.url}/pres-de-chez-vous/seances/{session.pk}/")
    _check(page)
    page.get_by_label("Téléphone portable (facultatif)").fill("02 51 00 00 00")
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    _check(page)
    page.locator(".error-summary a", has_text="fixe").click()
    assert page.evaluate("() => document.activeElement.id") == "id_phone"
    page.get_by_label("Prénom").fill("Josiane")
    page.get_by_label("Téléphone portable (facultatif)").fill("06 12 34 56 78")
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()
    assert "votre place est réservée" in page.content()
    _check(page)
    page.get_by_role("link", name="Annuler mon inscription").click()
    page.wait_for_load_state()
    _check(page)
    page.get_by_role("button", name="Oui, j'annule").click()
    page.wait_for_load_state()
    assert "Votre inscription est annulée" in page.content()
    _check(page)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_appointment_form(live_server, chromium, session, viewport):
    context, page = _page(chromium, viewport)
    page.goto(f"{live_server.url}/pres-de-chez-vous/lieux/{session.venue_id}/rendez-vous/")
    _check(page)
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    _check(page)
    page.get_by_label("Prénom").fill("Marcel")
    page.get_by_label("Adresse e-mail").fill("marcel@exemple.fr")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert "Votre demande est envoyée" in page.content()
    _check(page)
    context.close()


def _tab_to(page, element_id, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} cannot be reached with Tab")


def test_keyboard_only_sign_up_without_javascript(live_server, chromium, session):
    context, page = _page(chromium, "200%", javascript=False)
    page.goto(f"{live_server.url}/pres-de-chez-vous/seances/{session.pk}/")
    _tab_to(page, "id_first_name")
    page.keyboard.type("Josiane")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_phone"
    page.keyboard.type("06 12 34 56 78")
    _tab_to(page, "id_reminder_consent", limit=3)
    page.keyboard.press("Space")
    # The honeypot is never reached: the next stop is the privacy link, then the button.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == (
        "/politique-de-confidentialite/"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "M'inscrire"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "votre place est réservée" in page.content()
    booking = Booking.objects.get()
    assert (booking.first_name, booking.phone, booking.reminder_consent) == (
        "Josiane",
        "+33612345678",
        True,
    )
    context.close()


def test_sign_up_into_the_open_carnet_then_cancel_there(live_server, chromium, session):
    learner = LearnerFactory(structure=session.structure, first_name="Josiane")
    code = carnet_issue(user=counsellor_user(structure=session.structure), learner=learner)
    context, page = _page(chromium, "320px")
    page.goto(f"{live_server.url}/carnet/")
    page.get_by_label("Code de mon carnet").fill(code)
    page.get_by_role("button", name="Ouvrir mon carnet").click()
    page.wait_for_load_state()
    assert "Vous n'êtes inscrit ou inscrite à aucun atelier" in page.content()
    page.goto(f"{live_server.url}/pres-de-chez-vous/seances/{session.pk}/")
    page.get_by_label("Prénom").fill("Josiane")
    page.get_by_label("Ajouter cette inscription à mon carnet").check()
    _check(page)
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_load_state()
    assert Booking.objects.get().learner == learner
    page.goto(f"{live_server.url}/carnet/")
    listed = page.locator("#mes-inscriptions + ul").inner_text()
    assert "Créer son adresse e-mail" in listed and "Inscription confirmée" in listed
    _check(page)
    page.get_by_role("button", name="Annuler : Créer son adresse e-mail").click()
    page.wait_for_load_state()
    assert "votre inscription est annulée" in page.content()
    _check(page)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    context.close()
