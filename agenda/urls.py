"""Public URLs of « Près de chez vous » (mounted at /pres-de-chez-vous/)."""

from django.urls import path

from .views import signup

app_name = "agenda"

urlpatterns: list = [
    path("seances/<int:session_id>/", signup.session_page, name="session"),
    path("inscription/<str:token>/", signup.booking_page, name="booking"),
    path("inscription/<str:token>/annuler/", signup.booking_cancel_page, name="booking_cancel"),
    path("inscription/<str:token>/place/", signup.booking_offer, name="booking_offer"),
    path("inscription/<str:token>/effacer/", signup.booking_erase, name="booking_erase"),
    path(
        "lieux/<int:venue_id>/rendez-vous/",
        signup.appointment_request,
        name="appointment_request",
    ),
]
