"""Rate limits of the public forms, counted in the default cache (Redis in production,
shared by every process): per client address (`common.clients.client_ip`) and per phone or
e-mail typed. Rates in `AGENDA_SIGNUP_LIMITS` (settings). A contact is counted under a
keyed hash, never stored as typed.

Every POST counts its address and the contacts it names **in one round trip** to Redis (a
pipeline of INCR and EXPIRE NX per counter; django-ratelimit took one or two per counter).
Fixed windows of the rate's period, as django-ratelimit's. Other cache backends (tests,
development) count with `add` and `incr`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from caching.redis import counters_incr
from common.clients import client_ip
from learners.contacts import email_normalize, phone_normalize
from learners.services.bookings import signup_limits

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
EXPIRY_MARGIN = 5  # seconds a counter outlives its window


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> Rate:
        """« 20/h », « 6/h », « 100/10m »."""
        match = _RATE.match(rate.strip())
        if match is None:
            raise ValueError(f"Unreadable rate {rate!r} (e.g. 20/h)")
        count, multiple, unit = match.groups()
        return cls(int(count), _PERIODS[unit] * int(multiple or 1))


def _hashed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _contact_keys(phone: str, email: str) -> list[str]:
    keys = []
    for normalize, raw in ((phone_normalize, phone), (email_normalize, email)):
        try:
            value = normalize(raw)
        except ValidationError:  # refused later by the form, with its message
            value = ""
        if value:
            keys.append(_hashed(value))
    return keys


def _counts(counters: list[tuple[str, int]]) -> list[int]:
    """Adds one to each (key, period) counter of the current window; their new values."""
    now = int(time.time())
    return counters_incr(
        [(f"limits:{key}:{now // period}", period + EXPIRY_MARGIN) for key, period in counters]
    )


@dataclass(frozen=True)
class Verdict:
    address_over: bool
    contact_over: bool

    @property
    def over(self) -> bool:
        return self.address_over or self.contact_over


def post_counted(request: HttpRequest, *, group: str) -> Verdict:
    """Counts this POST for the client's address and for each phone or e-mail it names (as
    typed, normalised: nothing for one the form will refuse), in one round trip; which
    rates are passed. Every POST counts, valid or not, robot or not."""
    limits = signup_limits()
    per_address, per_contact = Rate.parse(limits["per_address"]), Rate.parse(limits["per_contact"])
    counters = [(f"{group}.address:{_hashed(client_ip(request))}", per_address.seconds)]
    contacts = _contact_keys(request.POST.get("phone", ""), request.POST.get("email", ""))
    counters += [(f"{group}.contact:{key}", per_contact.seconds) for key in contacts]
    address, *contact_counts = _counts(counters)
    return Verdict(
        address_over=address > per_address.count,
        contact_over=any(count > per_contact.count for count in contact_counts),
    )
