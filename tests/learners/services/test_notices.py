"""Messages about sign-ups: SMS or e-mail, words, at most once, consent, a cycle told once,
the provider down or refusing a number, and the task started on commit."""

import datetime
import uuid

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from common import sms
from common.french_text import french_deadline, french_short_datetime
from common.sms import SmsProviderUnavailable
from common.sms.segments import is_gsm7, sms_segments
from learners.choices import PlaceType, SessionKind
from learners.models import (
    BookingStatus,
    CancelledBy,
    JobRun,
    JobStatus,
    MessageChannel,
    MessageKind,
    MessageSent,
)
from learners.services.notice_texts import booking_link
from learners.services.notices import (
    booking_notice_send,
    booking_notices_later,
    booking_notices_send,
)
from tests.common.brevo_server import API_KEY, fake_brevo
from tests.factories.bookings import BookingFactory
from tests.factories.learners import CommuneFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

PARIS = timezone.get_fixed_timezone(60)  # UTC+1 in January


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://pasapas.vendee.fr"
    settings.SMS_SENDER = "PasAPas"


@pytest.fixture
def session(structure_a):
    commune = CommuneFactory(name="La Roche-sur-Yon", postal_codes="85000")
    venue = VenueFactory(
        structure=structure_a,
        commune=commune,
        name="Médiathèque Benjamin-Rabier",
        address="Esplanade Jeannie-Mazurelle",
        postal_code="85000",
        access_details="Bus ligne 1, arrêt Mairie.",
        phone="02 51 00 00 00",
        email="mediatheque@example.org",
    )
    return SessionFactory(
        structure=structure_a,
        venue=venue,
        kind=SessionKind.WORKSHOP,
        title="Créer son adresse e-mail",
        start=datetime.datetime(2027, 1, 12, 14, 0, tzinfo=PARIS),  # a Tuesday
        duration_minutes=90,
        what_to_bring="Votre téléphone chargé.",
        is_published=True,
    )


def test_confirmation_by_sms_in_one_gsm_sms_with_the_link(session):
    booking = BookingFactory(session=session, phone="+33612345678", token="Tok3n-abc_0123456789")
    assert booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION) is True
    (message,) = sms.outbox
    assert message.to == "+33612345678" and message.sender == "PasAPas"
    link = "https://pasapas.vendee.fr/pres-de-chez-vous/inscription/Tok3n-abc_0123456789/"
    # With this 80-character link, the title is left out to fit one SMS.
    assert message.body == (
        f"C'est noté : mar. 12 janv. 14 h, Médiathèque Benjamin-Rabier. Annuler ou infos : {link}"
    )
    assert is_gsm7(message.body) and message.segments == 1
    row = MessageSent.objects.get()
    assert (row.structure, row.booking, row.channel, row.kind, row.segments) == (
        session.structure,
        booking,
        MessageChannel.SMS,
        MessageKind.CONFIRMATION,
        1,
    )
    assert row.session_start == session.start and row.sent_at is not None
    assert mail.outbox == []


def test_the_title_is_kept_when_the_link_leaves_room(session, settings):
    settings.SITE_URL = "https://pap85.fr"
    booking = BookingFactory(session=session, token="k7Q2")
    booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    assert sms.outbox[0].body == (
        "C'est noté : Créer son adresse e-mail, mar. 12 janv. 14 h, Médiathèque "
        "Benjamin-Rabier. Annuler ou infos : https://pap85.fr/pres-de-chez-vous/inscription/k7Q2/"
    )
    assert sms.outbox[0].segments == 1


def test_too_long_for_one_sms_even_when_shortened_sends_everything(session, settings):
    settings.SITE_URL = "https://pasapas.example.org/un/chemin/vraiment/tres/long/pour/le/test"
    booking = BookingFactory(session=session)
    booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    (message,) = sms.outbox
    assert message.segments == 2
    assert "Créer son adresse e-mail" in message.body and "Benjamin-Rabier" in message.body
    assert MessageSent.objects.get().segments == 2


