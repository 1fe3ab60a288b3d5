"""One record of the data·inclusion files (schema v1, package `data-inclusion-schema`) from
what `reads` loaded: dicts ready for JSON, keys in the schema's order, `None` for a field we
cannot fill. No personal data: a structure's contact is its venues' public contact, shown on
their public pages already.

- structure: a `learners.Structure` publishing something (an active venue or a public
  session); its address, hours and contact are those of its main venue.
- service `atelier`: one per (structure, atelier curriculum) with upcoming public sessions
  (`agenda.selectors.public_sessions`); `lien_mobilisation` is the atelier's public page,
  whose « Prochaines dates » lists its sessions with their sign-up links.
- service `accompagnement`: one per venue taking appointments (each has its own address,
  hours and request page, so one record per venue tells a social worker where to send
  someone); `lien_mobilisation` is the venue's appointment request page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from data_inclusion.schema import v1
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email
from opening_hours import OpeningHours

from agenda.opening_hours import ParserError
from learners.choices import StructureKind
from learners.models import Venue
from opendata.datainclusion.reads import AtelierOffer, Producer, StructureData
from opendata.datainclusion.thematiques import FUNDAMENTALS, ONLINE_SERVICES, thematiques_for
from workshops.choices import WorkshopLevel

NAME_MIN, NAME_MAX = 3, 150
POSTAL_CODE = re.compile(r"\d{5}")
SIRET = re.compile(r"\d{14}")
# The networks data·inclusion knows that a structure's kind tells.
NETWORKS: dict[str, str] = {
    StructureKind.COMMUNE: "communes",
    StructureKind.CCAS: "ccas-cias",
    StructureKind.FRANCE_SERVICES: "france-service",
}
# A structure employing counsellors belongs to the « Conseillers numériques » network.
COUNSELLORS_NETWORK = "conseillers-numeriques"
# Every service of Pas à pas is free (PRODUCT: permanences, ateliers, appointments).
FREE = "gratuit"
EVERYONE = ["tous-publics"]
BOTH_REFER = ["professionnels", "usagers"]


def _date(*moments: datetime.datetime | None) -> str:
    """The latest moment's date in UTC: never ahead of the date in France, so never « in
    the future » for a validator there."""
    latest = max(m for m in moments if m is not None)
    return latest.astimezone(datetime.UTC).date().isoformat()


def _name(text: str, *, fallback: str) -> str:
    """A name the schema accepts: 3 to 150 characters, no final full stop."""
    text = " ".join(text.split())
    if len(text) > NAME_MAX:
        text = text[: NAME_MAX - 1].rsplit(" ", 1)[0] + "…"
    if text.endswith(".") and not text.endswith("etc."):
        text = text.rstrip(". ")
    return text if len(text) >= NAME_MIN else _name(f"{fallback} {text}".strip(), fallback="")


def _phone(raw: str) -> str | None:
    """E.164 for a French 10-digit number (« 02 51 00 00 01 » → +33251000001), else as typed."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 10 and digits.startswith("0"):
        return "+33" + digits[1:]
    return raw.strip() or None


def _email(raw: str) -> str | None:
    try:
        return validate_email(raw, check_deliverability=False).normalized if raw else None
    except EmailNotValidError:
        return None


