"""Every uploaded image is re-encoded here before it is stored.

The bytes a user sends are never kept: Pillow decodes them (refusing decompression bombs and
anything that is not a JPEG, PNG or WebP), the pixels are turned upright by their EXIF
orientation, scaled down to at most IMAGE_MAX_SIDE pixels a side, and written out as a fresh
JPEG with no metadata at all (no EXIF, GPS, XMP, ICC comments or text chunks). The model field
`CleanImageField` calls `reencode_image` in its file's `save()`, so every path that stores an
image (service, web form, admin, shell) goes through it; `tests/test_images.py` checks that no
other file field exists.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from backend.exceptions import ValidationFailed

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
IMAGE_MAX_SIDE = 1600
# Decoded size ceiling (width × height): a 1 KB PNG can claim 50 000 × 50 000 pixels.
IMAGE_MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85


def _limits() -> tuple[int, int]:
    options = getattr(settings, "MEIJIA", {})
    return (
        int(options.get("IMAGE_MAX_SIDE", IMAGE_MAX_SIDE)),
        int(options.get("IMAGE_MAX_PIXELS", IMAGE_MAX_PIXELS)),
    )


def _open(data: bytes, *, field: str, max_pixels: int) -> Image.Image:
    """The decoded image; raises ValidationFailed (`invalid_type`, `too_large`)."""
    not_an_image = ValidationFailed(
        _("照片须为JPEG、PNG或WebP格式。"), field=field, code="invalid_type"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationFailed(_("图片尺寸过大。"), field=field, code="too_large")
            image.load()
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed(_("图片尺寸过大。"), field=field, code="too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    return image


def reencode_image(content, *, field: str = "photo") -> ContentFile:
    """The upload as a new metadata-free JPEG, upright and within the size caps.

    Raises ValidationFailed on `field` (`invalid_type`: not a JPEG/PNG/WebP or broken;
    `too_large`: more pixels than IMAGE_MAX_PIXELS).
    """
    max_side, max_pixels = _limits()
    if hasattr(content, "seek"):
        content.seek(0)
    data = content.read() if hasattr(content, "read") else bytes(content)
    image = _open(data, field=field, max_pixels=max_pixels)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)  # a new image: no info dict, no EXIF carried over
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue())


class CleanImageFieldFile(FieldFile):
    def save(self, name, content, save=True):
        stem = name.rsplit(".", 1)[0] if "." in name else name
        super().save(f"{stem or 'image'}.jpg", reencode_image(content, field=self.field.name), save)


class CleanImageField(models.FileField):
    """A FileField whose every saved file is re-encoded by `reencode_image` (always JPEG)."""

    attr_class = CleanImageFieldFile
