"""Text folding used to match people and communes the way counsellors type names.

"Hélène", "HELENE" and "helene" fold to the same key; so do "Jean-Pierre" and "jean pierre",
"N'Diaye" and "ndiaye", "Œuvray" and "oeuvray". Letters of other scripts are kept (folded to
lower case), so a name written in Arabic or Cyrillic script still gets a non-empty key.
"""

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o"})


def fold(text: str | None) -> str:
    """Lower case, no accents, no spaces, hyphens, apostrophes or punctuation."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).casefold()
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))
