"""The Wagtail admin's sidebar, kept per user for a few minutes.

Wagtail builds the sidebar (main menu, search area, account menu) from scratch on every
admin page: about 12 ms of CPU on this machine, a tenth of a counsellor's dashboard.
What it shows depends on the user's permissions only, so its HTML is kept in this
process for `ADMIN_SIDEBAR_SECONDS`, keyed by the user, their roles (groups, superuser,
structure manager) and the language: a change of role shows on the next page, a change
of a group's permissions within those minutes. The sidebar only shows links: every view
checks permissions itself.

Installed by replacing Wagtail's `{% sidebar_props %}` tag (HomeConfig.ready), which keeps
Wagtail's templates untouched. 0 turns the memo off.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.translation import get_language

from learners.roles import user_roles

_MAX_ENTRIES = 1000
_memo: dict[tuple, tuple[float, str]] = {}


def _seconds() -> int:
    return int(getattr(settings, "ADMIN_SIDEBAR_SECONDS", 0) or 0)


def install() -> None:
    from wagtail.admin.templatetags import wagtailadmin_tags

    build = wagtailadmin_tags.sidebar_props

    def sidebar_props(context):
        request = context["request"]
        user = getattr(request, "user", None)
        seconds = _seconds()
        if seconds <= 0 or user is None or not user.is_authenticated:
            return build(context)
        # The roles are read once per request anyway (no query here).
        roles = user_roles(user)
        counsellor = roles.counsellor
        key = (
            user.pk,
            user.is_superuser,
            get_language(),
            roles.groups,
            counsellor and (counsellor.pk, counsellor.is_structure_manager),
        )
        now = time.monotonic()
        hit = _memo.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        html = build(context)
        if len(_memo) >= _MAX_ENTRIES:
            _memo.clear()
        _memo[key] = (now + seconds, html)
        return html

    wagtailadmin_tags.register.simple_tag(sidebar_props, takes_context=True)


def forget() -> None:
    """Empties the memo (tests)."""
    _memo.clear()
