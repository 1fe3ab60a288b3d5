"""/donnees/: the public, stable addresses of the open data files."""

from django.urls import path

from opendata.views import datainclusion, index

app_name = "opendata"

urlpatterns: list = [
    path("", index.index, name="index"),
    path(
        "data-inclusion/structures.json",
        datainclusion.structures,
        name="datainclusion_structures",
    ),
    path("data-inclusion/services.json", datainclusion.services, name="datainclusion_services"),
]
