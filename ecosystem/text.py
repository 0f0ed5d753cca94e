"""Text typed by people and derived from it: control characters, length limits, slugs."""

import re

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecosystem.errors import InvalidInput

# Control characters a person never means to type (tab, line feed and carriage return stay).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The longest free text anyone may send where a field sets no limit of its own.
TEXT_MAX_LENGTH = 20_000
# A password is hashed on every try: bounded, so a huge one cannot tie up a worker.
PASSWORD_MAX_LENGTH = 4096


def strip_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def plain_text(value, *, field: str, max_length: int, required: bool = True) -> str:
    """Clean text typed by a person: control characters removed, kept as plain text (it is
    escaped wherever it is shown, never interpreted as HTML), length checked."""
    text = strip_controls(str(value or "")).replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidInput(_("Please write something."), fields={field: [_("This field is required.")]})
    if len(text) > max_length:
        message = _("Please keep it under %(max)d characters (you wrote %(length)d).") % {
            "max": max_length, "length": len(text)}
        raise InvalidInput(message, fields={field: [message]})
    return text


def unique_slug(model: type[models.Model], text: str, *, field: str = "slug", max_length=None) -> str:
    """A slug for ``text`` not yet used in ``model`` (``name``, ``name-2``, ``name-3`` ...)."""
    max_length = max_length or model._meta.get_field(field).max_length
    base = (slugify(text) or model._meta.model_name)[: max_length - 8].strip("-")
    taken = set(
        model.objects.filter(**{f"{field}__startswith": base}).values_list(field, flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
