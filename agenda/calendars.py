"""Calendar files (RFC 5545, with the `icalendar` library): one session (« ajouter à mon
agenda ») and the feeds of a venue or a structure that a mairie's website or a phone can
subscribe to.

What a feed holds is public: title, kind, times, the venue and its address, the session's
page, cancellation. Never a sign-up or a person. Times are written in UTC (every calendar
converts them to its own time zone; no VTIMEZONE to get wrong). Each session keeps one
UID (`seance-<id>@<host>`) and carries its last modification, so a subscribed calendar
updates the event in place, and a cancelled session stays in the feed as
`STATUS:CANCELLED` until it leaves the window.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from learners.models import Session

PRODID = "-//Pas à pas//Près de chez vous//FR"
REFRESH_INTERVAL = "PT6H"


def session_location(session: Session) -> str:
    """ "Espace numérique, 12 rue de la Simbrandière, 85000 La Roche-sur-Yon"."""
    venue = session.venue
    if venue is None:
        return ""
    town = " ".join(part for part in (venue.postal_code, venue.commune.name) if part)
    return ", ".join(part for part in (venue.name, venue.address, town) if part)


def _description(session: Session) -> str:
    lines = [str(session.get_kind_display())]
    if session.is_cancelled:
        lines.insert(0, _("Séance annulée."))
        if session.cancellation_reason:
            lines.insert(1, session.cancellation_reason)
    if session.what_to_bring:
        lines.append(_("À apporter : %(what)s") % {"what": session.what_to_bring})
    if session.accessibility_note:
        lines.append(_("Accessibilité : %(note)s") % {"note": session.accessibility_note})
    return "\n".join(lines)


def session_event(session: Session, *, url: str, host: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"seance-{session.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.start.astimezone(datetime.UTC))
    event.add("dtend", session.end.astimezone(datetime.UTC))
    summary = session.display_title
    if session.is_cancelled:
        summary = _("Annulé : %(title)s") % {"title": summary}
    event.add("summary", summary)
    event.add("description", _description(session))
    location = session_location(session)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    if session.updated_at:
        event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    return event


def calendar_build(
    *,
    sessions: Iterable[Session],
    name: str,
    host: str,
    session_url: Callable[[Session], str],
) -> bytes:
    """The calendar of `sessions` as bytes (UTF-8, CRLF lines)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-published-ttl", REFRESH_INTERVAL)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for session in sessions:
        calendar.add_component(
            session_event(session, url=session_url(session), host=host, stamp=stamp)
        )
    return calendar.to_ical()
