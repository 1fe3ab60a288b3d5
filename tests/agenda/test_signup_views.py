"""The public sign-up pages: session page and form, booking page, cancellation, offers,
abuse limits, honeypot, carnet link, headers, query counts."""

import datetime
import html as htmllib
import re
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from caching import versions
from learners.choices import SessionKind
from learners.models import Booking, BookingStatus, CancelledBy, SessionSeries, SignupScope
from learners.services.bookings import booking_cancel, booking_create
from tests.factories.learners import SessionFactory, VenueFactory
from tests.redis_monitor import redis_commands

from .conftest import in_days

pytestmark = pytest.mark.django_db


def text(response):
    return htmllib.unescape(response.content.decode())


def url(session):
    return reverse("agenda:session", kwargs={"session_id": session.pk})


def post(client, session, **data):
    values = {"first_name": "Josiane", "phone": "06 12 34 56 78", "email": "", "site_web": ""}
    values.update(data)
    return client.post(url(session), values)


def test_session_page_shows_what_a_person_needs(client, make_session):
    venue = VenueFactory(
        name="Médiathèque Benjamin Rabier",
        address="Place de la Vendée",
        access_details="Bus ligne 2, arrêt Mairie",
    )
    session = make_session(
        venue=venue,
        structure=venue.structure,
        start=timezone.make_aware(datetime.datetime(2027, 1, 12, 14, 0)),
        duration_minutes=120,
        capacity=5,
        what_to_bring="Votre téléphone chargé",
    )
    response = client.get(url(session))
    html = text(response)
    assert response.status_code == 200
    assert "Mardi 12 janvier 2027 de 14 h à 16 h" in html
    assert "5 places libres" in html
    assert "Médiathèque Benjamin Rabier" in html and "Bus ligne 2" in html
    assert "Votre téléphone chargé" in html
    assert "/politique-de-confidentialite/" in html
    # Consent unticked by default; the honeypot is out of sight and of the tab order.
    assert re.search(r'<input type="checkbox" name="reminder_consent"[^>]*>', html)
    assert (
        "checked"
        not in re.search(r'<input type="checkbox" name="reminder_consent"[^>]*>', html).group()
    )
    assert re.search(r'<div hidden>.*name="site_web"[^>]*tabindex="-1"', html)


def test_first_of_month_and_places_words(client, make_session):
    session = make_session(
        start=timezone.make_aware(datetime.datetime(2027, 1, 1, 9, 30)),
        capacity=1,
        waitlist_capacity=1,
    )
    assert "Vendredi 1er janvier 2027 de 9 h 30 à 10 h 30" in text(client.get(url(session)))
    booking_create(session=session, first_name="A", phone="", email="", reminder_consent=False)
    html = text(client.get(url(session)))
    assert "Complet : liste d'attente" in html and "liste d'attente" in html
    booking_create(session=session, first_name="B", phone="", email="", reminder_consent=False)
    assert "<strong>Complet</strong>" in text(client.get(url(session)))


def test_sign_up_redirects_to_the_personal_page(client, make_session):
    session = make_session(what_to_bring="Vos identifiants")
    response = post(client, session, reminder_consent="on")
    booking = Booking.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("agenda:booking", kwargs={"token": booking.token})
    assert (booking.phone, booking.reminder_consent) == ("+33612345678", True)
    page = client.get(response["Location"])
    html = text(page)
    assert "Josiane, votre place est réservée." in html
    assert "Vos identifiants" in html
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert page["X-Robots-Tag"].startswith("noindex")


