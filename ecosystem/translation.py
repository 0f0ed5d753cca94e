"""Translated fields (django-modeltranslation): one column per language on the same table, so
a page reads its language without a join; the admin edits them side by side."""

from modeltranslation.translator import TranslationOptions, register

from .models import Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")
    # Theme names are unique: a missing translation is NULL, never a second "".
    empty_values = {"name": None}