def test_sent_at_most_once(session):
    booking = BookingFactory(session=session)
    assert booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    assert not booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    assert len(sms.outbox) == 1 and MessageSent.objects.count() == 1


def test_email_when_there_is_no_phone(session):
    booking = BookingFactory(
        session=session, first_name="Hélène", phone="", email="helene@example.org"
    )
    assert booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    assert sms.outbox == []
    (message,) = mail.outbox
    assert message.to == ["helene@example.org"]
    assert message.subject == "Inscription confirmée : Créer son adresse e-mail, mar. 12 janv. 14 h"
    body = message.body
    assert body.startswith("Bonjour Hélène,")
    assert "Le mardi 12 janvier 2027 à 14 h (durée : 1 h 30)" in body
    assert "Esplanade Jeannie-Mazurelle" in body and "85000 La Roche-sur-Yon" in body
    assert "Pour venir : Bus ligne 1, arrêt Mairie." in body
    assert "À apporter : Votre téléphone chargé." in body
    assert booking_link(booking) in body
    assert message.reply_to == ["mediatheque@example.org"]
    assert "&#x27;" not in body and "&amp;" not in body
    row = MessageSent.objects.get()
    assert row.channel == MessageChannel.EMAIL and row.segments == 0


def test_nobody_to_write_to(session):
    nobody = BookingFactory(session=session, phone="", email="")
    erased = BookingFactory(session=session, contact_erased_at=timezone.now())
    for booking in (nobody, erased):
        assert not booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    assert sms.outbox == [] and mail.outbox == [] and not MessageSent.objects.exists()


def test_reminder_needs_consent_service_messages_do_not(session):
    booking = BookingFactory(session=session, reminder_consent=False)
    assert not booking_notice_send(booking=booking, kind=MessageKind.REMINDER)
    assert booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
    consenting = BookingFactory(session=session, reminder_consent=True)
    assert booking_notice_send(booking=consenting, kind=MessageKind.REMINDER)
    assert sms.outbox[-1].body.startswith(
        "Rappel : demain à 14 h, Médiathèque Benjamin-Rabier. Imprévu ? Prévenez ici : https://"
    )


def test_a_message_that_no_longer_applies_is_not_sent(session):
    cancelled = BookingFactory(
        session=session, status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.PERSON
    )
    expired_offer = BookingFactory(
        session=session,
        status=BookingStatus.OFFERED,
        offered_until=timezone.now() - datetime.timedelta(minutes=1),
    )
    waiting = BookingFactory(session=session, status=BookingStatus.WAITING)
    assert not booking_notice_send(booking=cancelled, kind=MessageKind.CONFIRMATION)
    assert not booking_notice_send(booking=cancelled, kind=MessageKind.SESSION_CANCELLED)
    assert not booking_notice_send(booking=expired_offer, kind=MessageKind.OFFER)
    assert not booking_notice_send(booking=waiting, kind=MessageKind.CONFIRMATION)
    assert not booking_notice_send(booking=waiting, kind=MessageKind.SESSION_CANCELLED)
    assert sms.outbox == []


def test_offer_gives_the_deadline(session):
    until = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    until += datetime.timedelta(days=3)
    booking = BookingFactory(session=session, status=BookingStatus.OFFERED, offered_until=until)
    assert booking_notice_send(booking=booking, kind=MessageKind.OFFER)
    body = sms.outbox[0].body
    weekday = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert f"Répondez avant {weekday[until.weekday()]} 18 h : https://" in body
    assert sms.outbox[0].segments == 1


