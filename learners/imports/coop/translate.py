"""Each line of La Coop's worksheet as a line of our attendance import (the machinery that
matches sessions, venues and people, previews and writes), or as an anonymous participant.

A line names a person when its « Bénéficiaire » is a name; « Bénéficiaire anonyme », or a
coordination export (no names), is an anonymous participant counted on the session. The
Coop's « ID CRA » is the session's external id (re-importing changes nothing); a file
without it gets a stable fingerprint of the activity's cells instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.text import fold
from learners.choices import COLLECTIVE_KINDS, AttendanceStatus, PlaceType, SessionKind
from learners.models import Commune, Venue
from learners.national import coop_labels as labels
from workshops.models import Theme

from ..common import ImportPlan, Record

STARS = re.compile(r"^\s*([1-3])\s*/\s*3\s*$")
KIND_BY_LABEL = {fold(labels.TYPE_INDIVIDUAL): SessionKind.INDIVIDUAL} | {
    fold(labels.TYPE_COLLECTIVE): SessionKind.WORKSHOP
}
PLACE_BY_LABEL = labels.reverse(labels.PLACE_TYPES)
EQUIPMENT_BY_LABEL = labels.reverse(labels.EQUIPMENT)
GENDER_BY_LABEL = labels.reverse(labels.GENDERS)
AGE_BY_LABEL = labels.reverse(labels.AGE_BANDS)
STATUS_BY_LABEL = labels.reverse(labels.STATUSES)
AUTONOMY_BY_STARS = {str(n): code for code, n in labels.AUTONOMY_STARS.items()}
LEVEL_BY_STARS = {str(n): code for code, n in labels.LEVEL_STARS.items()}
FINGERPRINT_KEYS = ("date", "recorded", "type", "place_type", "venue", "venue_insee", "duration")


@dataclass
class Translated:
    records: list[Record] = field(default_factory=list)
    # Lines of anonymous participants: they describe their session only.
    anonymous_lines: set[int] = field(default_factory=set)
    # session external id → {(age band, gender): count}, and its first line.
    anonymous: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)
    # session external id → the commune of a session held elsewhere than in a venue.
    place_communes: dict[str, Commune] = field(default_factory=dict)


class Lookups:
    """The structure's venues, the communes and the themes named by the file (a few
    queries for the whole file)."""

    def __init__(self, records: list[Record], structure):
        self.venues: dict[str, list[Venue]] = {}
        if structure is not None:
            for venue in Venue.objects.filter(structure=structure).only("id", "name", "commune_id"):
                self.venues.setdefault(fold(venue.name), []).append(venue)
        codes = {r.values.get("venue_insee", "").strip() for r in records} - {""}
        names = {fold(r.values.get("venue_commune", "")) for r in records} - {""}
        self.communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
        self.communes_by_name: dict[str, list[Commune]] = {}
        for commune in Commune.objects.filter(normalized_name__in=names):
            self.communes_by_name.setdefault(commune.normalized_name, []).append(commune)
        self.themes = {fold(t.name): t.name for t in Theme.objects.only("name")}

    def venue(self, name: str, insee: str) -> Venue | None:
        found = [v for v in self.venues.get(fold(name), []) if not insee or v.commune_id == insee]
        return found[0] if len(found) == 1 else None

    def commune(self, insee: str, name: str) -> Commune | None:
        if insee:
            return self.communes.get(insee)
        found = self.communes_by_name.get(fold(name), [])
        return found[0] if len(found) == 1 else None


def _fingerprint(values: dict[str, str]) -> str:
    text = "|".join(fold(values.get(k, "")) for k in FINGERPRINT_KEYS)
    text += "|" + fold(values.get("title", "")) + "|" + fold(values.get("themes", ""))
    return "coop-" + hashlib.sha256(text.encode()).hexdigest()[:24]


def _code(mapping: dict[str, str], text: str) -> str:
    """Our code for a Coop label, or the text itself (then our parser names the error)."""
    return mapping.get(fold(text), text)


def _stars(text: str, scale: dict[str, str]) -> str:
    match = STARS.match(text or "")
    return scale[match.group(1)] if match else text


def _session_values(
    values: dict[str, str], lookups: Lookups, out: Translated, line: int, plan: ImportPlan
) -> dict[str, str]:
    external_id = values.get("id", "").strip() or _fingerprint(values)
    kind = _code(KIND_BY_LABEL, values.get("type", ""))
    collective = kind in COLLECTIVE_KINDS
    session = {
        "session_external_id": external_id,
        "date": values.get("date", ""),
        "kind": kind,
        "title": values.get("title", "") if collective else "",
        "duration_minutes": values.get("duration", ""),
        "themes": _themes(values, lookups),
        "level": _stars(values.get("level", ""), LEVEL_BY_STARS) if collective else "",
    }
    session.update(_place(values, lookups, out, external_id, line, plan))
    return session


def _themes(values: dict[str, str], lookups: Lookups) -> str:
    """The national themes, plus the tags that are themes of ours (others are not kept)."""
    themes = [t for t in values.get("themes", "").split("\n") if t.strip()]
    themes += [
        lookups.themes[fold(tag)]
        for tag in values.get("tags", "").split("\n")
        if fold(tag) in lookups.themes
    ]
    return "\n".join(themes)


def _place(values, lookups: Lookups, out: Translated, external_id: str, line: int, plan):
    place = _code(PLACE_BY_LABEL, values.get("place_type", ""))
    name, insee = values.get("venue", "").strip(), values.get("venue_insee", "").strip()
    if place == PlaceType.VENUE or (place == PlaceType.OTHER and name):
        venue = lookups.venue(name, insee)
        if venue is not None:
            return {"place_type": PlaceType.VENUE, "venue": venue.name, "venue_insee": insee}
        place = PlaceType.OTHER
    if place == PlaceType.OTHER and (insee or values.get("venue_commune", "").strip()):
        commune = lookups.commune(insee, values.get("venue_commune", ""))
        if commune is None:
            column = "Code Insee" if insee else "Commune"
            plan.error(line, column, _("commune inconnue : vérifiez le code INSEE ou le nom."))
        else:
            out.place_communes[external_id] = commune
    return {"place_type": place}


def _person_values(values: dict[str, str], collective: bool) -> dict[str, str]:
    first, _sep, last = values.get("beneficiary", "").strip().partition(" ")
    referred = fold(values.get("referred", "")) == fold(labels.YES)
    person = {
        "first_name": first,
        "last_name": last.strip(),
        "commune": values.get("person_insee", ""),
        "commune_name": values.get("person_commune", ""),
        "gender": _code(GENDER_BY_LABEL, values.get("gender", "")),
        "social_status": _code(STATUS_BY_LABEL, values.get("status", "")),
        "status": AttendanceStatus.PRESENT,
        "referred_to": (values.get("redirection", "") or labels.REDIRECTION_OTHER)
        if referred
        else "",
    }
    if not collective:
        equipment = next((e for e in values.get("equipment", "").split("\n") if e.strip()), "")
        person["equipment"] = _code(EQUIPMENT_BY_LABEL, equipment)
        person["autonomy"] = _stars(values.get("level", ""), AUTONOMY_BY_STARS)
    return person


def _is_anonymous(values: dict[str, str], named_file: bool) -> bool:
    name = fold(values.get("beneficiary", ""))
    return not named_file or not name or name == fold(labels.ANONYMOUS)


def _count_anonymous(values, out: Translated, external_id: str, line: int, plan) -> None:
    band = AGE_BY_LABEL.get(fold(values.get("age_band", "")) or fold("Non communiqué"))
    gender = GENDER_BY_LABEL.get(fold(values.get("gender", "")) or fold("Non communiqué"))
    if band is None:
        plan.error(line, "Tranche d’âge du bénéficiaire", _unknown(labels.AGE_BANDS))
        return
    if gender is None:
        plan.error(line, "Genre du bénéficiaire", _unknown(labels.GENDERS))
        return
    counts = out.anonymous.setdefault(external_id, {})
    counts[(band, gender)] = counts.get((band, gender), 0) + 1
    out.first_line.setdefault(external_id, line)


def _unknown(mapping: dict[str, str]) -> str:
    return _("valeur inconnue ; valeurs possibles : %(labels)s.") % {
        "labels": ", ".join(f"« {label} »" for label in mapping.values())
    }


def translate(records: list[Record], *, named_file: bool, structure, plan: ImportPlan):
    """The Coop's lines as attendance-import records (same line numbers) and anonymous
    counts."""
    lookups = Lookups(records, structure)
    out = Translated()
    for record in records:
        values = record.values
        session = _session_values(values, lookups, out, record.line, plan)
        if _is_anonymous(values, named_file):
            out.anonymous_lines.add(record.line)
            _count_anonymous(values, out, session["session_external_id"], record.line, plan)
            out.records.append(Record(line=record.line, values=session))
            continue
        collective = session["kind"] in COLLECTIVE_KINDS
        out.records.append(
            Record(line=record.line, values=session | _person_values(values, collective))
        )
    return out
