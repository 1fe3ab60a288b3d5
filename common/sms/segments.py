"""How many SMS a text is billed as (GSM 03.38 / 3GPP TS 23.038).

A text written only with the GSM 7-bit alphabet travels as 160 characters in one SMS, or
153 per part once split (each part carries a 7-character header for reassembly). The
alphabet's extension table (``^{}[]~|\\€`` and form feed) costs two characters each (an
escape, then the character), and a part never ends between the two. Any other character
(``ê``, ``ç``, ``â``, ``œ``, ``«``, the typographic apostrophe ``’``, an emoji) turns the
whole text into UCS-2: 70 characters in one SMS, 67 per part, counted in UTF-16 units (an
emoji is two, never split).

French accents: ``é è ù à ì ò É Ç`` are in the 7-bit alphabet; ``ê ë â ô î ï û ü ç œ À
È Ê`` are not (``ü`` is, ``û`` is not). A French message can stay in one 160-character SMS
if it avoids the second list: `gsm7_fold` replaces each character outside the alphabet by
its nearest one in it (``ê`` → ``e``, ``ç`` → ``c``, ``«`` → ``"``, ``’`` → ``'``).
"""

from __future__ import annotations

import unicodedata

# The basic character set, in table order (0x00-0x7F).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    # ESC (0x1B) is listed above only to keep the table complete; it is not text.
) - {"\x1b"}
# The extension table: each costs an escape plus the character.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

# Characters outside the alphabet that have an obvious stand-in in it (others lose their
# accent through Unicode decomposition, or become "?").
_FOLD = {
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "’": "'",
    "‘": "'",
    "‚": "'",
    "–": "-",
    "—": "-",
    "‑": "-",
    "…": "...",
    "\u00a0": " ",  # non-breaking space
    "\u202f": " ",  # narrow non-breaking space (before « : » in French typography)
    "\u2009": " ",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",  # only the capital Ç is in the alphabet
    "\t": " ",
}


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM 7-bit alphabet or its extension."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def _fold_char(char: str) -> str:
    if char in GSM7_BASIC or char in GSM7_EXTENDED:
        return char
    if char in _FOLD:
        return _FOLD[char]
    base = unicodedata.normalize("NFD", char)[0]
    if base in GSM7_BASIC:
        return base
    return "?"


def gsm7_fold(text: str) -> str:
    """`text` with every character outside the GSM 7-bit alphabet replaced by its nearest
    one inside it, so that it is billed at 160 characters per SMS rather than 70."""
    return "".join(_fold_char(char) for char in text)


def _parts(units: list[int], single: int, part: int) -> int:
    """Parts needed for characters costing `units` each, never splitting one character."""
    if sum(units) <= single:
        return 1
    count, used = 1, 0
    for cost in units:
        if used + cost > part:
            count += 1
            used = 0
        used += cost
    return count


def sms_segments(text: str) -> int:
    """The number of SMS the text is billed as (an empty text is still one SMS)."""
    if not text:
        return 1
    if is_gsm7(text):
        return _parts([2 if char in GSM7_EXTENDED else 1 for char in text], GSM7_SINGLE, GSM7_PART)
    units = [len(char.encode("utf-16-le")) // 2 for char in text]
    return _parts(units, UCS2_SINGLE, UCS2_PART)
