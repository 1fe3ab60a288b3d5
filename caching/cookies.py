"""The CSRF cookie sent back only to the pages whose forms need it.

Django sets one path for it (CSRF_COOKIE_PATH, "/"): a reader who opened a sign-up form
would then send it with every guide, and the reverse proxy, which bypasses its cache for
requests holding it (deploy/nginx/pasapas.conf), would wake the app for each of them. The
cookie's path is therefore narrowed, when it is set, to the part of the site the page
belongs to (CSRF_COOKIE_SCOPES: the admin, the carnet, a session's sign-up page, a sign-up
link, a venue's appointment form); each form posts within it. A page matching no pattern
keeps CSRF_COOKIE_PATH (for instance Wagtail's page password form).

Place it just before django.middleware.csrf.CsrfViewMiddleware (it then sees the cookie
that middleware sets). Secure, HttpOnly and SameSite are left as the settings make them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@functools.cache
def _patterns(scopes: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(scope) for scope in scopes)


def cookie_path(path: str) -> str:
    """The CSRF cookie's path for a page at `path`."""
    for pattern in _patterns(tuple(settings.CSRF_COOKIE_SCOPES)):
        match = pattern.match(path)
        if match:
            return match.group(0)
    return settings.CSRF_COOKIE_PATH


class CsrfCookieScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        morsel = response.cookies.get(settings.CSRF_COOKIE_NAME)
        if morsel is not None and morsel["path"] == settings.CSRF_COOKIE_PATH:
            morsel["path"] = cookie_path(request.path)
        return response
