"""`Authorization: Bearer <client_id>:<secret>`, as La Coop's API v1 does."""

import hashlib
import hmac

from django.http import HttpRequest
from ninja.security import HttpBearer

from api.models import ApiClient
from api.scopes import Scope


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def client_for_token(token: str) -> ApiClient | None:
    """The usable client this token names, None for a wrong, expired or revoked key."""
    client_id, _sep, secret = token.partition(":")
    if not client_id or not secret:
        return None
    client = ApiClient.objects.select_related("structure").filter(client_id=client_id).first()
    if client is None or not client.is_usable():
        return None
    if not hmac.compare_digest(client.secret_hash, secret_hash(secret)):
        return None
    return client


class ClientKey(HttpBearer):
    """A key with one scope; the client lands on `request.auth`."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = client_for_token(token)
        if client is None or not client.has_scope(self.scope):
            return None
        return client
