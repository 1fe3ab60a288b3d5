"""A venue as a row of the national standard « Lieux de médiation numérique » v1.0.2, and back.

The standard is a Table Schema (`schemas/lieux-de-mediation-numerique-1.0.2.json`,
LaMednum/standard-mediation-num): 32 columns in a fixed order, seven of them required, the
multi-valued ones written with `|` between values (the schema's patterns; its README still
says `;`, which the import also accepts).

- `venue_standard_row(venue)` -> {column: value} in the schema's column order, for the
  CSV and JSON files (`opendata`), the API (`api`) and the admin export. Values are
  strings, except `latitude`/`longitude` (floats); an empty cell is None. The venue must
  come with its `structure` and `commune` (select_related): no query is made here.
  `id` is the venue's `external_id` when it has one (kept from the file it came from), else
  `pasapas-lieu-<pk>`, stable for the life of the venue; `pivot` is the venue's own SIRET or
  RNA, else its structure's SIRET; `source` is the producer (setting `OPEN_DATA_PRODUCER`).
  `missing_required(row)` names the required columns a row still lacks (such a venue is
  left out of the open file: the national map cannot place it).
- `standard_row_to_fields(row)` -> {Venue field: value} for the columns present in `row`
  (the import's job: it resolves the commune from `commune_insee`/`commune_name` and the
  venue from `external_id`/`venue_pk`); raises `StandardRowError` listing, per column, a
  French message that names the allowed values. `COLUMN_PARSERS` parses one cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import fold
from learners import lieux_vocabularies as vocab
from learners.contacts import phone_e164_or_empty, phone_normalize
from learners.models.fields import check_emails, split_emails
from learners.national.producer import producer

SCHEMA_VERSION = "1.0.2"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "lieux-de-mediation-numerique-1.0.2.json"
SEPARATOR = "|"
GENERATED_ID_PREFIX = "pasapas-lieu-"

COLUMNS = (
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
)
REQUIRED = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj")

# The multi-valued columns with a vocabulary: column -> (Venue field, vocabulary).
LIST_COLUMNS: dict[str, tuple[str, tuple[tuple[str, Any], ...]]] = {
    "typologie": ("typology", vocab.TYPOLOGY),
    "itinerance": ("mobility", vocab.MOBILITY),
    "services": ("services", vocab.SERVICES),
    "publics_specifiquement_adresses": ("audiences", vocab.AUDIENCES),
    "prise_en_charge_specifique": ("specific_support", vocab.SPECIFIC_SUPPORT),
    "frais_a_charge": ("fees", vocab.FEES),
    "dispositif_programmes_nationaux": ("national_programmes", vocab.NATIONAL_PROGRAMMES),
    "formations_labels": ("training_labels", vocab.TRAINING_LABELS),
    "modalites_acces": ("access_modes", vocab.ACCESS_MODES),
    "modalites_accompagnement": ("support_modes", vocab.SUPPORT_MODES),
}
# The single-valued text columns: column -> Venue field.
TEXT_COLUMNS = {
    "nom": "name",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "horaires": "opening_hours",
    "presentation_resume": "summary",
    "presentation_detail": "description",
    "structure_parente": "parent_organisation",
    "autres_formations_labels": "other_training_labels",
    "fiche_acces_libre": "acceslibre_url",
    "prise_rdv": "booking_url",
}
_PIVOT = re.compile(r"^[a-zA-Z0-9]{9,14}$")
_PHONE = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
_GENERATED_ID = re.compile(rf"^{re.escape(GENERATED_ID_PREFIX)}(\d+)$")
_MULTI_SPLIT = re.compile(r"\s*[|;]\s*")

Row = dict[str, Any]


# --- venue -> row -------------------------------------------------------------------------


def standard_id(venue: Any) -> str:
    return venue.external_id or f"{GENERATED_ID_PREFIX}{venue.pk}"


def generated_id_pk(identifier: str) -> int | None:
    """The venue pk of an id this module generated (« pasapas-lieu-12 » -> 12), else None."""
    match = _GENERATED_ID.match(identifier.strip())
    return int(match.group(1)) if match else None


def _joined(values: list[str]) -> str | None:
    return SEPARATOR.join(values) if values else None


def _phone(raw: str) -> str | None:
    if _PHONE.match(raw):
        return raw
    e164 = phone_e164_or_empty(raw)
    return e164 if _PHONE.match(e164) else None


def _postal_code(venue: Any) -> str | None:
    if venue.postal_code:
        return venue.postal_code
    codes = (venue.commune.postal_codes or "").split()
    return codes[0] if codes else None


def _pivot(venue: Any) -> str | None:
    pivot = venue.pivot or venue.structure.siret
    return pivot if pivot and _PIVOT.match(pivot) else None


def venue_standard_row(venue: Any, *, source: str | None = None) -> Row:
    """The venue as the standard's row (see the module's docstring)."""
    commune = venue.commune
    row: Row = {
        "id": standard_id(venue),
        "pivot": _pivot(venue),
        "commune": commune.name,
        "code_postal": _postal_code(venue),
        "code_insee": commune.insee_code if _INSEE.match(commune.insee_code) else None,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "telephone": _phone(venue.phone) if venue.phone else None,
        "courriels": _joined(list(venue.emails or [])),
        "site_web": venue.website or None,
        "source": source if source is not None else producer(),
        "date_maj": timezone.localdate(venue.updated_at).isoformat(),
    }
    for column, field in TEXT_COLUMNS.items():
        row[column] = getattr(venue, field) or None
    for column, (field, vocabulary) in LIST_COLUMNS.items():
        chosen = set(getattr(venue, field) or [])
        row[column] = _joined([value for value, _label in vocabulary if value in chosen])
    return {column: row[column] for column in COLUMNS}


def missing_required(row: Mapping[str, Any]) -> list[str]:
    return [column for column in REQUIRED if row.get(column) in (None, "")]


# --- row -> venue fields ------------------------------------------------------------------


class StandardValueError(ValueError):
    """One cell that does not follow the standard; its message is French."""


class StandardRowError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{column}: {message}" for column, message in errors.items()))
        self.errors = errors


def split_values(text: str) -> list[str]:
    """ "A|B" or "A ; B" -> ["A", "B"]."""
    return [part for part in _MULTI_SPLIT.split((text or "").strip()) if part]


def _vocabulary_parser(vocabulary: tuple[tuple[str, Any], ...]) -> Callable[[str], list[str]]:
    """Each value matched on its folded value or label (case and accents aside)."""
    known: dict[str, str] = {}
    for value, label in vocabulary:
        known[fold(value)] = value
        known[fold(str(label))] = value

    def parse(text: str) -> list[str]:
        chosen = []
        for part in split_values(text):
            value = known.get(fold(part))
            if value is None:
                allowed = " | ".join(value for value, _label in vocabulary)
                raise StandardValueError(
                    _("« %(value)s » n'est pas une valeur admise. Valeurs admises : %(allowed)s.")
                    % {"value": part, "allowed": allowed}
                )
            chosen.append(value)
        chosen_set = set(chosen)
        return [value for value, _label in vocabulary if value in chosen_set]

    return parse


def _text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = (text or "").strip()
        if len(value) > max_length:
            raise StandardValueError(
                _("%(count)d caractères : %(max)d au plus.")
                % {"count": len(value), "max": max_length}
            )
        return value

    return parse


def _pattern(pattern: re.Pattern[str], message: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = (text or "").strip()
        if value and not pattern.match(value):
            raise StandardValueError(message % {"value": value})
        return value

    return parse


def _parse_phone(text: str) -> str:
    value = (text or "").strip()
    if not value:
        return ""
    try:
        e164 = phone_normalize(value, mobile_only=False)
    except ValidationError:
        e164 = ""
    if not _PHONE.match(e164):
        raise StandardValueError(
            _("« %(value)s » : un numéro français attendu, par exemple +33123456789.")
            % {"value": value}
        )
    return e164


def _parse_emails(text: str) -> list[str]:
    emails = split_emails(text)
    try:
        check_emails(emails)
    except ValidationError as exc:
        raise StandardValueError(" ".join(exc.messages)) from None
    return emails


def _parse_coordinate(limit: float) -> Callable[[str], float | None]:
    def parse(text: str) -> float | None:
        value = (text or "").strip().replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise StandardValueError(
                _("« %(value)s » n'est pas un nombre (degrés décimaux, avec un point).")
                % {"value": text.strip()}
            ) from None
        if not -limit <= number <= limit:
            raise StandardValueError(_("coordonnée hors limites (degrés décimaux attendus)."))
        return number

    return parse


def _parse_website(text: str) -> str:
    """The first address of `site_web` (a venue keeps one site)."""
    urls = split_values(text)
    return urls[0] if urls else ""


_TEXT_LIMITS = {
    "nom": 200,
    "adresse": 300,
    "complement_adresse": 300,
    "horaires": 500,
    "presentation_resume": 280,
    "presentation_detail": 20000,
    "structure_parente": 200,
    "autres_formations_labels": 500,
    "fiche_acces_libre": 500,
    "prise_rdv": 500,
}

# column -> (Venue field, parser). `id` and the commune columns are resolved by the import.
COLUMN_PARSERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "id": ("external_id", _text(100)),
    "pivot": (
        "pivot",
        _pattern(_PIVOT, _("« %(value)s » : un SIRET (14 chiffres) ou un RNA attendu.")),
    ),
    "code_postal": (
        "postal_code",
        _pattern(_POSTAL_CODE, _("« %(value)s » : un code postal de 5 chiffres attendu.")),
    ),
    "code_insee": (
        "commune_insee",
        _pattern(_INSEE, _("« %(value)s » : un code INSEE de commune attendu (5 caractères).")),
    ),
    "commune": ("commune_name", _text(100)),
    "latitude": ("latitude", _parse_coordinate(90)),
    "longitude": ("longitude", _parse_coordinate(180)),
    "telephone": ("phone", _parse_phone),
    "courriels": ("emails", _parse_emails),
    "site_web": ("website", _parse_website),
    **{column: (field, _text(_TEXT_LIMITS[column])) for column, field in TEXT_COLUMNS.items()},
    **{
        column: (field, _vocabulary_parser(vocabulary))
        for column, (field, vocabulary) in LIST_COLUMNS.items()
    },
}


def standard_row_to_fields(row: Mapping[str, str]) -> dict[str, Any]:
    """{Venue field: value} for the standard columns present in `row` (others ignored:
    `source` and `date_maj` describe the file, not the venue). An `id` this module
    generated becomes `venue_pk`, not an `external_id`."""
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column, text in row.items():
        if column not in COLUMN_PARSERS:
            continue
        field, parse = COLUMN_PARSERS[column]
        try:
            fields[field] = parse(text if isinstance(text, str) else str(text or ""))
        except StandardValueError as exc:
            errors[column] = str(exc)
    if errors:
        raise StandardRowError(errors)
    pk = generated_id_pk(fields.get("external_id", ""))
    if pk is not None:
        del fields["external_id"]
        fields["venue_pk"] = pk
    return fields