def test_deadline_wording():
    now = datetime.datetime(2027, 1, 11, 9, 0, tzinfo=PARIS)  # a Monday
    at = datetime.datetime(2027, 1, 12, 18, 0, tzinfo=PARIS)
    assert french_deadline(at, now=now) == "demain 18 h"
    assert french_deadline(at.replace(day=11), now=now) == "aujourd'hui 18 h"
    assert french_deadline(at.replace(day=14), now=now) == "jeudi 18 h"
    assert french_deadline(at.replace(day=25, minute=30), now=now) == "lundi 25 janv. 18 h 30"
    first = datetime.datetime(2027, 2, 1, 9, 30, tzinfo=PARIS)
    assert french_short_datetime(first) == "lun. 1er févr. 9 h 30"


def test_session_cancelled_with_the_reason(session):
    booking = BookingFactory(session=session)
    session.cancelled_at = timezone.now()
    session.cancellation_reason = "La conseillère est malade."
    session.save()
    assert booking_notice_send(booking=booking, kind=MessageKind.SESSION_CANCELLED)
    body = sms.outbox[0].body
    assert body.startswith(
        "Séance annulée : mar. 12 janv. 14 h. La conseillère est malade. Désolés. Infos : https://"
    )
    # No reminder for a cancelled session.
    assert not booking_notice_send(booking=booking, kind=MessageKind.REMINDER)


def test_each_move_is_told_once(session):
    booking = BookingFactory(session=session)
    session.start += datetime.timedelta(days=7)
    session.save()
    assert booking_notice_send(booking=booking, kind=MessageKind.SESSION_MOVED)
    assert not booking_notice_send(booking=booking, kind=MessageKind.SESSION_MOVED)
    session.start += datetime.timedelta(days=1)
    session.save()
    assert booking_notice_send(booking=booking, kind=MessageKind.SESSION_MOVED)
    assert [m.body.split(",")[0] for m in sms.outbox] == [
        "Séance déplacée : mar. 19 janv. 14 h",
        "Séance déplacée : mer. 20 janv. 14 h",
    ]
    assert MessageSent.objects.filter(kind=MessageKind.SESSION_MOVED).count() == 2


def test_unsubscribe_notice_only_when_the_structure_did_it(session):
    """A person who cancels sees it on screen (and their contact is erased): no message."""
    booking = BookingFactory(
        session=session, status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.PERSON
    )
    assert not booking_notice_send(booking=booking, kind=MessageKind.BOOKING_CANCELLED)
    by_structure = BookingFactory(
        session=session, status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.STRUCTURE
    )
    assert booking_notice_send(booking=by_structure, kind=MessageKind.BOOKING_CANCELLED)
    assert [m.body for m in sms.outbox] == [
        "Inscription annulée : Créer son adresse e-mail, mar. 12 janv. 14 h. Pour en savoir "
        "plus, contactez Mairie de Landeronde."
    ]


def test_every_kind_fits_one_sms_for_a_usual_session(session):
    """The texts are short enough for one 160-character SMS with a 22-symbol token."""
    session.cancellation_reason = "Travaux dans la salle."
    session.cancelled_at = timezone.now()
    session.save()
    statuses = {
        MessageKind.CONFIRMATION: BookingStatus.CONFIRMED,
        MessageKind.WAITLISTED: BookingStatus.WAITING,
        MessageKind.OFFER: BookingStatus.OFFERED,
        MessageKind.SESSION_CANCELLED: BookingStatus.CONFIRMED,
        MessageKind.BOOKING_CANCELLED: BookingStatus.CANCELLED,
    }
    for kind, status in statuses.items():
        booking = BookingFactory(
            session=session,
            status=status,
            cancelled_by=CancelledBy.STRUCTURE if status == BookingStatus.CANCELLED else "",
            offered_until=timezone.now() + datetime.timedelta(days=2),
        )
        assert booking_notice_send(booking=booking, kind=kind), kind
    assert len(sms.outbox) == len(statuses)
    for message in sms.outbox:
        assert sms_segments(message.body) == 1, (len(message.body), message.body)