def test_waiting_list_rank_shown(client, make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    post(client, session, phone="06 00 00 00 01")
    post(client, session, phone="06 00 00 00 02")
    response = post(client, session, phone="06 00 00 00 03")
    html = text(client.get(response["Location"]))
    assert "vous êtes sur la liste d'attente" in html
    assert "Vous êtes 2e sur la liste d'attente." in html


def test_errors_summarised_and_linked_nothing_saved(client, make_session):
    session = make_session()
    response = post(client, session, first_name="", phone="02 51 00 00 00")
    html = text(response)
    assert response.status_code == 400
    assert 'href="#id_first_name"' in html and 'href="#id_phone"' in html
    assert 'aria-describedby="id_phone-aide id_phone-erreur"' in html
    assert 'aria-invalid="true"' in html
    assert "téléphone fixe" in html
    assert not Booking.objects.exists()


def test_full_session_refused_in_the_form(client, make_session):
    session = make_session(capacity=1, waitlist_capacity=0)
    booking_create(session=session, first_name="A", phone="", email="", reminder_consent=False)
    response = post(client, session)
    assert response.status_code == 400
    assert "Cette séance est complète." in text(response)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "expected"),
    [
        (
            {"cancelled_at": timezone.now(), "cancellation_reason": "La salle est inondée."},
            200,
            "La salle est inondée.",
        ),
    ],
)
def test_unpublished_and_cancelled_pages(client, make_session, change, status, expected):
    session = make_session(**change)
    response = client.get(url(session))
    assert response.status_code == status
    assert expected in text(response)
    assert post(client, session).status_code == status
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"is_published": False},
        {"kind": SessionKind.INDIVIDUAL},
        {"is_published": False, "cancelled_at": timezone.now(), "cancellation_reason": "Grève"},
    ],
)
def test_non_public_session_is_a_plain_404_telling_nothing(client, make_session, change):
    session = make_session(title="Rendez-vous de Mme Secrète", **change)
    for response in (client.get(url(session)), post(client, session)):
        assert response.status_code == 404
        assert "Secrète" not in text(response)
        assert "Grève" not in text(response)
    assert not Booking.objects.exists()


def test_unknown_session_404(client):
    assert client.get(reverse("agenda:session", kwargs={"session_id": 999999})).status_code == 404


def test_honeypot_nothing_saved_neutral_answer(client, make_session):
    session = make_session()
    response = post(client, session, site_web="http://spam.example")
    assert response.status_code == 200
    assert "Demande reçue" in text(response)
    assert not Booking.objects.exists()


@override_settings(AGENDA_SIGNUP_LIMITS={"per_address": "3/h", "per_contact": "100/h"})
def test_rate_limit_per_address(make_session):
    session = make_session(capacity=50)
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        assert post(client, session, phone=f"06 00 00 00 {n:02d}").status_code == 303
    response = post(client, session, phone="06 00 00 00 99")
    assert response.status_code == 429
    assert "rien n'a été enregistré" in text(response)
    assert Booking.objects.count() == 3
    # Another address is not concerned.
    assert (
        post(Client(REMOTE_ADDR="203.0.113.10"), session, phone="06 00 00 00 98").status_code == 303
    )


@override_settings(AGENDA_SIGNUP_LIMITS={"per_address": "100/h", "per_contact": "2/h"})
def test_rate_limit_per_contact(make_session):
    sessions = [make_session(start=in_days(d)) for d in (2, 3, 4)]
    for n, session in enumerate(sessions[:2]):
        assert post(Client(REMOTE_ADDR=f"203.0.113.{n}"), session).status_code == 303
    response = post(Client(REMOTE_ADDR="203.0.113.50"), sessions[2], phone="+33 6 12 34 56 78")
    assert response.status_code == 429
    assert Booking.objects.count() == 2


