"""Loading the national list of communes shipped in `learners/data/`."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from common.text import fold

if TYPE_CHECKING:
    from learners.models import Commune

COMMUNES_FILE = Path(__file__).resolve().parent.parent / "data" / "communes-2024.csv.gz"
BATCH_SIZE = 2000
FIELDS = (
    "name",
    "normalized_name",
    "department_code",
    "region_code",
    "postal_codes",
    "type",
    "parent_insee_code",
    "latitude",
    "longitude",
    "population",
    "delegated_names",
)


@dataclass(frozen=True)
class CommuneLoadResult:
    created: int
    updated: int
    unchanged: int


def _float(value: str) -> float | None:
    return float(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value else None


def communes_read(path: Path | str = COMMUNES_FILE) -> list[dict]:
    """Rows of the communes file (gzip or plain CSV) as field dicts; codes stay text."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        rows = []
        for row in csv.DictReader(text):
            rows.append(
                {
                    "insee_code": row["insee_code"].strip(),
                    "name": row["name"].strip(),
                    "normalized_name": fold(row["name"]),
                    "department_code": row["department_code"].strip(),
                    "region_code": row["region_code"].strip(),
                    "postal_codes": row["postal_codes"].strip(),
                    "type": row["type"].strip(),
                    "parent_insee_code": row["parent_insee_code"].strip(),
                    "latitude": _float(row["latitude"]),
                    "longitude": _float(row["longitude"]),
                    "population": _int(row["population"]),
                    "delegated_names": row["delegated_names"].strip(),
                }
            )
    return rows


def communes_load(
    *, path: Path | str = COMMUNES_FILE, model: type[Commune] | None = None
) -> CommuneLoadResult:
    """Create or update every commune of the file; idempotent (a second run changes nothing).

    Works with bulk operations (a few seconds for the 35,000 communes). `model` lets a data
    migration pass its historical `Commune` model. Communes absent from the file are kept
    (people may still point at them).
    """
    if model is None:
        from learners.models import Commune

        model = Commune
    rows = communes_read(path)
    existing = {c.insee_code: c for c in model.objects.all()}
    to_create, to_update, unchanged = [], [], 0
    for row in rows:
        current = existing.get(row["insee_code"])
        if current is None:
            to_create.append(model(**row))
            continue
        changed = False
        for field in FIELDS:
            if getattr(current, field) != row[field]:
                setattr(current, field, row[field])
                changed = True
        if changed:
            to_update.append(current)
        else:
            unchanged += 1
    with transaction.atomic():
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            model.objects.bulk_update(to_update, FIELDS, batch_size=BATCH_SIZE)
    return CommuneLoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)
