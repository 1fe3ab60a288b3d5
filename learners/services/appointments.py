"""Appointment requests (« demander un rendez-vous ») for a venue that takes appointments.

The person leaves a first name, a phone or an e-mail (one is required: someone must call or
write back), when they are available and what it is about. The venue's structure is told
by e-mail after commit (task "learners.appointment_request_notify"): to the venue's address
when it has one, else to its structure's active counsellors. A retried task may send the
e-mail twice; it never loses it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from common.background import background_task
from learners.contacts import email_normalize, phone_normalize
from learners.models import AppointmentRequest, Counsellor, Venue
from learners.selectors.bookings import venue_taking_requests

TEXT_MAX = 300
FIRST_NAME_MAX = 100


def _cleaned(*, first_name: str, phone: str, email: str, availability: str, topic: str) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "first_name": " ".join((first_name or "").split()),
        "availability": (availability or "").strip(),
        "topic": (topic or "").strip(),
    }
    if not cleaned["first_name"]:
        errors["first_name"] = [_("Indiquez un prénom.")]
    elif len(cleaned["first_name"]) > FIRST_NAME_MAX:
        errors["first_name"] = [_("Ce prénom est trop long.")]
    for field in ("availability", "topic"):
        if len(cleaned[field]) > TEXT_MAX:
            errors[field] = [_("Ce texte est trop long : 300 caractères au plus.")]
    for field, normalize, raw in (
        ("phone", phone_normalize, phone),
        ("email", email_normalize, email),
    ):
        try:
            cleaned[field] = normalize(raw)
        except ValidationError as error:
            errors[field] = error.messages
    if not errors and not (cleaned["phone"] or cleaned["email"]):
        errors["phone"] = [
            _("Indiquez un numéro de téléphone ou une adresse e-mail pour qu'on vous réponde.")
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def appointment_request_create(
    *, venue: Venue, first_name: str, phone: str, email: str, availability: str, topic: str
) -> AppointmentRequest:
    """Record a request and tell the venue's structure after commit. ValidationError (French,
    by field) for bad input or a venue that takes no appointments."""
    if venue_taking_requests(venue.pk) is None:  # the one rule, read now
        raise ValidationError(_("Ce lieu ne prend pas de rendez-vous en ligne."))
    fields = _cleaned(
        first_name=first_name, phone=phone, email=email, availability=availability, topic=topic
    )
    request = AppointmentRequest(venue=venue, token=secrets.token_urlsafe(24), **fields)
    request.full_clean(validate_unique=False)
    with transaction.atomic():
        request.save()
        background_task("learners.appointment_request_notify").delay_on_commit(
            request_id=request.pk
        )
    return request


def appointment_request_recipients(venue: Venue) -> list[str]:
    if venue.email:
        return [venue.email]
    return sorted(
        {
            email
            for email in Counsellor.objects.filter(
                structure_id=venue.structure_id, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )


def appointment_request_notify(*, request_id: int) -> int:
    """E-mail the request to its venue's structure; returns the number of recipients."""
    request = AppointmentRequest.objects.select_related("venue").filter(pk=request_id).first()
    if request is None or request.contact_erased_at is not None:
        return 0
    recipients = appointment_request_recipients(request.venue)
    if not recipients:
        return 0
    context = {"request": request, "venue": request.venue}
    send_mail(
        subject=_("Demande de rendez-vous : %(name)s") % {"name": request.first_name},
        message=render_to_string("learners/emails/appointment_request.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)