def test_cancel_with_confirmation_step_then_place_offered(
    client, make_session, notices, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1, waitlist_capacity=3)
    holder = booking_create(
        session=session, first_name="A", phone="0600000001", email="", reminder_consent=False
    )[0]
    waiting = booking_create(
        session=session, first_name="B", phone="0600000002", email="", reminder_consent=False
    )[0]
    cancel_url = reverse("agenda:booking_cancel", kwargs={"token": holder.token})
    confirm = client.get(cancel_url)
    assert "Oui, j'annule" in text(confirm)
    holder.refresh_from_db()
    assert holder.status == BookingStatus.CONFIRMED  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url)
    assert response.status_code == 303
    holder.refresh_from_db()
    assert holder.status == BookingStatus.CANCELLED
    assert "Votre inscription est annulée" in text(client.get(response["Location"]))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    page = text(client.get(reverse("agenda:booking", kwargs={"token": waiting.token})))
    assert "Je prends la place" in page
    response = client.post(
        reverse("agenda:booking_offer", kwargs={"token": waiting.token}), {"reponse": "oui"}
    )
    assert response.status_code == 303
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_decline_offer(client, make_session):
    session = make_session(capacity=1, waitlist_capacity=3)
    holder = booking_create(
        session=session, first_name="A", phone="", email="", reminder_consent=False
    )[0]
    waiting = booking_create(
        session=session, first_name="B", phone="", email="", reminder_consent=False
    )[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    client.post(
        reverse("agenda:booking_offer", kwargs={"token": waiting.token}), {"reponse": "non"}
    )
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CANCELLED


def test_offer_actions_refused_plainly(client, make_session):
    session = make_session()
    booking = booking_create(
        session=session, first_name="A", phone="", email="", reminder_consent=False
    )[0]
    response = client.post(
        reverse("agenda:booking_offer", kwargs={"token": booking.token}), {"reponse": "non"}
    )
    assert response.status_code == 400
    assert "Aucune place ne vous est proposée" in text(response)


@pytest.mark.parametrize("token", ["x", "a" * 40, "../../etc"])
def test_unknown_token_404(client, token):
    assert client.get(f"/pres-de-chez-vous/inscription/{token}/").status_code == 404


@override_settings(PAGE_CACHE_SECONDS=300)
def test_booking_page_never_page_cached(client, make_session):
    booking = booking_create(
        session=make_session(), first_name="A", phone="", email="", reminder_consent=False
    )[0]
    link = reverse("agenda:booking", kwargs={"token": booking.token})
    for _ in range(2):
        response = client.get(link)
        assert "X-Page-Cache" not in response
    booking_cancel(booking=booking, by=CancelledBy.PERSON)
    assert "Cette inscription est annulée." in text(client.get(link))


def test_cycle_choice_offered_when_the_cycle_allows(client, structure):
    series = SessionSeries.objects.create(
        structure=structure, title="Cycle", signup_scope=SignupScope.PER_DATE
    )
    sessions = [
        SessionFactory(
            structure=structure,
            kind="atelier",
            is_published=True,
            capacity=3,
            series=series,
            start=in_days(d),
        )
        for d in (3, 10)
    ]
    html = text(client.get(url(sessions[0])))
    assert 'name="scope"' in html and "toutes les dates à venir du cycle" in html
    post(client, sessions[0], scope="cycle")
    assert Booking.objects.count() == 2
    series.signup_scope = SignupScope.WHOLE_CYCLE
    series.save()
    html = text(client.get(url(sessions[0])))
    assert 'name="scope"' not in html and "toutes les dates à venir" in html


def test_query_counts_bounded(client, make_session, django_assert_max_num_queries):
    session = make_session()
    client.get(url(session))  # the site's menus, kept per process afterwards
    with django_assert_max_num_queries(2):  # the session, its places (render cache off)
        client.get(url(session))
    # The session (and its cycle); then the service: savepoint, lock, the contact's
    # sign-ups, the places, the insert, release.
    with django_assert_max_num_queries(7):
        response = post(client, session)
    assert response.status_code == 303
    cache.clear()


@pytest.fixture
def render_cache(settings):
    settings.RENDER_CACHE_SECONDS = 3600


def test_session_page_from_the_render_cache_until_a_sign_up(
    client, make_session, render_cache, django_assert_num_queries
):
    session = make_session(capacity=2)
    assert "2 places libres" in text(client.get(url(session)))
    # The sheet kept in this process, the places counted and the form rendered per request.
    with django_assert_num_queries(1):
        response = client.get(url(session))
    assert "2 places libres" in text(response) and 'name="csrfmiddlewaretoken"' in text(response)
    assert post(client, session).status_code == 303  # bumps the agenda's version
    assert "1 place libre" in text(client.get(url(session)))
    post(client, session, phone="06 12 34 56 79")
    page = text(client.get(url(session)))
    assert "Complet : liste d'attente" in page and "M'inscrire sur la liste d'attente" in page


def test_a_sign_up_keeps_the_sheets_and_shows_fresh_places(
    client, make_session, render_cache, django_assert_num_queries
):
    """A sign-up changes places only: every session's sheet stays cached (one query per
    page, its places), A's page shows A's new places at once, B's its own; a change of a
    session's details makes the sheets miss."""
    a, b = make_session(capacity=2), make_session(capacity=3)
    client.get(url(a)), client.get(url(b))
    agenda_before = versions.current(versions.AGENDA)
    assert post(client, a).status_code == 303
    assert versions.current(versions.AGENDA) != agenda_before  # the lists refresh
    with django_assert_num_queries(1):
        page_b = text(client.get(url(b)))
    with django_assert_num_queries(1):
        page_a = text(client.get(url(a)))
    assert "3 places libres" in page_b
    assert "1 place libre" in page_a and "2 places libres" not in page_a
    versions.bump_now_and_on_commit(versions.AGENDA)  # as a session change does
    with django_assert_num_queries(2):  # the session, its places
        assert "3 places libres" in text(client.get(url(b)))


def test_render_cache_keeps_nothing_of_a_person(client, make_session, render_cache):
    session = make_session()
    client.get(url(session))
    refused = text(post(client, session, first_name="", phone="06 12"))
    assert "problèmes à corriger" in refused and 'value="06 12"' in refused
    other = Client()
    page = text(other.get(url(session)))
    assert "à corriger" not in page and "06 12" not in page
    assert other.cookies["csrftoken"].value != client.cookies["csrftoken"].value


def test_render_cache_follows_a_session_change(client, make_session, render_cache):
    session = make_session()
    client.get(url(session))
    session.cancelled_at = timezone.now()
    session.cancellation_reason = "Animatrice malade"
    session.save()
    versions.bump_now_and_on_commit(versions.AGENDA)  # as the session services do
    page = text(client.get(url(session)))
    assert "Animatrice malade" in page and 'name="first_name"' not in page
    missing = reverse("agenda:session", kwargs={"session_id": session.pk + 1000})
    assert client.get(missing).status_code == 404


def test_past_session_closed_nothing_saved(client, make_session):
    session = make_session(start=timezone.now() - datetime.timedelta(hours=2))
    page = text(client.get(url(session)))
    assert "Les inscriptions sont fermées pour cette séance." in page
    assert 'name="first_name"' not in page
    response = post(client, session)
    assert response.status_code == 400
    assert "l'inscription est fermée" in text(response)
    assert not Booking.objects.exists()


def test_offered_place_shows_its_deadline(client, make_session):
    session = make_session(capacity=1, waitlist_capacity=3, start=in_days(5))
    holder = booking_create(
        session=session, first_name="A", phone="", email="", reminder_consent=False
    )[0]
    waiting = booking_create(
        session=session, first_name="B", phone="", email="", reminder_consent=False
    )[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    waiting.refresh_from_db()
    year = timezone.localdate().year + 1
    waiting.offered_until = timezone.make_aware(datetime.datetime(year, 9, 1, 9, 0))
    waiting.save(update_fields=["offered_until"])
    page = text(client.get(reverse("agenda:booking", kwargs={"token": waiting.token})))
    assert f" 1er septembre {year} à 9 h si vous la prenez" in page
    assert "Sans réponse, elle sera proposée à la personne suivante." in page


def test_booking_page_query_count(client, make_session, django_assert_max_num_queries):
    booking = booking_create(
        session=make_session(), first_name="A", phone="", email="", reminder_consent=False
    )[0]
    with django_assert_max_num_queries(5):  # booking, its group; the menus (memoised)
        response = client.get(reverse("agenda:booking", kwargs={"token": booking.token}))
    assert response.status_code == 200


def test_first_on_the_waiting_list_words(client, make_session):
    session = make_session(capacity=1, waitlist_capacity=3)
    booking_create(session=session, first_name="A", phone="", email="", reminder_consent=False)
    waiting = booking_create(
        session=session, first_name="B", phone="", email="", reminder_consent=False
    )[0]
    page = text(client.get(reverse("agenda:booking", kwargs={"token": waiting.token})))
    assert "Vous êtes la première personne sur la liste d'attente." in page


def test_rate_limits_count_in_redis_shared_by_every_process(make_session):
    """The limits live in the default cache: in production Redis, so every gunicorn worker
    counts the same POSTs (here two clients stand for two processes: the count is in Redis)."""
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/9").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis injoignable sur 127.0.0.1:6379")
    caches = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": f"test-signup-{uuid.uuid4().hex}",
        }
    }
    session = make_session(capacity=50)
    limits = {"per_address": "2/h", "per_contact": "100/h"}
    prefix = caches["default"]["KEY_PREFIX"]
    with (
        override_settings(CACHES=caches, AGENDA_SIGNUP_LIMITS=limits),
        redis_commands("redis://127.0.0.1:6379/9", f"{prefix}:1:limits:") as commands,
    ):
        first, second = Client(REMOTE_ADDR="192.0.2.7"), Client(REMOTE_ADDR="192.0.2.7")
        assert post(first, session, phone="06 00 00 00 01").status_code == 303
        assert post(second, session, phone="06 00 00 00 02").status_code == 303
        assert post(first, session, phone="06 00 00 00 03").status_code == 429
    # Each POST's counters (address, phone) in one pipeline: INCR + EXPIRE NX for each.
    assert [command[0] for command in commands] == ["INCRBY", "EXPIRE"] * 6
    assert Booking.objects.count() == 2


