"""Creating and revoking API keys. The secret is returned once, to be shown once; only its
SHA-256 is stored (`api.models.secret_hash`)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from api.models import ApiClient, secret_hash
from api.scopes import Scope
from common.types import AnyUser
from learners.choices import AuditAction
from learners.models import Structure
from learners.services.audit import audit_log_record

CLIENT_ID_BYTES = 12  # 16 URL-safe characters: public, only needs to be unique
SECRET_BYTES = 32  # 256 bits: no need for a slow hash


def api_client_create(
    *,
    name: str,
    scopes: Iterable[Scope | str],
    created_by: AnyUser | None,
    structure: Structure | None = None,
    expires_at: datetime.datetime | None = None,
    requests_per_minute: int = 120,
) -> tuple[ApiClient, str]:
    """A new client and its secret (`<client_id>:<secret>` is the bearer token)."""
    wanted = {str(scope) for scope in scopes}
    unknown = wanted - set(Scope.values)
    if unknown:
        raise ValueError(f"Unknown scopes: {sorted(unknown)}")
    secret = secrets.token_urlsafe(SECRET_BYTES)
    client = ApiClient(
        name=name,
        client_id=secrets.token_urlsafe(CLIENT_ID_BYTES),
        secret_hash=secret_hash(secret),
        scopes=sorted(wanted),
        structure=structure,
        expires_at=expires_at,
        requests_per_minute=requests_per_minute,
        created_by=created_by if created_by is not None and created_by.is_authenticated else None,
    )
    client.full_clean()
    with transaction.atomic():  # a lost name race raises IntegrityError, nothing written
        client.save()
        audit_log_record(user=created_by, action=AuditAction.CREATE, detail=_detail(client))
    return client, secret


def _detail(client: ApiClient) -> str:
    return f"api_client {client.client_id} name={client.name} scopes={','.join(client.scopes)}"


def api_client_revoke(
    *,
    client: ApiClient,
    revoked_by: AnyUser | None = None,
    now: datetime.datetime | None = None,
) -> ApiClient:
    """Revoked at once and for good (a new key is a new client); audited."""
    if client.revoked_at is None:
        client.revoked_at = now or timezone.now()
        with transaction.atomic():
            client.save(update_fields=["revoked_at"])
            audit_log_record(
                user=revoked_by, action=AuditAction.UPDATE, detail=f"{_detail(client)} revoked"
            )
    return client
