"""/api/v1/: one NinjaAPI; each router module adds its operations.

The OpenAPI document (`/api/v1/openapi.json`) is built from the operations' type hints;
`/api/v1/docs` shows it with Swagger UI, served from django-ninja's own static files.
"""

from django.urls import path, re_path

from api import handlers, views
from api.description import DESCRIPTION
from api.docs import Documentation
from api.routers import (
    activities,
    activity_stream,
    content,
    sessions,
    statistics,
    structures,
    venues,
)

api = handlers.PrivateKeyedApi(
    title="API Pas à pas",
    version="1",
    description=str(DESCRIPTION),
    urls_namespace="api",
    # No deep links: Swagger UI would put a link inside each operation's button (axe-core's
    # nested-interactive); schemas folded, the operations come first.
    docs=Documentation(settings={"defaultModelsExpandDepth": 0, "deepLinking": False}),
)
handlers.install(api)
api.add_router("", sessions.router)
api.add_router("", venues.router)
api.add_router("", content.router)
api.add_router("", structures.router)
api.add_router("", activities.router)
api.add_router("", activity_stream.router)
api.add_router("", statistics.router)

urlpatterns = [path("", api.urls), re_path(r"^(?P<rest>.*)$", views.unknown_address)]
