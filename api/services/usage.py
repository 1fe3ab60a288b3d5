"""What every keyed call costs: its rate limit, its `last_used_at`, its audit line.

The rate is counted per client in the default cache (Redis in production, shared by every
process) over fixed one-minute windows, in one round trip (INCR and EXPIRE NX in a
pipeline, as `agenda.limits` counts the sign-ups). Calls without a usable key (open lists,
refused keys) are counted the same way per client address (`common.clients.client_ip`, the
real address behind the proxy). `last_used_at` is written at most once
per `LAST_USED_PRECISION`, not on every call: the admin list needs the day, not the second.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from api.errors import too_many_requests, too_many_requests_from_address
from api.models import ApiClient
from caching.redis import counters_incr
from common.clients import client_ip
from learners.services.audit import audit_log_record_api_call

WINDOW = 60  # seconds: `requests_per_minute`
EXPIRY_MARGIN = 5  # seconds a counter outlives its window
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def _count(key: str, now: float) -> int:
    """Adds this call to the client's counter of the current minute; its new value."""
    window = int(now) // WINDOW
    return counters_incr([(f"api-rate:{key}:{window}", WINDOW + EXPIRY_MARGIN)])[0]


def api_call_count(*, client: ApiClient, now: float | None = None) -> None:
    """Counts the call; raises the 429 error (with the seconds to wait) over the rate."""
    now = time.time() if now is None else now
    if _count(client.client_id, now) > client.requests_per_minute:
        retry_after = WINDOW - int(now) % WINDOW
        raise too_many_requests(client.requests_per_minute, retry_after)


# Calls without a usable key, per client address and minute (settings override them):
# open lists, and refused keys (a flood of wrong keys costs a database lookup each).
OPEN_PER_ADDRESS = 300
REFUSED_PER_ADDRESS = 30


def _per_address(request: HttpRequest, counter: str, limit: int, now: float | None) -> None:
    """Counts this call for the client's address (one Redis round trip); raises the 429
    error over `limit`."""
    now = time.time() if now is None else now
    if _count(f"{counter}:{client_ip(request)}", now) > limit:
        raise too_many_requests_from_address(limit, WINDOW - int(now) % WINDOW)


def api_open_call_count(*, request: HttpRequest, now: float | None = None) -> None:
    """A call to an open list, counted per address (`API_OPEN_RATE_PER_ADDRESS`)."""
    limit = getattr(settings, "API_OPEN_RATE_PER_ADDRESS", OPEN_PER_ADDRESS)
    _per_address(request, "open", limit, now)


def api_refused_key_count(*, request: HttpRequest, now: float | None = None) -> None:
    """A call refused for its key (absent, wrong, expired, revoked), counted per address
    (`API_REFUSED_RATE_PER_ADDRESS`): past the limit the answer is 429, not 401. Calls
    with a usable key only count against their client's own rate."""
    limit = getattr(settings, "API_REFUSED_RATE_PER_ADDRESS", REFUSED_PER_ADDRESS)
    _per_address(request, "refused", limit, now)


def api_client_mark_used(*, client: ApiClient, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    last = client.last_used_at
    if last is not None and now - last < LAST_USED_PRECISION:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now


def api_call_record(*, client: ApiClient, method: str, path: str, query: str) -> None:
    """The audit line of a served call, and the client's last use."""
    detail = f"{method} {path}" + (f"?{query}" if query else "")
    audit_log_record_api_call(
        client_name=client.name, structure_id=client.structure_id, detail=detail
    )
    api_client_mark_used(client=client)
