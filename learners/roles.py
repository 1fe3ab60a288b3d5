"""Who may see what in the tracking app, from the role groups of `workshops.roles`.

- Coordinator: member of the "Coordinateurs" group, or a superuser. Sees every person and
  session of the network.
- Counsellor: member of the "Conseillers" group AND holder of a `Counsellor` profile. Sees
  the people and sessions of the profile's structure (see `learners.selectors.scoping`).
- Partner editor, or anyone else (anonymous, inactive, a counsellor without a profile):
  sees no personal data at all.

The group names and the profile are read once per user object and cached on it
(`_learners_roles`), so a view calling these helpers many times costs at most two queries.
Call `roles_cache_clear(user)` after changing a user's groups or profile in the same request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workshops.roles import COORDINATORS, COUNSELLORS, PARTNER_EDITORS

if TYPE_CHECKING:
    from learners.models import Counsellor, Structure

_CACHE_ATTR = "_learners_roles"


@dataclass(frozen=True)
class UserRoles:
    groups: frozenset[str]
    counsellor: Counsellor | None
    is_superuser: bool

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or COORDINATORS in self.groups

    @property
    def is_counsellor(self) -> bool:
        return COUNSELLORS in self.groups and self.counsellor is not None


_NOBODY = UserRoles(groups=frozenset(), counsellor=None, is_superuser=False)


def user_roles(user) -> UserRoles:
    """The roles of `user` (anonymous and inactive users have none)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from learners.models import Counsellor

    groups = frozenset(user.groups.values_list("name", flat=True))
    counsellor = None
    if COUNSELLORS in groups:
        counsellor = Counsellor.objects.select_related("structure").filter(user=user).first()
    roles = UserRoles(groups=groups, counsellor=counsellor, is_superuser=user.is_superuser)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def roles_cache_clear(user) -> None:
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_coordinator(user) -> bool:
    """Coordinators (and superusers) see the whole network."""
    return user_roles(user).is_coordinator


def is_counsellor(user) -> bool:
    """In the counsellors group with a counsellor profile (coordinators may be both)."""
    return user_roles(user).is_counsellor


def is_partner_editor(user) -> bool:
    return PARTNER_EDITORS in user_roles(user).groups


def is_structure_manager(user) -> bool:
    roles = user_roles(user)
    return roles.is_counsellor and roles.counsellor.is_structure_manager


def counsellor_profile(user) -> Counsellor | None:
    """The user's counsellor profile when they act as a counsellor, else None."""
    roles = user_roles(user)
    return roles.counsellor if roles.is_counsellor else None


def counsellor_structure(user) -> Structure | None:
    """The structure whose people and sessions a counsellor sees, else None."""
    profile = counsellor_profile(user)
    return profile.structure if profile else None


def can_use_tracking(user) -> bool:
    """True when the user may see any personal data at all (coordinator or counsellor)."""
    roles = user_roles(user)
    return roles.is_coordinator or roles.is_counsellor
