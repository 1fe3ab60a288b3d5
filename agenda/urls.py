"""Public URLs of « Près de chez vous » (mounted at /pres-de-chez-vous/)."""

app_name = "agenda"

urlpatterns: list = []
