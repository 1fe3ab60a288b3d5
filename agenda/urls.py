"""Public URLs of « Près de chez vous » (mounted at /pres-de-chez-vous/): the search, the
venues and the calendar files, then the sign-up pages (the person's own pages, by token)."""

from django.urls import path

from agenda.views import calendars, listing, signup, venues

app_name = "agenda"

urlpatterns: list = [
    path("", listing.index, name="index"),
    path("lieux/<int:venue_id>/", venues.venue, name="venue"),
    path("lieux/<int:venue_id>/agenda.ics", calendars.venue_feed, name="venue_feed"),
    path(
        "structures/<int:structure_id>/agenda.ics",
        calendars.structure_feed,
        name="structure_feed",
    ),
    path("seances/<int:session_id>/agenda.ics", calendars.session_ics, name="session_ics"),
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
