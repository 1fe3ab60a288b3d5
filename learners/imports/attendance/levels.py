"""Competence levels in the attendance file: one column per competence, a level per cell.

A column is a competence when its header is the competence's code (« S2.2 », « 1.1 »), its
name (« Envoyer et lire des e-mails ») or both (« S2.2 Envoyer et lire des e-mails »), in
any case, with or without accents. A cell holds one level of that competence's framework,
by its name (« en cours », « Acquis », « non-acquis », « acquise »), a common abbreviation
(« NA », « ECA ») or, for numbered levels, the number alone (« 3 » for « Niveau 3 »); a
blank cell records nothing.

Each level becomes an observation of the row's person, dated by the session's day, by
the importing counsellor, for the session's structure (`learners.services.progress`
appends them and updates the summaries in the import's transaction). A level already
recorded for the same person, competence and session is not recorded twice, so importing
the same file again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.text import fold
from workshops.models import Competence, Level

from .. import values as v
from ..common import Columns, ImportFileError, ReadResult, records_read

PREFIX = "competence:"  # record keys of competence columns: "competence:<pk>"
# A header that looks like a competence code ("1.1", "S2.3"): unknown, it is an error, not
# a column silently ignored.
_CODE_LIKE = re.compile(r"^[A-Za-z]{0,3}\s?\d+(\.\d+)+$")
# Words counsellors use for the beginner framework's levels (folded, see common.text.fold).
SYNONYMS = {
    "na": "nonacquis",
    "pasacquis": "nonacquis",
    "pasencoreacquis": "nonacquis",
    "nonacquise": "nonacquis",
    "eca": "encours",
    "encoursdacquisition": "encours",
    "enapprentissage": "encours",
    "aa": "acquis",
    "acquise": "acquis",
    "autonomie": "autonome",
    "autonomes": "autonome",
}


def competence_key(competence_id: int) -> str:
    return f"{PREFIX}{competence_id}"


def competence_id_of(key: str) -> int | None:
    return int(key[len(PREFIX) :]) if key.startswith(PREFIX) else None


def _competence_names() -> tuple[dict[str, Competence], set[str]]:
    """({folded header: competence}, folded headers shared by several competences)."""
    found: dict[str, Competence] = {}
    shared: set[str] = set()
    for competence in Competence.objects.only("id", "code", "name", "framework_id"):
        for header in {competence.code, competence.name, f"{competence.code} {competence.name}"}:
            folded = fold(header)
            if folded in found and found[folded].pk != competence.pk:
                shared.add(folded)
            found.setdefault(folded, competence)
    for folded in shared:
        found.pop(folded, None)
    return found, shared


def attendance_records_read(
    *, content: bytes, format: str, columns: Columns, max_rows: int
) -> ReadResult:
    """The attendance columns, plus one column per competence named in the header."""
    competences, shared = _competence_names()
    own = set(columns.lookup())
    synonyms = dict(columns.synonyms)
    for folded, competence in competences.items():
        if folded not in own:
            key = competence_key(competence.pk)
            synonyms[key] = (*synonyms.get(key, ()), folded)
    read = records_read(
        content=content,
        format=format,
        columns=Columns(
            fields=columns.fields,
            synonyms=synonyms,
            ignored=columns.ignored,
            required=columns.required,
        ),
        max_rows=max_rows,
    )
    _check_unknown(read.unknown, shared)
    return read


def _check_unknown(unknown: list[str], shared: set[str]) -> None:
    ambiguous = [h for h in unknown if fold(h) in shared]
    if ambiguous:
        raise ImportFileError(
            _(
                "Colonne(s) %(columns)s : plusieurs compétences portent ce nom ; écrivez le "
                "code de la compétence en titre de colonne."
            )
            % {"columns": ", ".join(f"« {h} »" for h in ambiguous)}
        )
    codes = [h for h in unknown if _CODE_LIKE.match(h)]
    if codes:
        raise ImportFileError(
            _(
                "Compétence(s) inconnue(s) : %(columns)s. Écrivez en titre de colonne le code "
                "ou le nom d'une compétence des référentiels (par exemple « S2.2 » ou "
                "« Envoyer et lire des e-mails »)."
            )
            % {"columns": ", ".join(f"« {h} »" for h in codes)}
        )


@dataclass
class LevelColumns:
    """The competence columns of a file and the levels each accepts."""

    competences: dict[str, Competence]  # record key → competence
    levels: dict[int, dict[str, Level]]  # framework id → {folded word: level}
    names: dict[int, str]  # framework id → the allowed values, as the message lists them

    def __post_init__(self) -> None:
        self.memo: dict[tuple[str, str], Level | v.CellError | None] = {}

    @classmethod
    def of(cls, keys) -> LevelColumns:
        ids = {cid for cid in map(competence_id_of, keys) if cid is not None}
        if not ids:
            return cls({}, {}, {})
        competences = {
            competence_key(c.pk): c
            for c in Competence.objects.filter(pk__in=ids).only("id", "code", "framework_id")
        }
        frameworks = {c.framework_id for c in competences.values()}
        levels: dict[int, dict[str, Level]] = {f: {} for f in frameworks}
        names: dict[int, list[str]] = {f: [] for f in frameworks}
        for level in Level.objects.filter(framework_id__in=frameworks).order_by("rank"):
            words = levels[level.framework_id]
            words.setdefault(fold(level.name), level)
            number = re.fullmatch(r"\D*(\d+)", fold(level.name))
            if number:  # "Niveau 3" is also "3"
                words.setdefault(number.group(1), level)
            names[level.framework_id].append(f"« {level.name} »")
        return cls(competences, levels, {f: ", ".join(n) for f, n in names.items()})

    def parse(self, key: str, text: str) -> Level | None:
        """The level a cell names, None for a blank cell, or CellError (memoised: a
        100,000-row file holds a handful of distinct cells)."""
        found = self.memo.get((key, text), False)
        if found is False:
            try:
                found = self._parse(key, text)
            except v.CellError as exc:
                found = exc
            self.memo[(key, text)] = found
        if isinstance(found, v.CellError):
            raise found
        return found

    def _parse(self, key: str, text: str) -> Level | None:
        text = v.formula_unescape(text.strip())
        if not text:
            return None
        framework_id = self.competences[key].framework_id
        words = self.levels[framework_id]
        folded = fold(text)
        singular = folded.rstrip("s")
        for word in (folded, SYNONYMS.get(folded, ""), singular, singular.removesuffix("e")):
            if word and word in words:
                return words[word]
        raise v.CellError(
            _("niveau inconnu. Valeurs admises : %(levels)s.")
            % {"levels": self.names[framework_id]}
        )
