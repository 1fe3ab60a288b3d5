"""The Wagtail admin's sidebar, kept per user for a few minutes.

Wagtail builds the sidebar (main menu, search area, account menu) from scratch on every
admin page: about 12 ms of CPU on this machine, a tenth of a counsellor's dashboard.
What it shows depends on the user's permissions only, so its HTML is kept in this
process for `ADMIN_SIDEBAR_SECONDS`, keyed by the user, the language and what the site
layer says decides the menu (`vary_on(user)`: their roles, groups, structure manager):
a change of role shows on the next page, a change of a group's permissions within those
minutes. The sidebar only shows links: every view checks permissions itself.

Installed by replacing Wagtail's `{% sidebar_props %}` tag (HomeConfig.ready, through
common/wagtail_internals.py), which keeps Wagtail's templates untouched. 0 turns the memo
off.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import get_language

from common import wagtail_internals

if TYPE_CHECKING:
    from django.template import Context

MAX_ENTRIES = 1000
_memo: dict[tuple, tuple[float, str]] = {}


def _seconds() -> int:
    return int(getattr(settings, "ADMIN_SIDEBAR_SECONDS", 0) or 0)


def install(*, vary_on: Callable[[Any], Hashable]) -> None:
    """Replaces `{% sidebar_props %}` by its memo; `vary_on(user)` returns what, besides
    the user and the language, decides their menu (it must run no query)."""
    build = wagtail_internals.sidebar_props_tag()

    def sidebar_props(context: Context) -> str:
        request = context["request"]
        user = getattr(request, "user", None)
        seconds = _seconds()
        if seconds <= 0 or user is None or not user.is_authenticated:
            return build(context)
        key = (user.pk, user.is_superuser, get_language(), vary_on(user))
        now = time.monotonic()
        hit = _memo.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        html = build(context)
        if len(_memo) >= MAX_ENTRIES:
            _memo.clear()
        _memo[key] = (now + seconds, html)
        return html

    wagtail_internals.sidebar_props_replace(sidebar_props)


def forget() -> None:
    """Empties the memo (tests)."""
    _memo.clear()
