"""Full-page cache for anonymous visitors of the public site.

Most readers are anonymous and read the same published pages, so the rendered HTML of a
Wagtail page (and of the search page) is kept in the default cache (Redis in production)
for `PAGE_CACHE_SECONDS` (0 turns the cache off).

What is cached: GET and HEAD requests answered 200 with HTML by Wagtail's page view or the
site search, for a visitor without a session cookie (so never a logged-in user, nor a
visitor whose session holds a page password), when the response sets no cookie, holds no
CSRF token and is not marked `private` or `no-store`. The key is the host, the path and the
query string with its parameters in a canonical order, so each filter combination and each
page of a list is its own entry (`?thematique=e-mail&page=2` and `?page=2&thematique=e-mail`
share one).

Invalidation: every entry carries a version number (the "publication version",
workshops/publication.py) that is bumped whenever any page is published, unpublished, moved
or deleted, and when what pages show from elsewhere changes (themes, audiences,
competences, view restrictions, images, documents), so one publication refreshes the whole
site at once: menus, index pages, related links and search results all show other pages.
The bump happens at once and again when the transaction commits, so a request that rendered
the old content in between is not kept. An entry is read together with the current version
(one round trip to Redis) and served only when both match.

Responses carry `X-Page-Cache: hit` or `miss` (only for cacheable requests), for the tests
and the benchmark.

The same version keys the per-process memos of the navigation, the breadcrumbs and the
filter forms' reference lists, and the render cache of guide and atelier articles
(`RENDER_CACHE_SECONDS`, `{% wagtailpagecache %}` in their templates), which also serve
logged-in users since those fragments are the same for everyone.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from workshops import publication

CACHEABLE_VIEWS = frozenset({"wagtail_serve", "search"})
HEADER = "X-Page-Cache"


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def cache_key(request: HttpRequest) -> str:
    params = sorted(request.GET.lists())
    canonical = "|".join(
        [request.get_host(), request.path, urlencode(params, doseq=True), request.method]
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"pagecache:{digest}"


def _request_is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(("/admin/", "/documents/", "/static/", "/media/"))
    )


def _response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in CACHEABLE_VIEWS:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_USED"):
        # The page holds a CSRF token (a form): it belongs to this visitor only.
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "no-store" in cache_control or "private" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Place it after WhiteNoise and before SessionMiddleware: a hit is answered without
    touching the session, the user or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = cache_seconds()
        if seconds <= 0 or not _request_is_cacheable(request):
            return self.get_response(request)

        # The entry and the current publication version in one round trip: an entry
        # stored under an older version is obsolete.
        key = cache_key(request)
        found = cache.get_many([publication.VERSION_KEY, key])
        version = found.get(publication.VERSION_KEY)
        if version is None:
            version = publication.current_version()
        request._publication_version = version
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            cached = entry[1]
            cached[HEADER] = "hit"
            return cached

        response = self.get_response(request)
        if _response_is_cacheable(request, response):
            response[HEADER] = "miss"
            cache.set(key, (version, response), seconds)
        return response


def connect() -> None:
    """Connects the invalidation receivers (HomeConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from workshops.models import Audience, Competence, Theme

    invalidate = publication.bump_version_now_and_on_commit
    image_model, document_model = get_image_model(), get_document_model()
    page_published.connect(invalidate, dispatch_uid="pagecache.published")
    page_unpublished.connect(invalidate, dispatch_uid="pagecache.unpublished")
    page_slug_changed.connect(invalidate, dispatch_uid="pagecache.slug_changed")
    post_page_move.connect(invalidate, dispatch_uid="pagecache.moved")
    # Deleting a page deletes its specific row first; the base Page row covers every type.
    post_delete.connect(invalidate, sender=Page, dispatch_uid="pagecache.deleted")
    # A view restriction, an image or a document changes what pages show (or may show); a
    # site changes how paths are routed (home/routing.py).
    models = (Theme, Audience, Competence, PageViewRestriction, Site, image_model, document_model)
    for model in models:
        post_save.connect(invalidate, sender=model, dispatch_uid=f"pagecache.save.{model}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"pagecache.delete.{model}")
