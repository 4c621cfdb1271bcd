"""Lead images: what an upload must be, and the resized renditions pages use."""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 20_000_000
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_QUALITY = 80


def validate_lead_image(file):
    """A real JPEG, PNG or WebP of at most 10 MB and 20 megapixels."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("This image weighs %(size)s MB; the limit is 10 MB."),
            code="image_too_heavy",
            params={"size": formats.number_format(file.size / 1024 / 1024, 1)},
        )
    try:
        file.seek(0)
        # Opening reads only the header: the size is known before any decoding.
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            if width * height <= MAX_PIXELS:
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ):
        raise ValidationError(
            _("This file is not a readable image. Upload a JPEG, PNG or WebP file."),
            code="image_unreadable",
        ) from None
    finally:
        file.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Images in %(format)s format are not accepted. Upload a JPEG, PNG or WebP file."),
            code="image_format",
            params={"format": image_format},
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("This image measures %(width)s × %(height)s pixels; the limit is 20 megapixels."),
            code="image_too_large",
            params={"width": width, "height": height},
        )


def open_image(field_file):
    """The image decoded once, upright, in RGB (RGBA when transparent)."""
    field_file.open("rb")
    try:
        with Image.open(field_file) as source:
            image = ImageOps.exif_transpose(source)
            return image.convert("RGBA" if _has_alpha(image) else "RGB")
    finally:
        field_file.close()


def make_renditions(field_file, image=None) -> list[list]:
    """Write WebP copies of an image at the rendition widths; return [[width, height, name], …]."""
    image = image or open_image(field_file)
    stem = PurePosixPath(field_file.name).stem
    widths = [w for w in RENDITION_WIDTHS if w < image.width] or [image.width]
    if image.width < RENDITION_WIDTHS[-1] and image.width not in widths:
        widths.append(image.width)
    renditions = []
    try:
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            resized.save(buffer, "WEBP", quality=RENDITION_QUALITY, method=4)
            name = default_storage.save(
                f"renditions/{stem}-{width}.webp", ContentFile(buffer.getvalue())
            )
            renditions.append([width, height, name])
    except Exception:
        delete_renditions(renditions)  # no half set of files left behind
        raise
    return renditions


CARD_RATIO = (16, 9)
CARD_WIDTHS = (480, 960)
# Open Graph's recommended size; JPEG (PNG when transparent): not every network reads WebP.
SHARE_SIZE = (1200, 630)


def crop_box(size, ratio, focus):
    """The largest box of that ratio inside an image of that size, centred as near the focal
    point (0–100 % from the left and the top) as the edges allow."""
    width, height = size
    box_w = min(width, round(height * ratio[0] / ratio[1]))
    box_h = min(height, round(box_w * ratio[1] / ratio[0]))
    left = min(max(0, round(width * focus[0] / 100 - box_w / 2)), width - box_w)
    top = min(max(0, round(height * focus[1] / 100 - box_h / 2)), height - box_h)
    return left, top, left + box_w, top + box_h


def make_crops(field_file, focus, image=None) -> list[list]:
    """Crops around the focal point: 16:9 WebP for cards, and the share image. Returns
    [[kind, width, height, name], …]."""
    image = image or open_image(field_file)
    stem = PurePosixPath(field_file.name).stem
    crops = []
    try:
        card = image.crop(crop_box(image.size, CARD_RATIO, focus))
        widths = [w for w in CARD_WIDTHS if w <= card.width] or [card.width]
        for width in widths:
            height = round(width * CARD_RATIO[1] / CARD_RATIO[0])
            buffer = BytesIO()
            card.resize((width, height), Image.Resampling.LANCZOS).save(
                buffer, "WEBP", quality=RENDITION_QUALITY, method=4
            )
            name = default_storage.save(
                f"renditions/{stem}-card-{width}.webp", ContentFile(buffer.getvalue())
            )
            crops.append(["card", width, height, name])
        share = image.crop(crop_box(image.size, SHARE_SIZE, focus)).resize(
            SHARE_SIZE, Image.Resampling.LANCZOS
        )
        buffer = BytesIO()
        if share.mode == "RGBA":
            share.save(buffer, "PNG", optimize=True)
            extension = "png"
        else:
            share.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
            extension = "jpg"
        name = default_storage.save(
            f"renditions/{stem}-share.{extension}", ContentFile(buffer.getvalue())
        )
        crops.append(["share", *SHARE_SIZE, name])
    except Exception:
        delete_crops(crops)
        raise
    return crops


def delete_crops(crops):
    for *_kind_and_size, name in crops:
        default_storage.delete(name)


def delete_renditions(renditions):
    for _width, _height, name in renditions:
        default_storage.delete(name)


def _has_alpha(image):
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )
