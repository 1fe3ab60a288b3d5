"""« Prochaines dates » on each atelier curriculum page: its next published sessions with
their places, registered as an atelier page section (workshops/page_sections.py) from
`AgendaConfig.ready`. The same for every visitor; kept in the render cache under the
`agenda` scope, which sign-ups, cancellations, session changes and the agenda clock bump
(README « Caching »)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from agenda.selectors import atelier_upcoming
from caching.versions import AGENDA, PUBLICATION
from workshops.page_sections import PageSection

SECTION_NAME = "agenda-next-dates"


def atelier_dates_render(*, page: Any, request: HttpRequest | None) -> tuple[str, dict] | None:
    if page is None or getattr(page, "pk", None) is None:
        return None
    return "agenda/includes/atelier_dates.html", {"items": atelier_upcoming(atelier_id=page.pk)}


ATELIER_DATES = PageSection(
    name=SECTION_NAME, render=atelier_dates_render, scopes=(PUBLICATION, AGENDA)
)
