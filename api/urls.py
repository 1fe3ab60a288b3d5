"""/api/v1/: one NinjaAPI; each router module adds its operations."""

from django.urls import path
from ninja import NinjaAPI

api = NinjaAPI(
    title="API Pas à pas",
    version="1",
    urls_namespace="api",
)

urlpatterns = [path("", api.urls)]
