"""Opening a carnet from the public page: one service takes what was typed (the code, and
the holder's first name when it is asked) and the client's address, and applies the rate
limits of `learners.services.carnet_limits`. The view (`learners.views.carnet`) only maps
the outcome to a page.

Steps, in order:

1. a malformed code is refused with help, never looked up, never counted;
2. a client past a hard limit (its address, or its IPv6 /48) is refused (429);
3. when the overall budget of failures is spent, or the client's network has failed too
   often, the holder's first name is required: without one the code is not looked up (and
   nothing is counted), the form asks for it;
4. one failure is reserved on every counter, the code is looked up; it opens the carnet
   when it is active and, if a first name was given, the first name matches the holder's
   (both folded with `learners.text.fold`: accents, case, spaces and hyphens do not
   matter); the reserved failure is then given back.

**The odds** (`carnet_guess_odds`, asserted by tests/learners/services/test_carnet_opening.py
and restated in the README). An attacker guessing codes at random from a botnet of
``ipv4_addresses`` IPv4 addresses and ``ipv6_sites`` IPv6 /48 networks, all year long, can
make at most per_client_per_hour * ipv4_addresses + per_ipv6_site_per_hour * ipv6_sites
failures an hour (the per-address and per-/48 limits are hard; nothing else bounds a
distributed attacker, since the overall budget only switches the form to "code + first
name"). With the default limits and 1,000,000 addresses + 100,000 /48s that is 2e7 an hour,
1.75e11 a year. Each opens one of M = 1,000,000 active 16-symbol codes with probability
M / 30**16 = 2.3e-18, so P <= 1.75e11 * 2.3e-18 = 4.1e-7 < 1e-6, **without counting the
first name**. Counting it (all but ``global_per_hour`` attempts an hour need the first name
too, and no first name is shared by more than ``first_name_share`` = 5 % of holders),
P <= 2e-8. Legacy 10-symbol codes cannot meet this target (see `learners.codes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from learners.choices import AuditAction
from learners.codes import CODE_SPACE, code_hash, code_normalize, guess_probability
from learners.models import Carnet
from learners.text import fold

from .audit import audit_log_record
from .carnet_limits import (
    HOURS_PER_YEAR,
    CarnetLimitState,
    CarnetRateLimited,
    CarnetRateLimits,
    carnet_failure_release,
    carnet_failure_reserve,
    carnet_limit_state,
    carnet_rate_limits,
)

FIRST_NAME_INPUT_MAX = 100


class Outcome(Enum):
    OPENED = "opened"
    WRONG = "wrong"
    MALFORMED = "malformed"
    FIRST_NAME_NEEDED = "first_name_needed"
    LIMITED = "limited"


@dataclass(frozen=True)
class CarnetOpening:
    outcome: Outcome
    carnet: Carnet | None = None
    limited: CarnetRateLimited | None = None
    # Whether the form shown next must ask for the first name.
    first_name_required: bool = False

    @property
    def opened(self) -> bool:
        return self.outcome is Outcome.OPENED


def carnet_find(*, code: str) -> Carnet | None:
    """The active carnet of a normalised code, with its `learner`, or None."""
    return (
        Carnet.objects.select_related("learner")
        .filter(
            code_hash=code_hash(code),
            revoked_at__isnull=True,
            learner__anonymized_at__isnull=True,
        )
        .first()
    )


def carnet_opening_record(*, carnet: Carnet) -> Carnet:
    """Record an opening: date, count, and an audit row without user."""
    now = timezone.now()
    with transaction.atomic():
        Carnet.objects.filter(pk=carnet.pk).update(
            last_opened_at=now, open_count=F("open_count") + 1
        )
        audit_log_record(
            user=None, action=AuditAction.READ, learner=carnet.learner, detail="carnet ouvert"
        )
    carnet.last_opened_at = now
    carnet.open_count += 1
    return carnet


def _first_name_matches(carnet: Carnet, first_name: str) -> bool:
    expected = fold(carnet.learner.first_name)
    return bool(expected) and fold(first_name) == expected


def carnet_open_attempt(*, code: str, first_name: str = "", client_address: str) -> CarnetOpening:
    """Try to open a carnet with what the visitor typed, from `client_address`
    (`home.clients.client_ip`). See the module docstring for the steps."""
    first_name = (first_name or "")[:FIRST_NAME_INPUT_MAX].strip()
    state = carnet_limit_state(ip_address=client_address)
    normalized = code_normalize(code)
    if normalized is None:
        return CarnetOpening(Outcome.MALFORMED, first_name_required=state.first_name_required)
    if state.limited is not None:
        return CarnetOpening(Outcome.LIMITED, limited=state.limited)
    if state.first_name_required and not fold(first_name):
        return CarnetOpening(Outcome.FIRST_NAME_NEEDED, first_name_required=True)
    try:
        carnet_failure_reserve(state.keys)
    except CarnetRateLimited as exc:
        return CarnetOpening(Outcome.LIMITED, limited=exc)
    carnet = carnet_find(code=normalized)
    if carnet is not None and (not first_name or _first_name_matches(carnet, first_name)):
        carnet_failure_release(state.keys)
        return CarnetOpening(Outcome.OPENED, carnet=carnet_opening_record(carnet=carnet))
    after = carnet_limit_state(ip_address=client_address)
    return CarnetOpening(
        Outcome.WRONG,
        first_name_required=after.first_name_required or bool(first_name),
    )


def carnet_opening_form_state(*, client_address: str) -> CarnetLimitState:
    """For the empty form: whether this client is refused now, or must give a first name."""
    return carnet_limit_state(ip_address=client_address)


@dataclass(frozen=True)
class AttackerAssumptions:
    """Who guesses, for how long, against how many codes (README, « Carnet »)."""

    ipv4_addresses: int = 1_000_000  # a large botnet, all year long
    ipv6_sites: int = 100_000  # IPv6 /48 networks it can use
    active_codes: int = 1_000_000
    first_name_share: float = 0.05  # no first name is shared by more than 5 % of holders
    hours: int = HOURS_PER_YEAR
    code_space: int = CODE_SPACE


@dataclass(frozen=True)
class GuessOdds:
    failures_per_hour: int  # what the attacker can try, all clients together
    failures_per_year: int
    without_first_name: float  # bound ignoring the first name (every attempt code-only)
    with_first_name: float  # counting the first name asked past the overall budget


def carnet_guess_odds(
    *, limits: CarnetRateLimits | None = None, assumptions: AttackerAssumptions | None = None
) -> GuessOdds:
    """The chance that random guesses open any carnet within `assumptions.hours`."""
    limits = limits or carnet_rate_limits()
    a = assumptions or AttackerAssumptions()
    per_hour = (
        limits.per_client_per_hour * a.ipv4_addresses
        + min(limits.per_ipv6_site_per_hour, limits.per_client_per_hour * 2**16) * a.ipv6_sites
    )
    per_year = per_hour * a.hours
    code_only = min(limits.global_per_hour, per_hour) * a.hours
    with_name = per_year - code_only
    odds = {
        "without_first_name": guess_probability(
            attempts=per_year, active_codes=a.active_codes, code_space=a.code_space
        ),
        "with_first_name": guess_probability(
            attempts=code_only, active_codes=a.active_codes, code_space=a.code_space
        )
        + guess_probability(
            attempts=with_name, active_codes=a.active_codes, code_space=a.code_space
        )
        * a.first_name_share,
    }
    return GuessOdds(failures_per_hour=per_hour, failures_per_year=per_year, **odds)