def test_a_cycle_is_told_in_one_message(session, structure_a):
    group = uuid.uuid4()
    later = [
        SessionFactory(structure=structure_a, venue=session.venue, start=session.start + d)
        for d in (datetime.timedelta(days=7), datetime.timedelta(days=14))
    ]
    bookings = [
        BookingFactory(session=s, group=group, phone="+33611111111") for s in [*later, session]
    ]
    result = booking_notices_send(
        booking_ids=[b.pk for b in bookings], kind=MessageKind.CONFIRMATION
    )
    assert (result.sent, result.skipped) == (1, 2)
    (message,) = sms.outbox
    assert "mar. 12 janv. 14 h" in message.body and "Et 2 autres dates." in message.body
    assert MessageSent.objects.get().booking == bookings[-1]  # the first date's booking
    # The task delivered again names the same bookings: nothing more.
    again = booking_notices_send(booking_ids=[b.pk for b in bookings], kind="confirmation")
    assert again.sent == 0 and len(sms.outbox) == 1
    # A date confirmed later on its own (a place accepted from the waiting list) is told.
    assert booking_notice_send(booking=bookings[0], kind=MessageKind.CONFIRMATION)
    assert "Et " not in sms.outbox[-1].body


def test_cycle_email_lists_the_other_dates(session, structure_a):
    group = uuid.uuid4()
    other = SessionFactory(
        structure=structure_a, venue=session.venue, start=session.start + datetime.timedelta(7)
    )
    for s in (session, other):
        BookingFactory(session=s, group=group, phone="", email="h@example.org")
    booking_notices_send(
        booking_ids=[b.pk for s in (session, other) for b in s.bookings.all()],
        kind=MessageKind.CONFIRMATION,
    )
    (message,) = mail.outbox
    assert "Les autres dates du cycle :" in message.body
    assert "mardi 19 janvier 2027 14 h" in message.body


def test_remote_session_place(structure_a):
    remote = SessionFactory(structure=structure_a, venue=None, place_type=PlaceType.REMOTE)
    booking_notice_send(booking=BookingFactory(session=remote), kind=MessageKind.CONFIRMATION)
    assert ", à distance. Annuler" in sms.outbox[0].body


class TestProvider:
    @pytest.fixture
    def brevo(self, settings):
        with fake_brevo() as server:
            settings.SMS_BACKEND = "common.sms.backends.brevo.SmsBackend"
            settings.SMS_API_URL = server.url
            settings.SMS_API_KEY = API_KEY
            settings.SMS_TIMEOUT = 1
            yield server

    def test_provider_down_releases_the_claim_and_the_retry_sends(self, session, brevo):
        booking = BookingFactory(session=session)
        brevo.mode = "server_error"
        with pytest.raises(SmsProviderUnavailable):
            booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
        assert not MessageSent.objects.exists()
        brevo.mode = "ok"
        assert booking_notice_send(booking=booking, kind=MessageKind.CONFIRMATION)
        assert MessageSent.objects.get().sent_at is not None
        assert brevo.problems == []
        assert brevo.requests[-1]["json"]["recipient"] == booking.phone.removeprefix("+")

    def test_refused_number_is_counted_and_released(self, session, brevo):
        refused = BookingFactory(session=session, phone="+33700000000")
        fine = BookingFactory(session=session)
        result = booking_notices_send(
            booking_ids=[refused.pk, fine.pk], kind=MessageKind.CONFIRMATION
        )
        assert (result.sent, result.refused) == (1, 1)
        assert list(MessageSent.objects.values_list("booking", flat=True)) == [fine.pk]


