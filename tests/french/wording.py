"""What French a page must not contain, read from its visible text (and the texts
assistive technologies read: alt, title, aria-label, placeholder): used by
tests/french/test_wording.py on every public page and the main admin pages."""

from __future__ import annotations

import html
import re

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# Plural nouns and adjectives the pages put after a count: after 0 or 1 they are an error.
PLURALS = (
    "inscrits",
    "inscrites",
    "inscriptions",
    "places",
    "libres",
    "personnes",
    "séances",
    "présences",
    "présents",
    "présentes",
    "absences",
    "observations",
    "participants",
    "participations",
    "dates",
    "fiches",
    "ateliers",
    "lieux",
    "niveaux",
    "compétences",
    "demandes",
    "messages",
    "courriels",
    "lignes",
    "résultats",
    "heures",
    "communes",
    "structures",
    "services",
    "carnets",
    "codes",
    "séries",
    "minutes",
    "jours",
    "semaines",
    "mois",  # never plural-marked, kept out below
)
_PLURALS = tuple(p for p in PLURALS if p != "mois")

_HIDDEN = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1>", re.S | re.I)
_ATTRIBUTE = re.compile(r'\s(?:alt|title|aria-label|placeholder)="([^"]*)"', re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def visible_text(markup: str) -> str:
    """The page's text, tags replaced by a line break (so words of two cells never run
    together), with the texts read aloud from attributes appended."""
    markup = _HIDDEN.sub(" ", markup)
    spoken = " \n ".join(_ATTRIBUTE.findall(markup))
    text = _TAG.sub("\n", markup) + "\n" + spoken
    return "\n".join(
        _SPACES.sub(" ", html.unescape(line)).strip() for line in text.splitlines() if line
    )


def _rules(names: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    inserted = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    days = "|".join(d.capitalize() for d in DAYS)
    months = "|".join(m.capitalize() for m in MONTHS)
    return [
        ("« de » non élidé", re.compile(rf"\b[Dd]e (?:« )?(?:{inserted})\b")),
        (
            "« le », « la » ou « que » non élidé",
            re.compile(rf"\b(?:[Ll][ea]|que) (?:{inserted})\b"),
        ),
        ("« 1er » attendu", re.compile(rf"\b1 (?:{'|'.join(MONTHS)})\b", re.I)),
        ("jour avec une majuscule", re.compile(rf"(?<=[a-zà-ÿ,:] )(?:{days})\b")),
        ("mois avec une majuscule", re.compile(rf"(?<=\d )(?:{months})\b|(?<=er )(?:{months})\b")),
        ("pluriel après 0 ou 1", re.compile(rf"(?<![\d,.])\b[01] (?:{'|'.join(_PLURALS)})\b")),
        ("accord entre parenthèses", re.compile(r"\w\((?:e|s|es|x|le)\)")),
    ]


def wording_errors(page: str, markup: str, *, names: tuple[str, ...]) -> list[str]:
    """« page : rule : …snippet… » for every match."""
    text = visible_text(markup)
    errors = []
    for rule, pattern in _rules(names):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 40), match.end() + 40
            snippet = text[start:end].replace("\n", " ⏎ ")
            errors.append(f"{page} : {rule} : …{snippet}…")
    return errors
