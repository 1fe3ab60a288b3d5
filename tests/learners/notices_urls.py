"""A URLconf with the one public route the messages link to (`agenda:booking`), for the
tests of `learners.services.notices` (the agenda app's own URLconf provides it in the
site). Also the real-worker test's (tests/integration/notices_settings.py)."""

from django.http import HttpResponse
from django.urls import include, path


def _booking(request, token):
    return HttpResponse(token)


agenda_patterns = (
    [path("inscription/<str:token>/", _booking, name="booking")],
    "agenda",
)

urlpatterns = [path("pres-de-chez-vous/", include(agenda_patterns))]
