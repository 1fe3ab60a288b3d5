"""Type aliases shared by both apps' services and selectors (checked by mypy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Who a service or selector acts for: `request.user` (possibly anonymous), or a user a
# task or command loaded. A string, so that importing it needs no configured Django.
AnyUser: TypeAlias = "User | AnonymousUser"
