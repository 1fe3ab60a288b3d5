"""The audit log: one row for every read or change of a person's record."""

from __future__ import annotations

from collections.abc import Iterable

from common.types import AnyUser
from learners.choices import AuditAction
from learners.models import AuditLog, Learner
from learners.roles import user_roles

DETAIL_MAX = 255


def _username(user: AnyUser | None) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_username()[:150]


def _row(*, user: AnyUser | None, action: str, learner: Learner | None, detail: str) -> AuditLog:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    author = user if user is not None and user.is_authenticated else None
    counsellor = user_roles(author).counsellor if author is not None else None
    return AuditLog(
        user=author,
        username=_username(user),
        structure_id=counsellor.structure_id if counsellor is not None else None,
        action=action,
        learner=learner,
        learner_network_id=learner.network_id if learner is not None else "",
        detail=detail[:DETAIL_MAX],
    )


def audit_log_record(
    *, user: AnyUser | None, action: str, learner: Learner | None = None, detail: str = ""
) -> AuditLog:
    """Write one audit row. `detail` must hold no personal data (field names, ids only).

    Views call it with `AuditAction.READ` when they show a person's record (a person's page,
    an export); services call it for every write. `user` may be None (public carnet).
    """
    entry = _row(user=user, action=action, learner=learner, detail=detail)
    entry.save()
    return entry


def audit_log_record_many(
    *, user: AnyUser | None, action: str, learners: Iterable[Learner], detail: str = ""
) -> list[AuditLog]:
    """One row per person, in one query (attendance sheets, exports)."""
    rows = [_row(user=user, action=action, learner=learner, detail=detail) for learner in learners]
    return AuditLog.objects.bulk_create(rows)


def audit_log_record_api_call(*, client_name: str, structure_id: int | None, detail: str) -> None:
    """One row per keyed call to the read API: the client's name (`api:<name>`), the
    structure its key is bound to, and what it read (method, path, query; no personal data:
    the API publishes none)."""
    AuditLog.objects.create(
        username=f"api:{client_name}"[:150],
        structure_id=structure_id,
        action=AuditAction.API_READ,
        detail=detail[:DETAIL_MAX],
    )
