"""Guides readable offline: the service worker (/sw.js), the web app manifest and the page
shown offline (README « Guides offline and in print »).

The worker's code is `service_worker.js` next to this module, served from the site root so
that its scope is the whole site, with one line put above it: CONFIG, the addresses it
needs and a version. The version is a digest of the code, of that configuration (which
holds the hashed static addresses) and of the release (caching.front.release), so any
change gives a new /sw.js, which the browser installs in place of the old one.

All three answers are the same for every visitor: public for the shared caches, with an
ETag (caching/front.py: the release and the publication version), so a browser checking
for a new worker on its visits mostly gets a 304, without a database query.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from caching.front import front_cached, release

WORKER_SOURCE = Path(__file__).with_name("service_worker.js")
# Never looked at by the worker: personal pages and the keyed API.
WORKER_IGNORED_PATHS = ("/api/", "/documents/")
THEME_COLOUR = "#00466f"  # --primary in site.css
SHELL_FILES = ("css/site.css", "css/print.css", "js/site.js", "img/favicon.svg")
ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/icon-maskable-512.png", "512x512", "maskable"),
)


@functools.cache
def _worker_code() -> str:
    return WORKER_SOURCE.read_text(encoding="utf-8")


def worker_config() -> dict:
    config = {
        "offline": reverse("offline"),
        "shell": [reverse("offline"), *(static(name) for name in SHELL_FILES)],
        "static": settings.STATIC_URL,
        "media": settings.MEDIA_URL,
        "private": [*settings.FRONT_CACHE_PRIVATE_PATHS, *WORKER_IGNORED_PATHS],
        "timeout": settings.OFFLINE_NETWORK_TIMEOUT_MS,
    }
    material = json.dumps(config, sort_keys=True) + release() + _worker_code()
    config["version"] = hashlib.sha256(material.encode()).hexdigest()[:12]
    return config


def worker_script() -> str:
    config = json.dumps(worker_config(), sort_keys=True)
    return f"var CONFIG = {config};\n{_worker_code()}"


@front_cached
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@front_cached
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Pas à pas : le numérique, une étape après l'autre"),
        "short_name": _("Pas à pas"),
        "description": _(
            "Des fiches pratiques illustrées et des ateliers gratuits pour apprendre le "
            "numérique, même sans connexion."
        ),
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            *(
                {"src": static(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
                for name, sizes, purpose in ICONS
            ),
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@front_cached
def offline_page(request: HttpRequest) -> TemplateResponse:
    """What the worker shows for a page it has not kept, offline; the list of kept guides
    is filled in by site.js from the worker."""
    return TemplateResponse(
        request, "home/offline.html", {"page_title": _("Vous êtes hors connexion")}
    )
