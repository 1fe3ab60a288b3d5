"""The « À propos de cette fiche » of a guide (its competences, themes, audiences and the
live public ateliers that point to it) in one SQL statement.

Through the ORM these were four queries, and on a cold render each cost about 1 ms of
Python (building and compiling the query, then the model instances) for a few
microseconds of database work. Here one `UNION ALL`, written once per process from the
models' own table and column names, brings every row; the instances are built with only
the fields the page shows loaded (any other field is deferred, so reading it still works:
Django loads it). Orders are the ORM's: each model's `Meta.ordering` (a competence by its
framework's name, its order, its code; themes and audiences by order then name) and the
ateliers by title. tests/workshops/test_guide_about.py compares the result with the ORM's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.base import DEFERRED

from caching import routing
from workshops.models import AtelierPage, Audience, Competence, GuidePage, Theme

_COMPETENCE, _THEME, _AUDIENCE, _ATELIER = range(4)


@dataclass
class GuideAbout:
    competences: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    ateliers: list = field(default_factory=list)


def _m2m(model: type[Model], name: str) -> tuple[str, str, str]:
    """The through table of `model.name` and its columns to `model` and to the target."""
    m2m = model._meta.get_field(name)
    table = m2m.remote_field.through._meta.db_table  # type: ignore[union-attr]
    return table, m2m.m2m_column_name(), m2m.m2m_reverse_name()  # type: ignore[union-attr]


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@cache
def _sql() -> str:
    """Columns: kind, id, a, b, c, ref, then the sort keys s1 (text), s2 (number), s3."""
    q = connection.ops.quote_name

    def part(select: str, model: type[Model], name: str, joins: str = "", where: str = "") -> str:
        """Rows of `model` related to the guide by the relation `name` (the guide's, or the
        atelier's `related_guides`)."""
        if name == "related_guides":  # the atelier holds the relation to the guide
            table, to_row, to_guide = _m2m(AtelierPage, name)
        else:
            table, to_guide, to_row = _m2m(GuidePage, name)
        row_table = q(model._meta.db_table)
        # Identifiers from the models' metadata, quoted; values are parameters.
        return (
            f"SELECT {select} FROM {row_table} INNER JOIN {q(table)} r "  # noqa: S608
            f"ON r.{q(to_row)} = {row_table}.{q(model._meta.pk.column)} {joins}"
            f"WHERE r.{q(to_guide)} = %s{where}"
        )

    c, t, a = (q(m._meta.db_table) for m in (Competence, Theme, Audience))
    framework = Competence._meta.get_field("framework").related_model._meta  # type: ignore[union-attr]
    page = AtelierPage._meta.get_field("page_ptr").related_model  # type: ignore[union-attr]
    p = q(page._meta.db_table)  # type: ignore[union-attr]
    competences = part(
        f"{_COMPETENCE}, {c}.{_column(Competence, 'id')}, {c}.{_column(Competence, 'code')}, "
        f"{c}.{_column(Competence, 'name')}, {c}.{_column(Competence, 'can_do')}, "
        f"CAST(NULL AS INTEGER), f.{q(framework.get_field('name').column)}, "
        f"{c}.{_column(Competence, 'sort_order')}, {c}.{_column(Competence, 'code')}",
        Competence,
        "competences",
        f"INNER JOIN {q(framework.db_table)} f ON f.{q(framework.pk.column)} = "
        f"{c}.{_column(Competence, 'framework')} ",
    )
    themes = part(
        f"{_THEME}, {t}.{_column(Theme, 'id')}, {t}.{_column(Theme, 'slug')}, "
        f"{t}.{_column(Theme, 'name')}, parent.{_column(Theme, 'name')}, "
        f"{t}.{_column(Theme, 'parent')}, '', {t}.{_column(Theme, 'sort_order')}, "
        f"{t}.{_column(Theme, 'name')}",
        Theme,
        "themes",
        f"LEFT OUTER JOIN {t} parent ON parent.{_column(Theme, 'id')} = "
        f"{t}.{_column(Theme, 'parent')} ",
    )
    audiences = part(
        f"{_AUDIENCE}, {a}.{_column(Audience, 'id')}, {a}.{_column(Audience, 'slug')}, "
        f"{a}.{_column(Audience, 'name')}, NULL, NULL, '', "
        f"{a}.{_column(Audience, 'sort_order')}, {a}.{_column(Audience, 'name')}",
        Audience,
        "audiences",
    )
    ateliers = part(
        f"{_ATELIER}, {p}.{_column(page, 'id')}, {p}.{_column(page, 'url_path')}, "
        f"{p}.{_column(page, 'title')}, {p}.{_column(page, 'path')}, "
        f"{p}.{_column(page, 'depth')}, '', 0, {p}.{_column(page, 'title')}",
        page,
        "related_guides",
        where=f" AND {p}.{_column(page, 'live')} = %s",
    )
    return (
        f"{competences} UNION ALL {themes} UNION ALL {audiences} UNION ALL {ateliers} "
        "ORDER BY 1, 7, 8, 9"
    )


def _loaded(model: type[Model], values: dict[str, Any]) -> Any:
    """An instance as the ORM loads it with `.only(*values)`: the rest deferred."""
    row = [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields]
    return model.from_db(connection.alias, list(values), row)


def _guide_about_orm(guide: GuidePage, restricted: tuple[str, ...]) -> GuideAbout:
    """The same through the ORM, which reads a page's relations held in memory (a preview
    of a draft, an unsaved page): modelcluster keeps them on the instance."""
    ateliers = AtelierPage.objects.live().filter(related_guides=guide)
    for path in restricted:
        ateliers = ateliers.exclude(path__startswith=path)
    return GuideAbout(
        competences=list(guide.competences.select_related("framework")),
        themes=list(guide.themes.select_related("parent")),
        audiences=list(guide.audiences.all()),
        ateliers=list(ateliers.defer_streamfields().defer("facilitator_notes").order_by("title")),
    )


def guide_about(*, guide: GuidePage) -> GuideAbout:
    """The guide's competences, themes (with their parent, for their name), audiences and
    live public ateliers pointing to it, in one query (the ORM's four for a page whose
    relations are held in memory: previews)."""
    restricted = routing.restricted_paths()
    if guide.pk is None or getattr(guide, "_cluster_related_objects", None):
        return _guide_about_orm(guide, restricted)
    about = GuideAbout()
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [guide.pk, guide.pk, guide.pk, guide.pk, True])
        rows = cursor.fetchall()
    for kind, pk, a, b, c, ref, *_sort in rows:
        if kind == _COMPETENCE:
            values = {"id": pk, "code": a, "name": b, "can_do": c}
            about.competences.append(_loaded(Competence, values))
        elif kind == _THEME:
            theme = _loaded(Theme, {"id": pk, "slug": a, "name": b, "parent_id": ref})
            if ref is not None:
                theme.parent = _loaded(Theme, {"id": ref, "name": c})
            about.themes.append(theme)
        elif kind == _AUDIENCE:
            about.audiences.append(_loaded(Audience, {"id": pk, "slug": a, "name": b}))
        elif not any(c.startswith(path) for path in restricted):
            values = {"id": pk, "url_path": a, "title": b, "path": c, "depth": ref}
            about.ateliers.append(_loaded(AtelierPage, {**values, "page_ptr_id": pk}))
    return about
