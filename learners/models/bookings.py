"""The public agenda's personal data: cycles of sessions, sign-ups (inscriptions) made
without an account, their waiting list, appointment requests for a venue, and the log of
messages (SMS, e-mail) sent about them.

A sign-up is not a person record: it holds the minimum to keep a place and to remind
(first name, a phone or an e-mail, consent). It becomes linked to a `Learner` only when the
person opens their carnet to sign up, or when a counsellor marks them present (through the
matching rule of `learners.selectors.people`, never a blind duplicate).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignupScope(models.TextChoices):
    WHOLE_CYCLE = "cycle", _("Inscription à tout le cycle")
    PER_DATE = "seance", _("Inscription séance par séance")


class SessionSeries(models.Model):
    """A cycle: sessions created together (« tous les mardis pendant 6 semaines »). Each
    session stays editable on its own; `signup_scope` says whether a person signs up to
    the whole cycle or to one date."""

    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.PROTECT,
        related_name="session_series",
        verbose_name=_("structure"),
    )
    title = models.CharField(_("intitulé du cycle"), max_length=200)
    signup_scope = models.CharField(
        _("inscription"),
        max_length=10,
        choices=SignupScope.choices,
        default=SignupScope.WHOLE_CYCLE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("cycle de séances")
        verbose_name_plural = _("cycles de séances")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmee", _("Inscription confirmée")
    WAITING = "attente", _("Liste d'attente")
    OFFERED = "proposee", _("Place proposée, en attente de réponse")
    CANCELLED = "annulee", _("Annulée")
    EXPIRED = "expiree", _("Proposition expirée")


# Statuses that hold one of the session's places (an offered place is kept for its holder
# until the offer's deadline).
BOOKING_SEAT_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.OFFERED)
# Statuses still alive (a place or a rank on the waiting list).
BOOKING_ACTIVE_STATUSES = (*BOOKING_SEAT_STATUSES, BookingStatus.WAITING)


class CancelledBy(models.TextChoices):
    PERSON = "personne", _("La personne")
    STRUCTURE = "structure", _("La structure")
    SYSTEM = "systeme", _("Automatiquement")


class BookingQuerySet(models.QuerySet):
    def live(self) -> "BookingQuerySet":
        """Sign-ups still alive: a place, an offer or a rank on the waiting list."""
        return self.filter(status__in=BOOKING_ACTIVE_STATUSES)


class Booking(models.Model):
    """One person's sign-up for one session. Signing up to a whole cycle creates one
    booking per session of the cycle, sharing `group` (one cancel link cancels them all).
    The waiting list is ordered by `created_at`, then `id`."""

    session = models.ForeignKey(
        "learners.Session",
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("séance"),
    )
    group = models.UUIDField(_("groupe d'inscriptions"), default=uuid.uuid4, db_index=True)
    token = models.CharField(_("jeton des liens"), max_length=64, unique=True, editable=False)
    first_name = models.CharField(_("prénom"), max_length=100)
    phone = models.CharField(
        _("téléphone"), max_length=20, blank=True, help_text=_("Au format international.")
    )
    email = models.EmailField(_("courriel"), blank=True)
    reminder_consent = models.BooleanField(_("accepte d'être prévenue"), default=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    offered_until = models.DateTimeField(_("place proposée jusqu'au"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("annulée par"), max_length=10, choices=CancelledBy.choices, blank=True
    )
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("personne"),
    )
    attendance = models.OneToOneField(
        "learners.Attendance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name=_("présence"),
    )
    contact_erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["session", "created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status"], name="booking_session_status_idx"),
            models.Index(fields=["status", "offered_until"], name="booking_offer_idx"),
        ]
        constraints = [
            # One live sign-up per contact per session, even under concurrent requests.
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=~models.Q(phone="")
                & models.Q(status__in=["confirmee", "attente", "proposee"]),
                name="booking_unique_phone",
            ),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~models.Q(email="")
                & models.Q(status__in=["confirmee", "attente", "proposee"]),
                name="booking_unique_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} – {self.session_id} ({self.get_status_display()})"


class AppointmentRequestStatus(models.TextChoices):
    NEW = "nouvelle", _("Nouvelle demande")
    HANDLED = "traitee", _("Traitée")
    CANCELLED = "annulee", _("Annulée")


class AppointmentRequest(models.Model):
    """A person asks a venue that takes appointments for a slot; a counsellor of the
    venue's structure calls or writes back."""

    venue = models.ForeignKey(
        "learners.Venue",
        on_delete=models.CASCADE,
        related_name="appointment_requests",
        verbose_name=_("lieu"),
    )
    token = models.CharField(_("jeton des liens"), max_length=64, unique=True, editable=False)
    first_name = models.CharField(_("prénom"), max_length=100)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    availability = models.CharField(_("disponibilités"), max_length=300, blank=True)
    topic = models.CharField(_("objet de la demande"), max_length=300, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=AppointmentRequestStatus.choices,
        default=AppointmentRequestStatus.NEW,
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    contact_erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande de rendez-vous")
        verbose_name_plural = _("demandes de rendez-vous")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["venue", "status"], name="appointment_venue_status_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} – {self.venue_id}"


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Courriel")


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation d'inscription")
    WAITLISTED = "attente", _("Inscription sur liste d'attente")
    OFFER = "proposition", _("Place proposée")
    REMINDER = "rappel", _("Rappel la veille")
    SESSION_CANCELLED = "annulation", _("Séance annulée")
    SESSION_MOVED = "deplacement", _("Séance déplacée")
    BOOKING_CANCELLED = "desinscription", _("Désinscription")


class MessageSent(models.Model):
    """One message about a sign-up, claimed before it is sent (at most once: unique on
    booking, kind, the session's start and, for a cancellation or a move, which change)
    and counted per structure (SMS cost money)."""

    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.PROTECT,
        related_name="messages_sent",
        verbose_name=_("structure"),
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("inscription"),
    )
    channel = models.CharField(_("canal"), max_length=10, choices=MessageChannel.choices)
    kind = models.CharField(_("message"), max_length=20, choices=MessageKind.choices)
    session_start = models.DateTimeField(_("début de la séance"))
    # Which change of the session a cancellation or move notice is about (the session's
    # `updated_at` then): a session moved A → B → A → B, or to another venue at the same
    # time, is news each time. Empty for the other kinds.
    change = models.CharField(_("référence du changement"), max_length=40, blank=True, default="")
    segments = models.PositiveSmallIntegerField(
        _("nombre de SMS facturés"), default=0, help_text=_("0 pour un courriel.")
    )
    created_at = models.DateTimeField(_("réservé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["structure", "created_at"], name="message_structure_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "session_start", "change"], name="message_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"
