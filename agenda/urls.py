"""Public URLs of « Près de chez vous » (mounted at /pres-de-chez-vous/). The sign-up
pages (`agenda:session`, `agenda:booking`, `agenda:appointment_request`) are added by the
sign-up part."""

from django.urls import path

from agenda.views import calendars, listing, venues

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
]
