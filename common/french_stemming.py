"""French words as PostgreSQL's `french_unaccent` text search configuration indexes them:
lower case, no accents, no stop words, stemmed with Snowball's French stemmer (the one
PostgreSQL's `french_stem` uses, here pure Python). Used by `common.search_backend` on
SQLite, and by workshops migration 0006 to stem the index entries written before it.
No Django import: a migration can use it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# PostgreSQL's `french.stop` (Snowball's list), compared as PostgreSQL does: after `unaccent`,
# so the accented entries (« été », « même ») never match and those words are stemmed.
FRENCH_STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
    ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants
    étantes suis es est sommes êtes sont serai seras sera serons serez seront serais serait
    serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois
    soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais
    aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie
    aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent""".split()
)
WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("french")


def _unaccent(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=20_000)
def _french_word(word: str) -> str:
    """The stem of one lower-case word without accents, or "" for a stop word."""
    if word in FRENCH_STOP_WORDS:
        return ""
    return _stemmer.stemWord(word)


def french_words(text: str) -> list[str]:
    """The words of `text` as PostgreSQL's `french_unaccent` indexes them: lower case, no
    accents, no stop words, stemmed."""
    stems = (_french_word(_unaccent(word.lower())) for word in WORD.findall(text))
    return [stem for stem in stems if stem]


def french_text(text: str) -> str:
    return " ".join(french_words(text))
