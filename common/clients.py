"""Who is asking: the client's address behind the local reverse proxy, for rate limits.

Shared by the public endpoints that rate-limit anonymous visitors (guide feedback, the
carnet de progression). The address is only ever used to build a keyed hash for a cache
counter; it is never stored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address.

    Behind the reverse proxy (README: gunicorn on 127.0.0.1), REMOTE_ADDR is the proxy: the
    last X-Forwarded-For entry is the one the proxy appended, i.e. the real client (earlier
    entries are whatever the client sent, so they are never trusted). The header is only
    read when the request comes from a private address (the local proxy): a client talking
    to gunicorn directly cannot pick its own address. A deployment can name another header
    with the CLIENT_IP_HEADER setting (e.g. "HTTP_X_REAL_IP").
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    try:
        from_local_proxy = ipaddress.ip_address(remote).is_private
    except ValueError:
        from_local_proxy = False
    if forwarded and from_local_proxy:
        return forwarded.split(",")[-1].strip()
    return remote
