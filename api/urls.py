"""/api/v1/: one NinjaAPI; each router module adds its operations.

The OpenAPI document (`/api/v1/openapi.json`) is built from the operations' type hints;
`/api/v1/docs` shows it with Swagger UI, served from django-ninja's own static files.
"""

from django.urls import path
from ninja import NinjaAPI

from api import handlers
from api.description import DESCRIPTION
from api.routers import activities, statistics, structures

api = NinjaAPI(
    title="API Pas à pas",
    version="1",
    description=str(DESCRIPTION),
    urls_namespace="api",
)
handlers.install(api)
api.add_router("", structures.router)
api.add_router("", activities.router)
api.add_router("", statistics.router)

urlpatterns = [path("", api.urls)]
