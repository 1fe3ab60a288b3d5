"""`Authorization: Bearer <client_id>:<secret>`, as La Coop's API v1 does.

`ClientKey(scope)` is the `auth=` of a keyed operation: a wrong, expired or revoked key
answers 401 (429 once its address sent too many refused calls in the minute), a key
without the scope 403, a key over its rate 429; a served call is
written in the audit log. The client lands on `request.auth`.
"""

import hmac

from django.http import HttpRequest
from ninja.security import HttpBearer

from api.errors import ApiError, forbidden, unauthenticated
from api.models import ApiClient, secret_hash
from api.scopes import Scope
from api.services.usage import api_call_count, api_call_record, api_refused_key_count


def client_for_token(token: str) -> ApiClient | None:
    """The usable client this token names, None for a wrong, expired or revoked key."""
    client_id, _sep, secret = token.partition(":")
    if not client_id or not secret or len(client_id) > 40:
        return None
    client = ApiClient.objects.select_related("structure").filter(client_id=client_id).first()
    if client is None or not client.is_usable():
        return None
    if not hmac.compare_digest(client.secret_hash, secret_hash(secret)):
        return None
    return client


class ClientKey(HttpBearer):
    """A key with one scope; the client lands on `request.auth`."""

    openapi_description = (
        "Clé d'API : « Authorization: Bearer <identifiant>:<secret> », l'identifiant et le "
        "secret du client séparés par « : ». La coordination du réseau crée les clés dans "
        "l'administration ; le secret n'est affiché qu'une fois."
    )

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> ApiClient | None:
        # No header, or not a bearer one: the same 401 as a wrong key, in French.
        client = super().__call__(request)
        if client is None:
            raise self.refused(request)
        return client

    @staticmethod
    def refused(request: HttpRequest) -> ApiError:
        """The 401 of a call without a usable key, or 429 when its address sent too many."""
        try:
            api_refused_key_count(request=request)
        except ApiError as error:  # 429
            return error
        return unauthenticated()

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = client_for_token(token)
        if client is None:
            raise self.refused(request)
        if not client.has_scope(self.scope):
            raise forbidden(str(Scope(self.scope).label))
        api_call_count(client=client)
        api_call_record(
            client=client,
            method=request.method or "GET",
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
        )
        return client
