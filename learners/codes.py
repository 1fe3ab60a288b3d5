"""Carnet codes: generation, normalisation, keyed hashing, and why guessing is pointless.

A code is 16 symbols drawn with `secrets` from a 30-symbol alphabet without look-alikes:
digits 2-9 and the letters A-Z without I, L, O (they read as 1 and 0) and U (read as V in
handwriting). It is printed in four groups of four, ``7KXQ-2MZ4-TAB8-9WRC``; input is
forgiving: spaces, hyphens, dots and underscores are dropped and letters upper-cased before
the lookup.

**Legacy codes.** Cards printed before codes were lengthened carry 10 symbols (two groups
of five, ``7KXQ2-MZ4TA``). They stay valid (`LEGACY_CODE_LENGTH`) until their holder gets a
new card, unless ``CARNET_ACCEPT_LEGACY_CODES`` is turned off once every card has been
replaced. Why 16: see the arithmetic below and `learners.services.carnet_opening`.

Only an HMAC-SHA256 of the code is stored, keyed with ``settings.CARNET_CODE_KEY`` (falling
back to ``SECRET_KEY``): a copy of the database alone reveals no code and cannot be searched
offline without the key, while the lookup stays one indexed equality on the hash. Rotating
the key invalidates every code (counsellors then issue new ones), so production should set a
dedicated ``CARNET_CODE_KEY`` rather than rely on ``SECRET_KEY``.

Entropy arithmetic (checked by tests/learners/services/test_carnet_opening.py):

- code space S = 30**16 ≈ 4.3e23 codes (about 78.5 bits); legacy codes 30**10 ≈ 5.9e14;
- with M active codes, the chance that at least one of A random attempts opens some carnet
  is P = 1 - (1 - M/S)**A <= A * M / S (`guess_probability`);
- A is bounded by the rate limits of the public page (`learners.services.carnet_limits`).
  10 symbols could not meet the target (P < 1e-6 in a year with 1,000,000 active codes):
  it would allow only A < 590 failed attempts a year for the whole site.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets

from django.conf import settings

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
CODE_GROUP = 4
CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH
LEGACY_CODE_LENGTH = 10
LEGACY_CODE_SPACE = len(CODE_ALPHABET) ** LEGACY_CODE_LENGTH

_SEPARATORS = re.compile(r"[\s\-._]+")
_VALID = re.compile(f"^[{CODE_ALPHABET}]+$")


def legacy_codes_accepted() -> bool:
    return bool(getattr(settings, "CARNET_ACCEPT_LEGACY_CODES", True))


def code_lengths() -> tuple[int, ...]:
    """The lengths a typed code may have: 16, and 10 while legacy cards are accepted."""
    if legacy_codes_accepted():
        return (CODE_LENGTH, LEGACY_CODE_LENGTH)
    return (CODE_LENGTH,)


def code_generate() -> str:
    """A new random code (plain, unformatted), drawn with the `secrets` module."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalize(raw: str | None) -> str | None:
    """The canonical code for what a person typed, or None when it cannot be a code."""
    if not raw:
        return None
    code = _SEPARATORS.sub("", raw).upper()
    if len(code) not in code_lengths() or not _VALID.match(code):
        return None
    return code


def code_groups(code: str) -> list[str]:
    """Printed groups: four of four (``7KXQ 2MZ4 TAB8 9WRC``); a legacy code two of five."""
    size = 5 if len(code) == LEGACY_CODE_LENGTH else CODE_GROUP
    return [code[i : i + size] for i in range(0, len(code), size)]


def code_format(code: str) -> str:
    """Printable form: ``7KXQ-2MZ4-TAB8-9WRC`` (legacy ``7KXQ2-MZ4TA``)."""
    return "-".join(code_groups(code))


def _key() -> bytes:
    key = getattr(settings, "CARNET_CODE_KEY", "") or settings.SECRET_KEY
    return f"pas-a-pas/carnet/{key}".encode()


def code_hash(code: str) -> str:
    """HMAC-SHA256 (hex) of a normalised code: what the database stores and looks up."""
    return hmac.new(_key(), code.encode("ascii"), hashlib.sha256).hexdigest()


def code_entropy_bits(length: int = CODE_LENGTH) -> float:
    return length * math.log2(len(CODE_ALPHABET))


def guess_probability(
    *,
    attempts_per_day: float | None = None,
    active_codes: int,
    days: int = 365,
    attempts: float | None = None,
    code_space: int = CODE_SPACE,
) -> float:
    """Chance that random guesses (``attempts`` in all, or ``attempts_per_day`` for
    ``days``) open at least one of ``active_codes`` carnets in a space of ``code_space``."""
    if active_codes >= code_space:
        return 1.0
    if attempts is None:
        attempts = attempts_per_day * days
    # 1 - (1 - M/S)**A, with log1p/expm1 to keep precision for tiny probabilities.
    return -math.expm1(attempts * math.log1p(-active_codes / code_space))
