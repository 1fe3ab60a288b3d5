"""Image uploads through the real admin views (single and multiple "add"), logged in as an
editor: damaged or forged images and pixel bombs get a French message, never a 500, and
nothing is stored."""

import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

Image = get_image_model()
DAMAGED = "Cette image est endommagée ou n'est pas une vraie image"
TOO_BIG = "Cette image est trop grande"


def picture(size=(40, 30), *, mode="RGB", format="PNG", **options) -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, size, "white" if mode != "1" else 1).save(buffer, format, **options)
    return buffer.getvalue()


def damaged_files() -> dict[str, tuple[str, bytes]]:
    png = picture((300, 200))
    jpeg = picture((300, 200), format="JPEG", quality=90)
    idat = png.index(b"IDAT")
    corrupt_png = bytearray(png)
    corrupt_png[idat + 10] ^= 0xFF  # the compressed pixels, CRC now wrong
    return {
        "gif-header-then-junk": ("capture.gif", b"GIF89a" + b"\x00\x01junk" * 40),
        "png-header-then-junk": ("capture.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 60),
        "png-truncated": ("capture.png", png[: len(png) // 2]),
        "png-corrupt-pixels": ("capture.png", bytes(corrupt_png)),
        "jpeg-truncated": ("photo.jpg", jpeg[: len(jpeg) // 2]),
        "jpeg-header-only": ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 30),
        "webp-header-then-junk": ("capture.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x07" * 40),
    }


def upload_single(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Capture",
            "file": SimpleUploadedFile(name, content),
            "collection": str(Collection.get_first_root_node().pk),
            "tags": "",
        },
    )


def upload_multiple(client, name, content):
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile(name, content),
            "collection": str(Collection.get_first_root_node().pk),
        },
    )


def single_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))


@pytest.mark.parametrize("case", sorted(damaged_files()))
def test_damaged_images_get_a_french_message_on_both_add_views(client, coordinator, case):
    client.force_login(coordinator)
    name, content = damaged_files()[case]

    assert DAMAGED in single_errors(upload_single(client, name, content))

    response = upload_multiple(client, name, content)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["success"] is False
    assert DAMAGED in data["error_message"]
    assert not Image.objects.exists()


def test_a_tiny_png_of_40_megapixels_is_refused_before_decoding(client, counsellor):
    content = picture((6300, 6300), mode="1")  # the bomb: a few KB
    assert len(content) < 20_000
    client.force_login(counsellor)
    message = single_errors(upload_single(client, "bombe.png", content))
    assert TOO_BIG in message and "6300 × 6300" in message and "25 mégapixels" in message
    data = json.loads(upload_multiple(client, "bombe.png", content).content)
    assert data["success"] is False and TOO_BIG in data["error_message"]
    # Beyond twice the limit Pillow itself refuses to open it: the same French refusal.
    huge = picture((8000, 8000), mode="1")
    assert TOO_BIG in single_errors(upload_single(client, "enorme.png", huge))
    assert not Image.objects.exists()


def test_the_limit_is_25_megapixels_and_a_24_megapixel_photo_passes(client, counsellor):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 25_000_000
    # Pillow's own guard (renditions, any other path) uses the same limit.
    assert PILImage.MAX_IMAGE_PIXELS == 25_000_000
    client.force_login(counsellor)
    over = picture((5001, 5000), mode="1")
    assert TOO_BIG in single_errors(upload_single(client, "trop.png", over))
    photo = picture((6000, 4000), mode="1")  # an iPhone's 24 MP default
    response = upload_single(client, "photo.png", photo)
    assert response.status_code == 302, single_errors(response)
    image = Image.objects.get()
    assert (image.width, image.height) == (6000, 4000)


def test_animation_frames_count_towards_the_limit(client, counsellor):
    frames = [PILImage.new("L", (2000, 2000), shade) for shade in (0, 80, 160, 240, 40, 200, 120)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    client.force_login(counsellor)
    message = single_errors(upload_single(client, "anime.gif", buffer.getvalue()))
    assert TOO_BIG in message
    assert not Image.objects.exists()


def test_a_sound_image_is_still_accepted_by_both_views(client, counsellor):
    client.force_login(counsellor)
    assert upload_single(client, "capture.png", picture()).status_code == 302
    data = json.loads(upload_multiple(client, "photo.jpg", picture(format="JPEG")).content)
    assert data["success"] is True
    assert Image.objects.count() == 2
