"""Sections that another app adds to atelier pages, without `workshops` importing it.

An atelier page shows its curriculum (this app); the public agenda adds the atelier's
upcoming sessions, a `learners` concern. `learners` may import `workshops`, never the
reverse, so the higher layer registers a section here (from its AppConfig.ready, or the
site layer's) and the atelier template renders every registered section after the
article (`{% atelier_sections %}`, workshops_tags), in `order`, then by name.

A section returns a template name and its context, or None to show nothing. What it shows
is kept in the render cache (caching/fragments.py) under the page's state, the site and
the versions of its `scopes`: a section showing sessions declares the `agenda` scope and
whatever changes sessions bumps it (`caching.versions.bump_now_and_on_commit("agenda")`),
which also refreshes the cached pages that showed it. So a section must show the same to
every visitor (no form, no personal data).

The public agenda registers « Prochaines dates » (agenda/sections.py, from
`AgendaConfig.ready`; README « Caching » says how).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from caching import fragments
from caching.versions import PUBLICATION

SectionRender = Callable[..., tuple[str, dict[str, Any]] | None]


@dataclass(frozen=True)
class PageSection:
    name: str
    # render(page=..., request=...) -> (template name, context) or None
    render: SectionRender
    scopes: tuple[str, ...] = (PUBLICATION,)
    order: int = 0


_sections: dict[str, PageSection] = {}


def page_section_register(section: PageSection) -> None:
    """Adds (or replaces, by name) a section of every atelier page."""
    _sections[section.name] = section


def page_section_unregister(name: str) -> None:
    _sections.pop(name, None)


def _render_one(section: PageSection, *, page, request: HttpRequest | None) -> str:
    found = section.render(page=page, request=request)
    if found is None:
        return ""
    template_name, context = found
    return render_to_string(template_name, {"page": page, **context}, request=request)


def page_sections_render(*, page, request: HttpRequest | None) -> SafeString:
    """The registered sections of the atelier `page`, rendered (or from the render cache)."""
    if not _sections:
        return mark_safe("")  # noqa: S308 - an empty string
    parts = [
        fragments.fragment_render(
            name=f"atelier-section:{section.name}",
            page=page,
            request=request,
            render=lambda section=section: _render_one(section, page=page, request=request),
            scopes=section.scopes,
        )
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.name))
    ]
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped there
