"""Rate limits of the public forms (django-ratelimit, counted in the default cache: Redis in
production, shared by every process): per client address (`common.clients.client_ip`) and
per phone or e-mail typed. Rates in `AGENDA_SIGNUP_LIMITS` (settings). A contact is counted
under a keyed hash, never stored as typed."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from common.clients import client_ip
from learners.contacts import email_normalize, phone_normalize
from learners.services.bookings import signup_limits


def address_over_limit(request: HttpRequest, *, group: str) -> bool:
    """Counts this POST for the client's address; True once past the rate."""
    return is_ratelimited(
        request,
        group=f"{group}.address",
        key=lambda _group, req: client_ip(req),
        rate=signup_limits()["per_address"],
        increment=True,
    )


def _contact_keys(phone: str, email: str) -> list[str]:
    keys = []
    for normalize, raw in ((phone_normalize, phone), (email_normalize, email)):
        try:
            value = normalize(raw)
        except ValidationError:  # refused later by the service, with its message
            value = ""
        if value:
            keys.append(
                hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
            )
    return keys


def contact_over_limit(request: HttpRequest, *, group: str, phone: str, email: str) -> bool:
    """Counts this POST for each contact typed; True once one is past the rate."""
    over = False
    for contact in _contact_keys(phone, email):
        over |= is_ratelimited(
            request,
            group=f"{group}.contact",
            key=lambda _group, _req, value=contact: value,
            rate=signup_limits()["per_contact"],
            increment=True,
        )
    return over
