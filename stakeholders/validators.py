import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def validate_logo(file) -> None:
    """A logo must really be a PNG, JPEG, WebP or GIF image (checked by content) under 2 MB."""
    if file.size and file.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo must be smaller than 2 MB."), code="file_too_large")
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Upload a valid image file."), code="invalid_image") from exc
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(
            _("The logo must be a PNG, JPEG, WebP or GIF image."), code="invalid_image"
        )


CPV_CODE_RE = re.compile(r"^\d{8}-\d$")


def validate_cpv_list(value) -> None:
    """A list of CPV codes (format ########-#), each once."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give CPV codes as a list of texts."), code="invalid")
    bad = [code for code in value if not CPV_CODE_RE.match(code)]
    if bad:
        raise ValidationError(_("Not CPV codes (format ########-#): %(codes)s"),
                              params={"codes": ", ".join(bad)}, code="invalid_cpv")
    if len(set(value)) != len(value):
        raise ValidationError(_("A CPV code is listed twice."), code="duplicate_cpv")
