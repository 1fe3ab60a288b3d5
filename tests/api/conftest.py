import datetime

import pytest
from django.utils import timezone

from api.scopes import Scope
from api.services.clients import api_client_create


@pytest.fixture
def make_key(db):
    """A client and its bearer header: `make_key(scopes=[...], structure=..., ...)`."""

    def make(*, name: str = "Entrepôt", scopes=tuple(Scope.values), **kwargs):
        client, secret = api_client_create(name=name, scopes=scopes, created_by=None, **kwargs)
        return client, {"HTTP_AUTHORIZATION": f"Bearer {client.client_id}:{secret}"}

    return make


@pytest.fixture
def yesterday():
    return timezone.now() - datetime.timedelta(days=1)
