"""What the « Données ouvertes » page lists: each published file with its format, schema,
licence, last update, number of records and stable address. Computed from the same reads
as the files themselves (one read of the network for both data·inclusion files, the venue
files' own rows for the venues)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from common.french_text import french_day_number, french_plural
from learners.selectors.venues_standard import open_venues_summary
from opendata.datainclusion import Producer, datainclusion_files, producer_read

LICENCE = "Licence Ouverte Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
VENUES_SCHEMA_URL = "https://github.com/LaMednum/standard-mediation-num"
VENUES_SCHEMA_VERSION = "1.0.2"
DATAINCLUSION_SCHEMA_URL = "https://github.com/gip-inclusion/data-inclusion-schema"
API_DOCS_PATH = "/api/v1/docs"


@dataclass(frozen=True)
class PublishedFile:
    title: str
    about: str
    format: str
    schema: str
    schema_url: str
    url: str  # absolute, from the default site: the address to harvest
    path: str  # the same on this host, for the download link
    count: str
    updated: str  # « 6 décembre 2026 », or empty when the file is empty


@dataclass(frozen=True)
class Catalogue:
    files: list[PublishedFile]
    api_docs_url: str
    licence: str = LICENCE
    licence_url: str = LICENCE_URL


def _day(value: datetime.date | None) -> str:
    if value is None:
        return ""
    with translation.override("fr"):
        month = formats.date_format(value, "F")
    return f"{french_day_number(value.day)} {month} {value.year}"


def _latest(records: list[dict]) -> datetime.date | None:
    dates = [r["date_maj"] for r in records]
    return datetime.date.fromisoformat(max(dates)) if dates else None


def _schema_version() -> str:
    try:
        return version("data-inclusion-schema")
    except PackageNotFoundError:  # pragma: no cover - a pinned dependency
        return "1"


def _venue_files(producer: Producer) -> list[PublishedFile]:
    summary = open_venues_summary()
    count = french_plural(summary.count, _("%(n)d lieu"), _("%(n)d lieux"))
    updated = _day(summary.updated)
    schema = _("Lieux de médiation numérique, version %(version)s") % {
        "version": VENUES_SCHEMA_VERSION
    }
    about = _("Les lieux du réseau, pour la carte nationale des lieux de médiation numérique.")
    return [
        PublishedFile(
            title=_("Lieux de médiation numérique (%(format)s)") % {"format": fmt},
            about=about,
            format=fmt,
            schema=schema,
            schema_url=VENUES_SCHEMA_URL,
            url=producer.root_url + reverse(name),
            path=reverse(name),
            count=count,
            updated=updated,
        )
        for fmt, name in (("CSV", "opendata:venues_csv"), ("JSON", "opendata:venues_json"))
    ]


def _datainclusion_files(producer: Producer) -> list[PublishedFile]:
    files = datainclusion_files(producer=producer)
    schema = _("data·inclusion, version %(version)s") % {"version": _schema_version()}
    structures, services = files.structures, files.services
    return [
        PublishedFile(
            title=_("Structures (data·inclusion)"),
            about=_(
                "Les structures du réseau qui accueillent du public : nom, SIRET, adresse, "
                "horaires, contact."
            ),
            format="JSON",
            schema=schema,
            schema_url=DATAINCLUSION_SCHEMA_URL,
            url=producer.root_url + reverse("opendata:datainclusion_structures"),
            path=reverse("opendata:datainclusion_structures"),
            count=french_plural(len(structures), _("%(n)d structure"), _("%(n)d structures")),
            updated=_day(_latest(structures)),
        ),
        PublishedFile(
            title=_("Services (data·inclusion)"),
            about=_(
                "Les ateliers qui ont des dates à venir et les rendez-vous individuels, pour "
                "que les travailleurs sociaux puissent y orienter les personnes."
            ),
            format="JSON",
            schema=schema,
            schema_url=DATAINCLUSION_SCHEMA_URL,
            url=producer.root_url + reverse("opendata:datainclusion_services"),
            path=reverse("opendata:datainclusion_services"),
            count=french_plural(len(services), _("%(n)d service"), _("%(n)d services")),
            updated=_day(_latest(services)),
        ),
    ]


def catalogue_read() -> Catalogue:
    producer = producer_read()
    return Catalogue(
        files=[*_venue_files(producer), *_datainclusion_files(producer)],
        api_docs_url=producer.root_url + API_DOCS_PATH,
    )
