from django.db import models
from django.utils.text import slugify


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