def _hours(raw: str) -> str | None:
    """The venue's hours if they are valid OpenStreetMap opening_hours."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        OpeningHours(raw)
    except (ParserError, ValueError):
        return None
    return raw


def _postal_code(venue: Venue) -> str | None:
    """The venue's, else its commune's when it has only one (a row imported without the
    model's checks is never trusted: five digits or nothing)."""
    codes = [venue.postal_code] if venue.postal_code else venue.commune.postal_code_list
    return codes[0] if len(codes) == 1 and POSTAL_CODE.fullmatch(codes[0]) else None


def _website(raw: str) -> str | None:
    """Web addresses only (the model also accepts ftp://, the schema does not)."""
    return raw if raw.startswith(("https://", "http://")) else None


def _address(venue: Venue | None) -> dict:
    if venue is None:
        return dict.fromkeys(
            (
                "commune",
                "code_postal",
                "code_insee",
                "adresse",
                "complement_adresse",
                "longitude",
                "latitude",
            ),
        )
    return {
        "commune": venue.commune.name,
        "code_postal": _postal_code(venue),
        "code_insee": venue.commune_id,
        "adresse": venue.address or None,
        "complement_adresse": None,
        "longitude": venue.longitude,
        "latitude": venue.latitude,
    }


def _first(values: Iterable[str]) -> str:
    """The first value that is not blank: the main venue's, else another venue's."""
    return next((v.strip() for v in values if v and v.strip()), "")


def _url(producer: Producer, name: str, pk: int) -> str:
    return producer.root_url + reverse(name, args=[pk])


def structure_id(producer: Producer, structure_pk: int) -> str:
    return f"{producer.source}--{structure_pk}"


def _networks(data: StructureData) -> list[str] | None:
    found = {NETWORKS[data.structure.kind]} if data.structure.kind in NETWORKS else set()
    if data.has_counsellors:
        found.add(COUNSELLORS_NETWORK)
    return sorted(found) or None


def _in_schema_order(record: dict, model: type[v1.Structure] | type[v1.Service]) -> dict:
    return {name: record[name] for name in model.model_fields if name in record}


def structure_record(data: StructureData, *, producer: Producer) -> dict:
    structure, main = data.structure, data.main_venue
    record = {
        "source": producer.source,
        "id": structure_id(producer, structure.pk),
        "nom": _name(structure.name, fallback=str(StructureKind(structure.kind).label)),
        "date_maj": _date(structure.created_at, *(v.updated_at for v in data.venues)),
        "description": None,
        "lien_source": _url(producer, "agenda:venue", main.pk) if main else None,
        "siret": structure.siret if SIRET.fullmatch(structure.siret) else None,
        **_address(main),
        "telephone": _phone(_first([main.phone if main else ""] + [v.phone for v in data.venues])),
        "courriel": _email(_first([main.email if main else ""] + [v.email for v in data.venues])),
        "site_web": _website(
            _first([main.website if main else ""] + [v.website for v in data.venues])
        ),
        "horaires_accueil": _hours(main.opening_hours) if main else None,
        "accessibilite_lieu": None,
        "reseaux_porteurs": _networks(data),
    }
    return _in_schema_order(record, v1.Structure)


def _zone(data: StructureData, venues: Iterable[Venue]) -> list[str] | None:
    """Where people come from: the communes of the venues and those the counsellors serve."""
    codes = {v.commune_id for v in venues} | {v.commune_id for v in data.venues}
    return sorted(codes | data.served_communes) or None


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _atelier_description(offer: AtelierOffer, venues: list[Venue]) -> str:
    atelier = offer.atelier
    parts = [" ".join(atelier.summary.split()) or atelier.title]
    parts.append(
        _("Niveau : %(level)s. Durée : %(duration)s. Gratuit, sur inscription.")
        % {
            "level": str(WorkshopLevel(atelier.level).label).lower(),
            "duration": _duration(atelier.duration_minutes),
        }
    )
    if venues:
        places = ", ".join(f"{v.name} ({v.commune.name})" for v in venues)
        parts.append(_("Lieux : %(places)s.") % {"places": places})
    return "\n\n".join(parts)


def _audiences(offer: AtelierOffer) -> str | None:
    names = [a.name for a in offer.atelier.audiences.all()]
    return _("Conçu pour : %(audiences)s.") % {"audiences": ", ".join(names)} if names else None


def _contact(venue: Venue | None) -> dict:
    return {
        "telephone": _phone(venue.phone) if venue else None,
        "courriel": _email(venue.email) if venue else None,
    }


def _modes(venue: Venue | None) -> list[str]:
    """Through the link, or by calling the venue when there is one with a phone."""
    return (
        ["telephoner", "utiliser-lien-mobilisation"]
        if venue and _phone(venue.phone)
        else ["utiliser-lien-mobilisation"]
    )


def _service(
    producer: Producer, data: StructureData, *, id: str, type: str, venue: Venue | None
) -> dict:
    """The fields every service shares: who, which type, where (one venue, or none when
    the service runs at several), free and open to everyone."""
    return {
        "source": producer.source,
        "structure_id": structure_id(producer, data.structure.pk),
        "id": f"{producer.source}--{id}",
        "type": type,
        "frais": FREE,
        "frais_precisions": None,
        "publics": EVERYONE,
        **_address(venue),
        **_contact(venue),
        "modes_accueil": ["en-presentiel"],
        "mobilisable_par": BOTH_REFER,
        "horaires_accueil": _hours(venue.opening_hours) if venue else None,
    }


def atelier_service_record(
    offer: AtelierOffer, data: StructureData, *, venues: dict[int, Venue], producer: Producer
) -> dict:
    atelier = offer.atelier
    at = [venues[pk] for pk in offer.venue_ids if pk in venues]
    link = atelier.get_full_url()
    themes = [(t.slug, t.parent.slug if t.parent_id else None) for t in atelier.themes.all()]
    record = _service(
        producer,
        data,
        id=f"atelier-{data.structure.pk}-{atelier.pk}",
        type="atelier",
        venue=at[0] if len(at) == 1 else None,
    )
    record |= {
        "nom": _name(atelier.title, fallback=_("Atelier")),
        "description": _atelier_description(offer, at),
        "lien_source": link,
        "date_maj": _date(
            atelier.last_published_at, offer.sessions_changed, *(v.updated_at for v in at)
        ),
        "thematiques": thematiques_for(themes),
        "publics_precisions": _audiences(offer),
        "conditions_acces": strip_tags(atelier.prerequisites).strip() or None,
        "zone_eligibilite": _zone(data, at),
        "lien_mobilisation": link,
        "modes_mobilisation": _modes(at[0] if len(at) == 1 else None),
        "mobilisation_precisions": _(
            "Inscription en ligne, sans compte, depuis la page de l'atelier (rubrique "
            "« Prochaines dates »), ou sur place auprès du lieu."
        ),
    }
    return _in_schema_order(record, v1.Service)


def appointment_service_record(venue: Venue, data: StructureData, *, producer: Producer) -> dict:
    record = _service(
        producer, data, id=f"rendez-vous-{venue.pk}", type="accompagnement", venue=venue
    )
    record |= {
        "nom": _name(
            _("Rendez-vous individuel : %(venue)s") % {"venue": venue.name},
            fallback=_("Rendez-vous"),
        ),
        "description": _(
            "Sur rendez-vous, un conseiller ou une conseillère numérique vous reçoit seul à "
            "seul, gratuitement, pour ce dont vous avez besoin : prendre en main votre "
            "téléphone ou votre ordinateur, vos e-mails, une démarche en ligne."
        ),
        "lien_source": _url(producer, "agenda:venue", venue.pk),
        "date_maj": _date(venue.updated_at),
        # One person, whatever they bring: the basics and online procedures.
        "thematiques": sorted([FUNDAMENTALS.value, ONLINE_SERVICES.value]),
        "publics_precisions": None,
        "conditions_acces": None,
        "zone_eligibilite": _zone(data, [venue]),
        "lien_mobilisation": _url(producer, "agenda:appointment_request", venue.pk),
        "modes_mobilisation": _modes(venue),
        "mobilisation_precisions": _(
            "Demande de rendez-vous en ligne, sans compte : un conseiller ou une conseillère "
            "rappelle la personne ou lui écrit pour fixer le jour et l'heure."
        ),
    }
    return _in_schema_order(record, v1.Service)
