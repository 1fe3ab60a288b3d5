"""The agenda's clock: lists of « upcoming » sessions change when a session starts, even
if nothing was written. Every cached thing showing sessions (anonymous pages, the atelier
pages' « Prochaines dates », calendar files) is kept under the `agenda` scope's version;
`agenda_clock_tick`, run every minute by beat (`agenda.clock_tick`), bumps that version
when a published session started since the previous tick, or the day changed (« cette
semaine », « ce mois-ci »). So a started session leaves every list within a minute, and
the cached pages are otherwise kept as long as nothing changes. One indexed query a minute.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

from caching import versions
from learners.models import Session

LAST_TICK_KEY = "agenda:clock:last-tick"


def _last_tick() -> datetime.datetime | None:
    value = cache.get(LAST_TICK_KEY)
    if not isinstance(value, (int, float)):
        return None
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)


def agenda_clock_tick(*, now: datetime.datetime | None = None) -> bool:
    """Bumps the agenda's version when a published session started since the last tick, or
    the local day changed, or there was no previous tick. Returns whether it bumped."""
    now = now or timezone.now()
    last = _last_tick()
    cache.set(LAST_TICK_KEY, now.timestamp(), timeout=None)
    if last is None or timezone.localdate(last) != timezone.localdate(now):
        versions.bump(versions.AGENDA)
        return True
    if last >= now:
        return False
    started = Session.objects.filter(is_published=True, start__gt=last, start__lte=now).exists()
    if started:
        versions.bump(versions.AGENDA)
    return started