def test_later_runs_the_task_on_commit_without_a_job_row_when_it_succeeds(
    session, django_capture_on_commit_callbacks
):
    bookings = [BookingFactory(session=session) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking_notices_later(booking_ids=[b.pk for b in bookings], kind="confirmation")
    assert sms.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(sms.outbox) == 2
    # A success is recorded message by message, not as a job run (one per sign-up).
    assert not JobRun.objects.filter(name="booking_notices").exists()
    assert MessageSent.objects.filter(sent_at__isnull=False).count() == 2


def test_a_failed_notices_task_is_logged_for_the_coordinators(
    session, settings, django_capture_on_commit_callbacks
):
    booking = BookingFactory(session=session)
    with fake_brevo() as server:
        settings.SMS_BACKEND = "common.sms.backends.brevo.SmsBackend"
        settings.SMS_API_URL = server.url
        settings.SMS_API_KEY = API_KEY
        settings.SMS_TIMEOUT = 1
        server.mode = "server_error"
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            booking_notices_later(booking_ids=[booking.pk], kind="confirmation")
        with pytest.raises(Retry):  # eager: Celery's autoretry raises its Retry
            for callback in callbacks:
                callback()
    run = JobRun.objects.get(name="booking_notices")
    assert run.status == JobStatus.FAILED and "SmsProviderUnavailable" in run.error
    assert not MessageSent.objects.exists()  # the claim released: a retry sends it


def test_later_refuses_an_unknown_kind_and_ignores_nothing_to_send(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(ValueError):
        booking_notices_later(booking_ids=[1], kind="pub")
    with django_capture_on_commit_callbacks() as callbacks:
        booking_notices_later(booking_ids=[], kind=MessageKind.CONFIRMATION)
    assert callbacks == []


def test_deleted_bookings_are_skipped(session):
    booking = BookingFactory(session=session)
    result = booking_notices_send(booking_ids=[booking.pk, 999999], kind="confirmation")
    assert (result.sent, result.skipped) == (1, 1)


def test_queries_do_not_grow_with_related_rows(session, django_assert_max_num_queries):
    bookings = [BookingFactory(session=session) for _ in range(5)]
    # One read, then per message: the claim (savepoint, insert, release) and sent_at.
    with django_assert_max_num_queries(1 + 5 * 4):
        result = booking_notices_send(
            booking_ids=[b.pk for b in bookings], kind=MessageKind.REMINDER
        )
    assert result.sent == 5


@pytest.mark.parametrize(
    ("kind", "status", "subject", "said"),
    [
        (
            MessageKind.WAITLISTED,
            BookingStatus.WAITING,
            "Liste d'attente : Créer son adresse e-mail, mar. 12 janv. 14 h",
            "vous êtes sur la liste d'attente",
        ),
        (
            MessageKind.OFFER,
            BookingStatus.OFFERED,
            "Une place s'est libérée : Créer son adresse e-mail, mar. 12 janv. 14 h",
            "Sans réponse, elle sera proposée à la personne suivante.",
        ),
        (
            MessageKind.REMINDER,
            BookingStatus.CONFIRMED,
            "Rappel : Créer son adresse e-mail demain",
            "Nous vous rappelons votre séance de demain.",
        ),
        (
            MessageKind.SESSION_MOVED,
            BookingStatus.CONFIRMED,
            "Séance déplacée : Créer son adresse e-mail, mar. 12 janv. 14 h",
            "Motif : Salle indisponible.",
        ),
    ],
)
def test_email_of_each_kind(session, kind, status, subject, said):
    session.cancellation_reason = "Salle indisponible."
    session.save()
    booking = BookingFactory(
        session=session,
        phone="",
        email="helene@example.org",
        status=status,
        offered_until=timezone.now() + datetime.timedelta(days=2),
    )
    assert booking_notice_send(booking=booking, kind=kind)
    (message,) = mail.outbox
    assert message.subject == subject
    assert said in message.body
    assert booking_link(booking) in message.body


def test_move_e_mail_intro_fits_a_change_of_venue_alone(session):
    booking = BookingFactory(session=session, phone="", email="josiane@example.org")
    session.venue = VenueFactory(structure=session.structure, name="Salle des fêtes")
    session.save()
    assert booking_notice_send(booking=booking, kind=MessageKind.SESSION_MOVED)
    body = mail.outbox[0].body
    assert "La séance change de date ou de lieu : voici ce qui change." in body
    assert "Voici la nouvelle date" not in body
