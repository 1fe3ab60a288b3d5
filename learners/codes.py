"""Carnet codes: generation, normalisation, keyed hashing, and why guessing is pointless.

A code is 10 symbols drawn with `secrets` from a 30-symbol alphabet without look-alikes:
digits 2-9 and the letters A-Z without I, L, O (they read as 1 and 0) and U (read as V in
handwriting). It is printed in two groups, ``7KXQ2-MZ4TA``; input is forgiving: spaces,
hyphens, dots and underscores are dropped and letters upper-cased before the lookup.

Only an HMAC-SHA256 of the code is stored, keyed with ``settings.CARNET_CODE_KEY`` (falling
back to ``SECRET_KEY``): a copy of the database alone reveals no code and cannot be searched
offline without the key, while the lookup stays one indexed equality on the hash. Rotating
the key invalidates every code (counsellors then issue new ones), so production should set a
dedicated ``CARNET_CODE_KEY`` rather than rely on ``SECRET_KEY``.

Entropy arithmetic (checked by tests/learners/services/test_carnets.py):

- code space S = 30**10 = 590,490,000,000,000 ≈ 5.9e14 codes (about 49 bits);
- an attacker limited to G attempts a day overall (the public view enforces a global limit
  on top of the per-client one: `learners.services.carnet_limits`, 400 failed attempts an
  hour, so G = 9,600) tries A = G * D codes in D days;
- with M active codes, the chance that at least one attempt opens some carnet is
  P = 1 - (1 - M/S)**A <= A * M / S.
- Vendée-scale network (M = 25,000 people) with G = 10,000 a day for a year:
  P <= 3,650,000 * 25,000 / 5.9e14 ≈ 1.5e-4.
- National scale (M = 1,000,000) with the same limit: P <= 6.2e-3, under one chance in 160,
  for a single carnet showing a first name and competence levels.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets

from django.conf import settings

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH

_SEPARATORS = re.compile(r"[\s\-._]+")
_VALID = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def code_generate() -> str:
    """A new random code (plain, unformatted), drawn with the `secrets` module."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalize(raw: str | None) -> str | None:
    """The canonical code for what a person typed, or None when it cannot be a code."""
    if not raw:
        return None
    code = _SEPARATORS.sub("", raw).upper()
    return code if _VALID.match(code) else None


def code_format(code: str) -> str:
    """Printable form: two groups of five, ``7KXQ2-MZ4TA``."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _key() -> bytes:
    key = getattr(settings, "CARNET_CODE_KEY", "") or settings.SECRET_KEY
    return f"pas-a-pas/carnet/{key}".encode()


def code_hash(code: str) -> str:
    """HMAC-SHA256 (hex) of a normalised code: what the database stores and looks up."""
    return hmac.new(_key(), code.encode("ascii"), hashlib.sha256).hexdigest()


def code_entropy_bits() -> float:
    return CODE_LENGTH * math.log2(len(CODE_ALPHABET))


def guess_probability(*, attempts_per_day: int, active_codes: int, days: int = 365) -> float:
    """Chance that random guesses at the allowed rate open at least one active carnet."""
    if active_codes >= CODE_SPACE:
        return 1.0
    attempts = attempts_per_day * days
    # 1 - (1 - M/S)**A, with log1p/expm1 to keep precision for tiny probabilities.
    return -math.expm1(attempts * math.log1p(-active_codes / CODE_SPACE))
