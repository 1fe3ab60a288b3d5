"""What bumps the publication version: Wagtail's page signals and the models whose rows
published pages show. Connected once by the site layer (HomeConfig.ready), which passes
the app models (themes, audiences, competences) this package cannot import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from caching import versions

_bump_publication = versions.receiver(versions.PUBLICATION)


def publication_connect(*, content_models: Iterable[type[Model]] = ()) -> None:
    """Bumps the publication version when a page is published, unpublished, renamed,
    moved or deleted, and when a row of a model pages show is saved or deleted:
    `content_models`, view restrictions, sites, images and documents."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    bump = _bump_publication
    page_published.connect(bump, dispatch_uid="pagecache.published")
    page_unpublished.connect(bump, dispatch_uid="pagecache.unpublished")
    page_slug_changed.connect(bump, dispatch_uid="pagecache.slug_changed")
    post_page_move.connect(bump, dispatch_uid="pagecache.moved")
    # Deleting a page deletes its specific row first; the base Page row covers every type.
    post_delete.connect(bump, sender=Page, dispatch_uid="pagecache.deleted")
    # A view restriction, an image or a document changes what pages show (or may show); a
    # site changes how paths are routed (caching/routing.py).
    models = (
        *content_models,
        PageViewRestriction,
        get_image_model(),
        get_document_model(),
    )
    for model in models:
        post_save.connect(bump, sender=model, dispatch_uid=f"pagecache.save.{model}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache.delete.{model}")
    post_save.connect(_site_changed, sender=Site, dispatch_uid="pagecache.save.site")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="pagecache.delete.site")


def _site_changed(sender: Any, **kwargs: Any) -> None:
    """Wagtail's shared copy of the site root paths is emptied BEFORE the bump: its own
    handler may run after ours (apps' order), and a worker remembering the root paths
    under the new version in between would keep the old ones (caching/routing.py)."""
    sender.clear_site_root_paths_cache()
    _bump_publication(sender=sender, **kwargs)
