"""The image renditions a guide uses: one list, read by the templates (through
`workshops.templatetags.workshops_tags`) and by the publication task that pre-generates them
(`workshops.tasks.guide_renditions_generate`). Change a spec here and both follow.

Step pictures are served at three widths (a 360px phone, a 720px phone at 2x or a tablet,
a wide screen at 1.5x), each in WebP and in the uploaded image's own format as the
fallback of `<picture>` for the rare browser without WebP. Wagtail's `width-N` never
upscales, so a small screenshot yields smaller files, and the `srcset` descriptors use each
rendition's real width.
"""

GUIDE_STEP_WIDTHS: tuple[int, ...] = (360, 720, 1080)
# Width of the `<img src>` for browsers that ignore srcset, and of the printed picture.
GUIDE_STEP_DEFAULT_WIDTH = 720

GUIDE_STEP_WEBP_SPECS: tuple[str, ...] = tuple(f"width-{w}|format-webp" for w in GUIDE_STEP_WIDTHS)
GUIDE_STEP_FALLBACK_SPECS: tuple[str, ...] = tuple(f"width-{w}" for w in GUIDE_STEP_WIDTHS)
GUIDE_STEP_SPECS: tuple[str, ...] = GUIDE_STEP_WEBP_SPECS + GUIDE_STEP_FALLBACK_SPECS

# The layout slot of a step picture (site.css `.step-picture img`): at most 720px wide, else
# the viewport minus the page margins. The reader's text scale is not visible to media
# queries, so this is the slot at the default text size.
GUIDE_STEP_SIZES = "(min-width: 760px) 720px, calc(100vw - 36px)"
