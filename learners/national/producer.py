"""Who publishes the open data files: the setting `OPEN_DATA_PRODUCER`, the one source of
the venue files' `source` column and file names and of data·inclusion's `source` id."""

from __future__ import annotations

from django.conf import settings
from django.utils.text import slugify

DEFAULT_PRODUCER = "Pas à pas"


def producer() -> str:
    """The producer's name, as the venues standard's `source` column gives it."""
    return str(getattr(settings, "OPEN_DATA_PRODUCER", "") or DEFAULT_PRODUCER)


def producer_slug() -> str:
    """The producer as an identifier (data·inclusion's `source`, file names):
    « Pas à pas » -> « pas-a-pas »."""
    return slugify(producer()) or slugify(DEFAULT_PRODUCER)
