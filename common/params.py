"""Reading raw request parameters that bypass a form (ids, page numbers, codes).

`str.isdigit()` is not enough: "²" and "١" are digits to Python, and `int("²")` raises;
a NUL character or a 10,000-digit number would reach the database. These helpers answer
None (« nothing asked ») for anything but a short run of ASCII digits.
"""

from __future__ import annotations

# Enough for any primary key or page number (bigint has 19 digits).
MAX_INT_DIGITS = 18


def positive_int(raw: str | None, *, max_digits: int = MAX_INT_DIGITS) -> int | None:
    """The number written in `raw` (ASCII digits only, at most `max_digits`), or None."""
    if not raw or len(raw) > max_digits or not (raw.isascii() and raw.isdecimal()):
        return None
    return int(raw)
