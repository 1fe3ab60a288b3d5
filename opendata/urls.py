"""/donnees/: the public, stable addresses of the open data files."""

from django.urls import path

from opendata.views import datainclusion, index, venues

app_name = "opendata"

urlpatterns: list = [
    path("", index.index, name="index"),
    path("lieux-de-mediation-numerique.csv", venues.venues_csv, name="venues_csv"),
    path("lieux-de-mediation-numerique.json", venues.venues_json, name="venues_json"),
    path(
        "data-inclusion/structures.json",
        datainclusion.structures,
        name="datainclusion_structures",
    ),
    path("data-inclusion/services.json", datainclusion.services, name="datainclusion_services"),
]
