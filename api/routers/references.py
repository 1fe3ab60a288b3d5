"""Small shared attribute schemas: a theme or an audience, a competence."""

from __future__ import annotations

from collections.abc import Iterable

from ninja import Schema


class Reference(Schema):
    slug: str
    nom: str


def references(items: Iterable) -> list[dict]:
    return [{"slug": item.slug, "nom": item.name} for item in items]


def competences(items: Iterable) -> list[dict]:
    return [
        {"code": item.code, "nom": item.name, "referentiel": item.framework.slug} for item in items
    ]
