"""What makes a request or a response personal, for every cache (the page cache,
caching/pages.py; the shared caches in front of the site, caching/front.py).

A request is personal when it carries one of `PERSONAL_COOKIES` (the session, the flash
messages, the carnet's cookies: its answer may show that person's data) or asks for a path
under `FRONT_CACHE_PRIVATE_PATHS` (the admin, the carnet, the sign-up links). A response is
personal when it sets a cookie or holds a CSRF token (a form for this visitor only).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def personal_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, *settings.PERSONAL_COOKIES)


def request_has_personal_cookie(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in personal_cookies())


def path_is_private(path: str) -> bool:
    return path.startswith(tuple(settings.FRONT_CACHE_PRIVATE_PATHS))


def request_is_personal(request: HttpRequest) -> bool:
    return request_has_personal_cookie(request) or path_is_private(request.path)


def response_is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    # A logged-in user always sends a session cookie (or gets one with this response).
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_USED"))
