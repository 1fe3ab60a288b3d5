"""Uploads (`MEDIA_URL`) served by Django in the embedded default only (`SERVE_MEDIA`).

`bin/run` runs with DEBUG off, where Django's `static()` helper serves nothing, so the dev
settings turn this view on explicitly; base and production settings leave it off and the
reverse proxy serves /media/ (deploy/nginx/pasapas.conf), with the same rules:

- images are served inline with their own type; any other file is sent as a download
  (`application/octet-stream`, `Content-Disposition: attachment`), so an uploaded HTML or
  SVG file is never rendered as a page of this site;
- `documents/` is refused: Wagtail documents are served by their own view (/documents/),
  which applies the collections' view restrictions.

`X-Content-Type-Options: nosniff` is added by SecurityMiddleware.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views import static

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
REFUSED_PREFIXES = ("documents/",)


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if not getattr(settings, "SERVE_MEDIA", False) or path.startswith(REFUSED_PREFIXES):
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code == 200 and content_type not in INLINE_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response
