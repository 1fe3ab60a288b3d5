"""Helpers shared by the services: permission refusals and field updates."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def refuse(message: str | None = None) -> NoReturn:
    raise PermissionDenied(message or _("Vous n'avez pas accès à cette fiche."))


def reject_unknown(data: dict, allowed: frozenset[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(
            _("Champs non modifiables : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


def apply_data(instance: Any, data: dict, allowed: frozenset[str]) -> list[str]:
    """Set the allowed fields of `data` on `instance`; returns the names that changed."""
    reject_unknown(data, allowed)
    changed = []
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed
