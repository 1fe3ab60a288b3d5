"""Image uploads: every upload path of Wagtail images checks the file the same way.

Wagtail builds all its image upload forms (the "add" view, the multiple upload, the
chooser's upload tab; guide steps use Wagtail images) from the base form named by
`WAGTAILIMAGES_IMAGE_FORM_BASE`: `ImageForm` below. Its file field is Wagtail's own, with
the pixel check replaced by `image_file_check`:

- the size in pixels is read from the header (cheap, nothing decoded), and more than
  `WAGTAILIMAGES_MAX_IMAGE_PIXELS` (frames of an animation included) is refused before
  anything is decoded. Pillow's own bomb guard (`PIL.Image.MAX_IMAGE_PIXELS`, set to the
  same value in `WorkshopsConfig.ready`) turns into the same French refusal;
- the image is then decoded once (a JPEG at 1/8 scale, which still reads every byte), so
  a truncated or forged file (`GIF89a` then junk, a PNG header then junk, a cut JPEG) is
  refused here with a French message, instead of failing later (a 500 today in Wagtail's
  pixel check, or in a rendition on the public site).

Pillow raises many exception types on hostile data (OSError, SyntaxError, ValueError,
EOFError, struct.error, IndexError, ...): all of them mean "this is not a sound image" for
an untrusted upload, so the check catches Exception there, as Wagtail's own opening does.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".replace(".", ",").replace(",0", "")


def damaged_image_message() -> str:
    return _(
        "Cette image est endommagée ou n'est pas une vraie image (JPEG, PNG, WebP ou GIF). "
        "Ouvrez-la et enregistrez-la de nouveau (par exemple en PNG ou JPEG), puis réessayez."
    )


def too_many_pixels_message(*, width: int | None, height: int | None, max_pixels: int) -> str:
    if width and height:
        size = _("%(width)d × %(height)d pixels") % {"width": width, "height": height}
    else:
        size = _("taille inconnue")
    return _(
        "Cette image est trop grande (%(size)s) : %(max)s mégapixels au maximum. Réduisez-la "
        "(une capture d'écran ou une photo de téléphone de 12 mégapixels conviennent), puis "
        "réessayez."
    ) % {"size": size, "max": _megapixels(max_pixels)}


def image_file_check(file, *, max_pixels: int) -> tuple[int, int]:
    """(width, height) of a sound image of at most `max_pixels` (all frames counted), or
    a French ValidationError. The file is read from its start and left at its start."""
    width = height = None
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Up to twice the limit Pillow only warns: the size is then checked here, with
            # the image's dimensions in the message; beyond, Pillow refuses to open it.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        too_many_pixels_message(width=width, height=height, max_pixels=max_pixels),
                        code="file_too_many_pixels",
                    )
                frames = getattr(image, "n_frames", 1)
                if width * height * frames > max_pixels:
                    raise ValidationError(
                        too_many_pixels_message(width=width, height=height, max_pixels=max_pixels),
                        code="file_too_many_pixels",
                    )
                if image.format == "JPEG":
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            too_many_pixels_message(width=width, height=height, max_pixels=max_pixels),
            code="file_too_many_pixels",
        ) from exc
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        raise ValidationError(damaged_image_message(), code="invalid_image") from exc
    finally:
        file.seek(0)
    return width, height


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with `image_file_check` as its pixel check."""

    def check_image_pixel_size(self, f):
        max_pixels = self.max_image_pixels or settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
        image_file_check(f, max_pixels=max_pixels)


class ImageForm(BaseImageForm):
    """`WAGTAILIMAGES_IMAGE_FORM_BASE`: Wagtail's form with `CheckedImageField`.

    Wagtail creates the file field itself (`formfield_for_dbfield`), with its labels and
    size limits; it is kept and only given the stricter check (a declared field would
    also appear in the multiple upload's edit form, which excludes the file)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField):
            field.__class__ = CheckedImageField
            field.error_messages["invalid_image"] = damaged_image_message()
