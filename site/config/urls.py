import re

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as accounts_views
from home import media, offline
from home import views as home_views
from learners.views import attestations as attestation_views
from learners.views import carnet as carnet_views
from learners.views import carnet_attestations
from workshops.views import feedback as feedback_views

# An attestation's opaque id: 16 random bytes, base64url (`attestation_public_id`).
ATTESTATION_ID = r"[A-Za-z0-9_-]{22}"

urlpatterns = [
    # Before Wagtail's: a GET asks for confirmation, only a POST logs out (accounts/views.py).
    path("admin/logout/", accounts_views.logout),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", home_views.search, name="search"),
    # Guides offline: the service worker must be served from the root to cover the site.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("hors-connexion/", offline.offline_page, name="offline"),
    path("fiches/avis/<int:page_id>/", feedback_views.guide_feedback, name="guide_feedback"),
    path("pres-de-chez-vous/", include("agenda.urls")),
    path("donnees/", include("opendata.urls")),
    path("api/v1/", include("api.urls")),
    path("carnet/", carnet_views.carnet, name="carnet"),
    path("carnet/fermer/", carnet_views.carnet_close, name="carnet_close"),
    path(
        "carnet/accords/<int:consent_id>/retirer/",
        carnet_views.carnet_consent_withdraw,
        name="carnet_consent_withdraw",
    ),
    path(
        "carnet/inscriptions/<int:booking_id>/annuler/",
        carnet_views.carnet_booking_cancel,
        name="carnet_booking_cancel",
    ),
    path(
        "carnet/fiches/<int:guide_id>/lue/",
        carnet_views.carnet_guide_read,
        name="carnet_guide_read",
    ),
    re_path(
        rf"^carnet/attestations/(?P<public_id>{ATTESTATION_ID})/fichier\.jwt$",
        carnet_attestations.carnet_attestation_download,
        name="carnet_attestation_download",
    ),
    re_path(
        rf"^carnet/attestations/(?P<public_id>{ATTESTATION_ID})/imprimer/$",
        carnet_attestations.carnet_attestation_print,
        name="carnet_attestation_print",
    ),
    # Attestations' public pages (README « Attestations »): no login, no personal data
    # beyond what a credential holds.
    path("attestations/verifier/", attestation_views.attestation_check, name="attestation_check"),
    path(
        "attestations/emetteurs/<int:structure_id>/",
        attestation_views.attestation_issuer,
        name="attestation_issuer",
    ),
    path(
        "attestations/emetteurs/<int:structure_id>/cles.json",
        attestation_views.attestation_jwks,
        name="attestation_jwks",
    ),
    re_path(
        rf"^attestations/(?P<public_id>{ATTESTATION_ID})/$",
        attestation_views.attestation_verify,
        name="attestation_verify",
    ),
]

# Uploads: answered only where SERVE_MEDIA is on (the embedded default, DEBUG or not); in
# production the reverse proxy serves them and this view answers 404 (home/media.py).
urlpatterns += [
    re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media.serve),
]

# Wagtail's page serving comes last: it matches every remaining path. Its view is wrapped
# to remember routes (caching/routing.py); the name stays, Wagtail reverses it for page URLs.
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, home_views.serve, name="wagtail_serve"),
]
