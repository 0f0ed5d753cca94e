"""Content written in several languages (django-modeltranslation fields, ``<app>/translation.py``).

``obj.title`` already reads the reader's language, falling back to the first language the text
exists in (MODELTRANSLATION_FALLBACK_LANGUAGES). ``localised(obj, "title")`` also says which
language that is, so a page can mark it (``lang`` attribute) and tell the reader ("Available in
Croatian only"). ``in_any_language`` lets a text search find content in every language."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator


def translated_fields(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def portal_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _reader_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in portal_languages() else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Localised:
    text: str
    language: str  # the language ``text`` is written in
    reader_language: str
    available: tuple[str, ...]  # every language the text exists in

    def __str__(self):
        return self.text

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.reader_language

    @property
    def language_name(self) -> str:
        return get_language_info(self.language)["name_translated"]

    @property
    def note(self) -> str:
        if not self.is_fallback:
            return ""
        if len(self.available) == 1:
            return _("Available in %(language)s only") % {"language": self.language_name}
        return _("Not yet translated into your language; shown in %(language)s") % {
            "language": self.language_name
        }


def localised(obj, field: str) -> Localised:
    reader = _reader_language()
    if field not in translated_fields(type(obj)):
        return Localised(str(getattr(obj, field) or ""), reader, reader, (reader,))
    values = {code: getattr(obj, f"{field}_{code}", None) for code in portal_languages()}
    available = tuple(code for code, value in values.items() if value)
    order = [reader] + [c for c in settings.MODELTRANSLATION_FALLBACK_LANGUAGES if c != reader]
    for code in order:
        if values.get(code):
            return Localised(values[code], code, reader, available)
    # Nothing in any language column: the base column (rows written before translations).
    return Localised(str(obj.__dict__.get(field) or ""), reader, reader, available)


def in_any_language(model, lookup: str, value) -> Q:
    """``Q(title__icontains=value)`` over every language column of a translated field (a
    plain lookup otherwise): a reader searching in German also finds what exists in Croatian."""
    field, _sep, rest = lookup.partition("__")
    if field not in translated_fields(model):
        return Q(**{lookup: value})
    query = Q()
    for code in portal_languages():
        query |= Q(**{f"{field}_{code}" + (f"__{rest}" if rest else ""): value})
    return query


def translations_set(model, rows: dict[str, dict[str, dict[str, str]]], *, key: str = "slug") -> int:
    """Demo data and imports: ``{slug: {"name": {"hr": "...", "de": "..."}}}`` written into
    the language columns of existing rows (idempotent); returns the number of rows updated."""
    updated = 0
    for value, fields in rows.items():
        columns = {f"{field}_{code}": text for field, texts in fields.items()
                   for code, text in texts.items()}
        updated += model.objects.filter(**{key: value}).update(**columns)
    return updated


def language_columns(*fields: str) -> tuple[str, ...]:
    """``("title_en", "title_hr", ...)``: the columns services accept beside ``title``."""
    return tuple(f"{field}_{code}" for field in fields for code in portal_languages())


def first_text(fields: dict, field: str) -> str:
    """``fields["title"]``, or the first language column of it that has a text."""
    candidates = [field] + [f"{field}_{code}" for code in settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    return next((fields[name] for name in candidates if fields.get(name)), "")
