"""Rate limits of the public carnet page: counters of failed codes, per client and overall.

Only `learners.services.carnet_opening` uses this module (the view calls that service).
Every well-formed code (see `learners.codes`) that opens nothing counts as one failure, on
three counters of the current window (fixed hours, keys ``int(time / 3600)``, in the default
cache: Redis in production, shared by every web process; `learners.checks` fails
``check --deploy`` when the cache is per process):

- **per address** (hard): an IPv4 address, or an IPv6 /64 (one home's network: a device can
  pick any address in it). Past ``per_client_per_hour`` failures (10) this client gets 429
  until the window ends. A family or a library sharing one address can still mistype a few
  times.
- **per network** (soft, then hard for IPv6): an IPv4 /24 or an IPv6 /48. Past
  ``per_network_per_hour`` failures (30) that network must give the holder's first name
  with the code. An IPv4 /24 holds 256 addresses, so the per-address limit already bounds
  it; an IPv6 /48 holds 65,536 /64s, so past ``per_ipv6_site_per_hour`` failures (100) it
  gets 429 too.
- **overall** (soft): past ``global_per_hour`` failures (200) from everyone together, every
  client must give the holder's first name with the code for the rest of the window. A
  flood from many addresses therefore never locks holders out: with their code and first
  name they always get in (unless their own address is the one flooding). Failures with a
  first name still count.

Malformed input never reaches the database and is not counted (it tests no code); neither
is a code sent without the first name when one is required (it is not looked up). A
successful opening gives back the failure it reserved, so holders never use up a budget.
Counters are reserved before the lookup with an atomic ``incr``, so concurrent requests
cannot exceed a hard limit. Addresses are only used in keyed hashes that change every
window; they are never stored.

The limits come from the ``CARNET_RATE_LIMITS`` setting (a dict with the field names of
`CarnetRateLimits`); the odds they give an attacker are computed in
`learners.services.carnet_opening` and asserted by tests/learners/services/test_carnet_opening.py.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WINDOW_SECONDS = 3600
HOURS_PER_YEAR = 24 * 365
# Counters live a little longer than their window, so a late increment is still counted.
_TIMEOUT = WINDOW_SECONDS + 120


@dataclass(frozen=True)
class CarnetRateLimits:
    per_client_per_hour: int = 10  # hard, per IPv4 address or IPv6 /64
    per_network_per_hour: int = 30  # soft (first name asked), per IPv4 /24 or IPv6 /48
    per_ipv6_site_per_hour: int = 100  # hard, per IPv6 /48
    global_per_hour: int = 200  # soft (first name asked from everyone)

    @property
    def global_per_year(self) -> int:
        return self.global_per_hour * HOURS_PER_YEAR


def carnet_rate_limits() -> CarnetRateLimits:
    """The limits, overridable with the ``CARNET_RATE_LIMITS`` setting (a dict)."""
    return CarnetRateLimits(**getattr(settings, "CARNET_RATE_LIMITS", {}))


class CarnetRateLimited(Exception):
    """Too many failed codes from this address (`scope` "client") or this IPv6 network
    ("network") in the current window. `retry_after` is in seconds."""

    def __init__(self, *, scope: str, retry_after: int):
        self.scope = scope
        self.retry_after = retry_after
        # The counters are per hour-long window: the wait is what is left of this one.
        minutes = max(1, math.ceil(retry_after / 60))
        wait = ngettext(
            "patientez %(minutes)d minute avant de réessayer.",
            "patientez %(minutes)d minutes avant de réessayer.",
            minutes,
        ) % {"minutes": minutes}
        if scope == "client":
            message = _(
                "Vous avez essayé beaucoup de codes en peu de temps. Pour protéger les "
                "carnets, %(wait)s"
            ) % {"wait": wait}
        else:
            message = _(
                "Beaucoup de codes ont été essayés depuis votre réseau en peu de temps. Pour "
                "protéger les carnets, %(wait)s"
            ) % {"wait": wait}
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ClientPrefixes:
    address: str  # IPv4 address or IPv6 /64
    network: str  # IPv4 /24 or IPv6 /48
    ipv6: bool


def client_prefixes(ip_address: str) -> ClientPrefixes:
    """The address and network a client is counted under (see the module docstring)."""
    try:
        parsed = ipaddress.ip_address(ip_address.strip())
    except ValueError:  # not an address (a misconfigured header): count the text as is
        return ClientPrefixes(address=ip_address, network=ip_address, ipv6=False)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    if isinstance(parsed, ipaddress.IPv4Address):
        network = ipaddress.ip_network(f"{parsed}/24", strict=False)
        return ClientPrefixes(address=str(parsed), network=str(network), ipv6=False)
    home = ipaddress.ip_network(f"{parsed}/64", strict=False)
    site = ipaddress.ip_network(f"{parsed}/48", strict=False)
    return ClientPrefixes(address=str(home), network=str(site), ipv6=True)


@dataclass(frozen=True)
class RateLimitKeys:
    client: str
    network: str
    everyone: str
    ipv6: bool
    retry_after: int


def _hashed(window: int, kind: str, value: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"carnet|{kind}|{window}|{value}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"carnet-limit:{kind}:{window}:{digest}"


def carnet_rate_limit_keys(*, ip_address: str, at: float | None = None) -> RateLimitKeys:
    """The cache keys of the counters for the window containing `at` (default: now)."""
    at = time.time() if at is None else at
    window = int(at // WINDOW_SECONDS)
    prefixes = client_prefixes(ip_address)
    return RateLimitKeys(
        client=_hashed(window, "client", prefixes.address),
        network=_hashed(window, "network", prefixes.network),
        everyone=f"carnet-limit:global:{window}",
        ipv6=prefixes.ipv6,
        retry_after=max(1, int((window + 1) * WINDOW_SECONDS - at)),
    )


@dataclass(frozen=True)
class CarnetLimitState:
    """What the page must do for this client now: refuse (`limited`), or ask the first name."""

    limited: CarnetRateLimited | None
    first_name_required: bool
    keys: RateLimitKeys


def carnet_limit_state(*, ip_address: str) -> CarnetLimitState:
    """Reads the counters (counts nothing)."""
    limits = carnet_rate_limits()
    keys = carnet_rate_limit_keys(ip_address=ip_address)
    counts = cache.get_many([keys.client, keys.network, keys.everyone])
    client = counts.get(keys.client) or 0
    network = counts.get(keys.network) or 0
    everyone = counts.get(keys.everyone) or 0
    limited = None
    if client >= limits.per_client_per_hour:
        limited = CarnetRateLimited(scope="client", retry_after=keys.retry_after)
    elif keys.ipv6 and network >= limits.per_ipv6_site_per_hour:
        limited = CarnetRateLimited(scope="network", retry_after=keys.retry_after)
    return CarnetLimitState(
        limited=limited,
        first_name_required=(
            everyone >= limits.global_per_hour or network >= limits.per_network_per_hour
        ),
        keys=keys,
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


def carnet_failure_reserve(keys: RateLimitKeys) -> None:
    """Count one failure before looking a code up; raises CarnetRateLimited past a hard
    limit (then the code must not be looked up). Call `carnet_failure_release` when the code
    opened a carnet."""
    limits = carnet_rate_limits()
    if _incr(keys.client) > limits.per_client_per_hour:
        raise CarnetRateLimited(scope="client", retry_after=keys.retry_after)
    network = _incr(keys.network)
    if keys.ipv6 and network > limits.per_ipv6_site_per_hour:
        # This address's attempt did not happen: give it back.
        _decr(keys.client)
        raise CarnetRateLimited(scope="network", retry_after=keys.retry_after)
    _incr(keys.everyone)


def carnet_failure_release(keys: RateLimitKeys) -> None:
    """A reserved attempt opened a carnet: it does not count as a failure."""
    _decr(keys.client)
    _decr(keys.network)
    _decr(keys.everyone)
