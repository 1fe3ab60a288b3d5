"""The API keys as the admin lists them (never a secret: only its hash is stored)."""

from __future__ import annotations

from django.db.models import QuerySet

from api.models import ApiClient


def api_clients_list() -> QuerySet[ApiClient]:
    return ApiClient.objects.select_related("structure", "created_by").order_by(
        "revoked_at", "name"
    )
