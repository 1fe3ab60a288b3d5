"""/donnees/: the public, stable addresses of the open data files."""

app_name = "opendata"

urlpatterns: list = []
