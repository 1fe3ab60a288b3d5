"""The site's URLs plus a view that fails, for the 500 page test."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", failing_view), *site_urlpatterns]
