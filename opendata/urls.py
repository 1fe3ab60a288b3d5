"""/donnees/: the public, stable addresses of the open data files."""

from django.urls import path

from .views import venues

app_name = "opendata"

urlpatterns: list = [
    path("lieux-de-mediation-numerique.csv", venues.venues_csv, name="venues_csv"),
    path("lieux-de-mediation-numerique.json", venues.venues_json, name="venues_json"),
]
