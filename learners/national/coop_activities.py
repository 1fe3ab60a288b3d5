"""Our sessions as La Coop de la médiation numérique's activity worksheet
(`buildAccompagnementsWorksheet.ts`, commit in `coop_source`): the same columns in the same
order, the same labels and value formats, one line per accompaniment (each person marked
present, and each anonymous participant counted, is one line of their session).

Two layouts, as the Coop's: a counsellor exports their own activity (« Bénéficiaire » and
« Notes supplémentaires » columns, no counsellor columns); a coordinator exports the
network's (the counsellor's name and role, no beneficiary name).

Mapping: « Type » atelier collectif for ateliers and temps d'échange, accompagnement
individuel otherwise; « Canaux d’accompagnement » our place type; the venue's name, address,
commune, postal code and INSEE code (for « autre lieu », the session's commune); national
themes in « Thématique(s) d’accompagnement », our own themes in « Tags »; « Niveau
d’autonomie (ou de l’atelier) » the person's autonomy, or the atelier's level, in stars
(« 2/3 »); the referral as the Coop's vocabulary (« Autre » for free text); « ID CRA » the
Coop's id of an imported session (its external id), else ours.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from learners.age_bands import AgeBand
from learners.choices import Gender, PlaceType, SocialStatus
from learners.models import Session

from . import coop_labels as labels


@dataclass
class CoopActivityData:
    """What the worksheet reads (filled by `learners.selectors.coop.coop_activity_data`):
    the sessions, and per session id the people marked present and the anonymous counts."""

    sessions: list[Session]
    people: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    anonymous: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


COMMON_HEAD = ("Date", "Enregistré le", "Dernière modification le")
COUNSELLOR_COLUMNS = ("Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum")
PLACE_AND_CONTENT = (
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
)
ID_COLUMN = "ID CRA"
COUNSELLOR_ROLE = "Médiateur"


def columns(*, self_export: bool) -> list[str]:
    """The worksheet's headers, in the Coop's order (without its V1 « Source » column)."""
    if self_export:
        return [
            *COMMON_HEAD,
            "Type",
            "Participants",
            "Bénéficiaire",
            *PLACE_AND_CONTENT,
            "Notes supplémentaires",
            ID_COLUMN,
        ]
    return [
        *COMMON_HEAD,
        *COUNSELLOR_COLUMNS,
        "Type",
        "Participants",
        *PLACE_AND_CONTENT,
        ID_COLUMN,
    ]


def _stamp(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y à %H:%M")


def _place(session: Session) -> list[str]:
    """Name, address, commune, postal code, INSEE code of where the session took place."""
    venue = session.venue if session.place_type == PlaceType.VENUE else None
    if venue is not None:
        commune = venue.commune
        postal = venue.postal_code or (commune.postal_codes.split()[:1] or [""])[0]
        return [venue.name, venue.address, commune.name, postal, commune.insee_code]
    other = session.place_commune
    if other is None:
        return ["", "", "", "", ""]
    return ["", "", other.name, (other.postal_codes.split()[:1] or [""])[0], other.insee_code]


def _themes(session: Session) -> tuple[str, str]:
    """(national themes, our own themes as tags); an administrative sub-theme brings its
    parent (« Aide aux démarches administratives »), as the Coop requires."""
    national: list[str] = []
    own: list[str] = []
    for theme in sorted(session.themes.all(), key=lambda t: (t.sort_order, t.name)):
        if not theme.is_national:
            own.append(theme.name)
            continue
        if theme.parent is not None and theme.parent.name not in national:
            national.append(theme.parent.name)
        if theme.name not in national:
            national.append(theme.name)
    return labels.LINE_BREAK.join(national), labels.LINE_BREAK.join(own)


def _equipment(values: list[str]) -> str:
    found = []
    for value in values:
        label = labels.EQUIPMENT.get(value)
        if label and label not in found:
            found.append(label)
    return labels.LINE_BREAK.join(found)


class _SessionRows:
    """The lines of one session."""

    def __init__(self, session: Session, data: CoopActivityData, *, self_export: bool):
        self.session = session
        self.self_export = self_export
        self.people = data.people.get(session.pk, [])
        self.anonymous = [
            group for group in data.anonymous.get(session.pk, []) for _n in range(group["count"])
        ]
        self.total = len(self.people) + len(self.anonymous)
        self.themes, self.tags = _themes(session)
        self.session_equipment = _equipment([p["equipment"] for p in self.people])

    def head(self) -> list[Any]:
        session = self.session
        created, updated = _stamp(session.created_at), _stamp(session.updated_at)
        row: list[Any] = [session.local_date, created, "" if updated == created else updated]
        if not self.self_export:
            counsellor = next(iter(session.counsellors.all()), None)
            user = counsellor.user if counsellor else None
            row += [
                user.first_name if user else "",
                user.last_name if user else "",
                COUNSELLOR_ROLE if user else "",
                "",
            ]
        return row

    def lines(self) -> Iterator[list[Any]]:
        head = self.head()
        participants = [(p, False) for p in self.people] + [(a, True) for a in self.anonymous]
        for index, (person, anonymous) in enumerate(participants):
            yield head + self._line(index, person, anonymous=anonymous)

    def _line(self, index: int, person: dict, *, anonymous: bool) -> list[Any]:
        session = self.session
        collective = session.is_collective
        line: list[Any] = [
            labels.TYPE_COLLECTIVE if collective else labels.TYPE_INDIVIDUAL,
            1 if self.total == 1 else f"{index + 1}/{self.total}",
        ]
        if self.self_export:
            line.append(labels.ANONYMOUS if anonymous else _name(person))
        line += [labels.PLACE_TYPES[PlaceType(session.place_type)], *_place(session)]
        line += [
            session.duration_minutes,
            session.title if collective else "",
            self.session_equipment if collective else _equipment([person.get("equipment", "")]),
            self.themes,
            self.tags,
            "",
            _level(session, person, collective=collective),
            *_referral(person, collective=collective, anonymous=anonymous),
            *_person(person, anonymous=anonymous),
        ]
        if self.self_export:
            line.append("")
        line.append(session.external_id or str(session.pk))
        return line


def _name(person: dict) -> str:
    name = " ".join(p for p in (person["learner__first_name"], person["learner__last_name"]) if p)
    return name or labels.ANONYMOUS


def _level(session: Session, person: dict, *, collective: bool) -> str:
    if collective:
        return labels.stars(session.level, labels.LEVEL_STARS)
    return labels.stars(person.get("autonomy", ""), labels.AUTONOMY_STARS)


def _referral(person: dict, *, collective: bool, anonymous: bool) -> list[str]:
    """(« Bénéficiaire réorienté », « Structure de redirection »): individual lines only,
    as the Coop records orientation for individual accompaniments."""
    if collective or anonymous:
        return ["", ""]
    redirection = labels.redirection_label(person["referred_to"])
    return [labels.YES if redirection else labels.NO, redirection]


def _person(person: dict, *, anonymous: bool) -> list[str]:
    if anonymous:
        return [
            "",
            "",
            "",
            labels.GENDERS[Gender(person["gender"])],
            labels.AGE_BANDS[AgeBand(person["age_band"])],
            labels.STATUSES[SocialStatus.UNKNOWN],
        ]
    postal_codes = (person["learner__commune__postal_codes"] or "").split()
    return [
        person["learner__commune__name"] or "",
        postal_codes[0] if postal_codes else "",
        person["learner__commune__insee_code"] or "",
        labels.GENDERS[Gender(person["learner__gender"])],
        labels.AGE_BANDS[AgeBand(person["band"])],
        labels.STATUSES[SocialStatus(person["learner__social_status"])],
    ]


def activity_lines(data: CoopActivityData, *, self_export: bool) -> Iterator[list[Any]]:
    """The worksheet's lines, session by session (sessions without anyone: none)."""
    for session in data.sessions:
        yield from _SessionRows(session, data, self_export=self_export).lines()
