"""Validation of venue files against the vendored schema with frictionless (the Table
Schema's own validator), and a few communes of Vendée with their real INSEE codes."""

from __future__ import annotations

import json

from frictionless import Resource, Schema

from learners.national.lieux import SCHEMA_PATH
from tests.factories.learners import CommuneFactory

COMMUNES = {
    "85191": ("La Roche-sur-Yon", "85000", 46.66594, -1.4162),
    "85194": ("Les Sables-d'Olonne", "85100 85180 85340", 46.52647, -1.76117),
    "85092": ("Fontenay-le-Comte", "85200", 46.45865, -0.78873),
    "85109": ("Les Herbiers", "85500", 46.8644, -1.02864),
    "85118": ("Landeronde", "85150", 46.65261, -1.57056),
    "51454": ("Reims", "51100", 49.25354, 4.05511),
}


def communes() -> dict:
    return {
        code: CommuneFactory(
            insee_code=code,
            name=name,
            postal_codes=postal,
            latitude=lat,
            longitude=lon,
            department_code=code[:2],
        )
        for code, (name, postal, lat, lon) in COMMUNES.items()
    }


def schema() -> Schema:
    return Schema.from_descriptor(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def errors_of(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def csv_errors(content: bytes, tmp_path, *, name: str = "lieux.csv") -> list:
    """The schema's complaints about a CSV file ([] when it validates)."""
    (tmp_path / name).write_bytes(content)
    resource = Resource(path=name, basepath=str(tmp_path), schema=schema())
    return errors_of(resource.validate())


def records_errors(records: list[dict]) -> list:
    """The schema's complaints about JSON records ([] when they validate)."""
    return errors_of(Resource(data=records, schema=schema()).validate())
