"""Rate limits of the public carnet page: guessing a code is pointless.

Every code typed on /carnet/ that is well formed (10 symbols of the alphabet, see
`learners.codes`) and opens nothing counts as one failed attempt, twice:

- per client (a keyed hash of the visitor's address, `home.clients.client_ip`, that changes
  every window): at most ``per_client_per_hour`` failures (default 10) in a window of one
  hour. A family or a library sharing one address can still mistype a few times;
- globally (every client together): at most ``global_per_hour`` failures (default 400) per
  window, which caps an attacker spreading guesses over many addresses.

Malformed input never reaches the database and is not counted (it tests no code). A
successful opening gives back the attempt it reserved, so people opening their carnet never
use up the budget. Past either limit, codes are not even looked up: the page answers 429
with a French message until the window ends.

Windows are fixed hours (counters keyed by ``int(time / 3600)``, stored in the default
cache: Redis in production, shared by every web process). Checks reserve first (an atomic
``incr``) and refuse past the limit, so concurrent requests cannot exceed it.

Arithmetic (with `learners.codes`: S = 30**10 ≈ 5.9e14 codes):

- at most 400 failures an hour is 9,600 a day and A = 3,504,000 a year, whatever the
  number of addresses used (the bound `learners.codes` assumes is 10,000 a day);
- with M active codes, P(at least one guess opens a carnet in a year) <= A * M / S:
  Vendée scale (M = 25,000): 1.5e-4; four times that (M = 100,000): 5.9e-4; national
  scale (M = 1,000,000): 5.9e-3;
- a single address (10 an hour, 87,600 a year) at Vendée scale: 3.7e-6.

tests/learners/views/test_carnet.py computes these from the configured limits. Limits can
be changed with the ``CARNET_RATE_LIMITS`` setting (a dict with the field names below); the
cost of raising them is in the same formula.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

WINDOW_SECONDS = 3600
# Counters live a little longer than their window, so a late increment is still counted.
_TIMEOUT = WINDOW_SECONDS + 120


@dataclass(frozen=True)
class CarnetRateLimits:
    per_client_per_hour: int = 10
    global_per_hour: int = 400

    @property
    def global_per_year(self) -> int:
        return self.global_per_hour * 24 * 365


def carnet_rate_limits() -> CarnetRateLimits:
    """The limits, overridable with the ``CARNET_RATE_LIMITS`` setting (a dict)."""
    return CarnetRateLimits(**getattr(settings, "CARNET_RATE_LIMITS", {}))


class CarnetRateLimited(Exception):
    """Too many failed codes: from this client (`scope` "client") or from everyone
    ("global") in the current window. `retry_after` is in seconds."""

    def __init__(self, *, scope: str, retry_after: int):
        self.scope = scope
        self.retry_after = retry_after
        if scope == "client":
            message = _(
                "Vous avez essayé beaucoup de codes en peu de temps. Pour protéger les carnets, "
                "patientez une heure avant de réessayer."
            )
        else:
            message = _(
                "Beaucoup de codes ont été essayés sur le site en peu de temps. Pour protéger "
                "les carnets, l'ouverture est suspendue : réessayez dans une heure."
            )
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RateLimitKeys:
    client: str
    everyone: str
    retry_after: int


def carnet_rate_limit_keys(*, ip_address: str, at: float | None = None) -> RateLimitKeys:
    """The cache keys of the counters for the window containing `at` (default: now)."""
    at = time.time() if at is None else at
    window = int(at // WINDOW_SECONDS)
    client = hmac.new(
        settings.SECRET_KEY.encode(), f"carnet|{window}|{ip_address}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return RateLimitKeys(
        client=f"carnet-limit:client:{window}:{client}",
        everyone=f"carnet-limit:global:{window}",
        retry_after=max(1, int((window + 1) * WINDOW_SECONDS - at)),
    )


def _incr(key: str) -> int:
    cache.add(key, 0, timeout=_TIMEOUT)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_TIMEOUT)
        return 1


def _decr(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # expired meanwhile: nothing to give back
        pass


def carnet_attempt_reserve(*, ip_address: str) -> RateLimitKeys:
    """Count one attempt before looking a code up; raises CarnetRateLimited past a limit
    (then the code must not be looked up). Call `carnet_attempt_succeeded` when the code
    opened a carnet."""
    limits = carnet_rate_limits()
    keys = carnet_rate_limit_keys(ip_address=ip_address)
    if _incr(keys.client) > limits.per_client_per_hour:
        raise CarnetRateLimited(scope="client", retry_after=keys.retry_after)
    if _incr(keys.everyone) > limits.global_per_hour:
        # This client's attempt did not happen: give it back.
        _decr(keys.client)
        raise CarnetRateLimited(scope="global", retry_after=keys.retry_after)
    return keys


def carnet_attempt_succeeded(keys: RateLimitKeys) -> None:
    """A reserved attempt opened a carnet: it does not count as a failure."""
    _decr(keys.client)
    _decr(keys.everyone)


def carnet_rate_limit_status(*, ip_address: str) -> CarnetRateLimited | None:
    """Whether this client would be refused now (reads only, counts nothing)."""
    limits = carnet_rate_limits()
    keys = carnet_rate_limit_keys(ip_address=ip_address)
    if (cache.get(keys.client) or 0) >= limits.per_client_per_hour:
        return CarnetRateLimited(scope="client", retry_after=keys.retry_after)
    if (cache.get(keys.everyone) or 0) >= limits.global_per_hour:
        return CarnetRateLimited(scope="global", retry_after=keys.retry_after)
    return None
