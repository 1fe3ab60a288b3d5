"""Image renditions of published guides, generated ahead of the first reader."""

from __future__ import annotations

from wagtail.images import get_image_model

from workshops.models import GuidePage
from workshops.renditions import GUIDE_STEP_SPECS


def guide_step_images(*, guide: GuidePage) -> list:
    """The distinct images of a guide's steps, in step order (one query for all of them)."""
    seen: dict[int, object] = {}
    for block in guide.steps:
        image = block.value.get("image") if block.block_type == "step" else None
        if image is not None and image.pk not in seen:
            seen[image.pk] = image
    return list(seen.values())


def guide_renditions_generate(*, guide: GuidePage) -> int:
    """Generates every rendition (`GUIDE_STEP_SPECS`) of every step image of `guide`.

    Idempotent: renditions that exist are found (cache, then database) and kept; only the
    missing ones are created. Returns the number of renditions created.
    """
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    created = 0
    for image in guide_step_images(guide=guide):
        before = rendition_model.objects.filter(image=image).count()
        image.get_renditions(*GUIDE_STEP_SPECS)
        created += rendition_model.objects.filter(image=image).count() - before
    return created