def test_cancelled_by_the_person_contacts_gone_then_name_erased_on_request(client, make_session):
    session = make_session(capacity=2)
    booking = booking_create(
        session=session, first_name="Odile", phone="06 12 34 56 78", email="", reminder_consent=True
    )[0]
    erase_url = reverse("agenda:booking_erase", kwargs={"token": booking.token})
    # While the place is held, erasing is refused: the contact is needed to warn the person.
    refused = client.post(erase_url)
    assert refused.status_code == 400
    assert "Annulez d'abord votre inscription" in text(refused)
    booking.refresh_from_db()
    assert booking.phone == "+33612345678"
    client.post(reverse("agenda:booking_cancel", kwargs={"token": booking.token}))
    booking.refresh_from_db()
    assert (booking.status, booking.phone, booking.first_name) == ("annulee", "", "Odile")
    page = text(client.get(reverse("agenda:booking", kwargs={"token": booking.token})))
    assert "Supprimer mes coordonnées" in page
    done = client.post(erase_url)
    assert done.status_code == 303
    booking.refresh_from_db()
    assert booking.first_name != "Odile" and booking.contact_erased_at is not None
    assert "Vos coordonnées sont effacées" in text(client.get(done["Location"]))


def test_rates_read_as_written():
    from agenda.limits import Rate

    assert Rate.parse("20/h") == Rate(20, 3600)
    assert Rate.parse("100/10m") == Rate(100, 600)
    with pytest.raises(ValueError):
        Rate.parse("20 par heure")


@override_settings(AGENDA_SIGNUP_LIMITS={"per_address": "100/h", "per_contact": "2/h"})
def test_every_post_counts_for_its_contact_even_refused(make_session):
    session = make_session()
    for n in range(2):  # no first name: refused, but the phone was tried
        response = post(Client(REMOTE_ADDR=f"203.0.113.{n}"), session, first_name="")
        assert response.status_code == 400
    response = post(Client(REMOTE_ADDR="203.0.113.60"), session)
    assert response.status_code == 429
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "seances/99999999999999999999999/",
        "seances/99999999999999999999999/agenda.ics",
        "lieux/99999999999999999999999/",
        "inscription/%00/",
        "inscription/" + "a" * 5000 + "/",
    ],
)
def test_odd_ids_and_tokens_in_paths_are_404_never_500(client, path):
    assert client.get(f"/pres-de-chez-vous/{path}").status_code == 404
