"""What is searchable. Each feature app registers its kinds in ``AppConfig.ready()``::

    from ecosystem.search.registry import SearchableKind, register
    register(SearchableKind(
        key="procurement.call", label=_("Call"), model=Call, order=20,
        document=call_document,             # Call -> Document (title, body, facets, url)
        visible_to=permissions.calls_visible_to,   # viewer -> QuerySet of rows they may open
        indexed=lambda: Call.objects.exclude(status=Call.Status.DRAFT) ...,  # rows in the index
        list_url_name="procurement:call-list",
        list_filter=lambda viewer, params: CallFilter(params, calls_visible_to(viewer)).qs,
    ))

The services keep the index current after commit with ``ecosystem.search.index.refresh(obj)``
(upsert, or delete when the row left ``indexed()``) and ``index.remove(obj)`` before a delete.
The platform never imports a feature app: it only reads this registry.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation


@dataclass(frozen=True)
class Document:
    """One searchable row, as the index stores it."""

    title: str
    url: str
    body: str = ""
    theme_ids: tuple[int, ...] = ()
    city: str = ""
    country: str = ""
    helix: str = ""
    date: dt.date | None = None
    # When the row became public; saved searches alert only for rows newer than themselves.
    published_at: dt.datetime | None = None
    # Language of the untranslated text (e.g. an event's language); default LANGUAGE_CODE.
    language: str = ""
    # Translated variants, language -> (title, body): searched in every language.
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchableKind:
    key: str
    label: str
    model: type[models.Model]
    document: Callable[[models.Model], Document]
    visible_to: Callable[..., models.QuerySet]
    # Rows that belong in the index at all (with the select/prefetch the builder needs).
    # Default: every row. Visibility per viewer is applied at query time by ``visible_to``.
    indexed: Callable[[], models.QuerySet] | None = None
    order: int = 100
    # The list page of this kind, for "Alert me" on it, and how to apply its filters.
    list_url_name: str = ""
    list_filter: Callable[..., models.QuerySet] | None = None
    # The list's public feed (RSS/iCal), offered to anonymous visitors instead of alerts.
    feed_url_name: str = ""

    def indexed_queryset(self) -> models.QuerySet:
        return self.indexed() if self.indexed else self.model._default_manager.all()


_KINDS: dict[str, SearchableKind] = {}
_FACET_LABELS: dict[str, dict[str, str]] = {}


def register(kind: SearchableKind) -> SearchableKind:
    _KINDS[kind.key] = kind
    return kind


def register_facet_labels(facet: str, labels) -> None:
    """How facet values read (e.g. ``country`` "HR" -> "Croatia"); ``labels`` is a dict or
    Django ``choices``."""
    _FACET_LABELS.setdefault(facet, {}).update(dict(labels))


def facet_label(facet: str, value) -> str:
    return str(_FACET_LABELS.get(facet, {}).get(value, value))


def all_kinds() -> list[SearchableKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def get_kind(key: str) -> SearchableKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown searchable kind {key!r}: register it first.") from None


def kind_for_model(model: type[models.Model]) -> SearchableKind | None:
    label = model._meta.label_lower
    for kind in _KINDS.values():
        if kind.model._meta.label_lower == label:
            return kind
    return None


def kind_for_list(url_name: str) -> SearchableKind | None:
    for kind in _KINDS.values():
        if kind.list_url_name and kind.list_url_name == url_name:
            return kind
    return None


def translations(obj: models.Model, *, title: str, body: tuple[str, ...] = ()) -> dict:
    """Translated variants of ``title`` and ``body`` fields added by django-modeltranslation
    (``<field>_hr``, ``_de``, ``_it``): language -> (title, body). Empty without them."""
    variants = {}
    for language, _name in settings.LANGUAGES:
        if language == settings.LANGUAGE_CODE:
            continue
        title_text = getattr(obj, f"{title}_{language}", "") or ""
        body_text = " ".join(getattr(obj, f"{name}_{language}", "") or "" for name in body).strip()
        if title_text or body_text:
            variants[language] = (title_text, body_text)
    return variants


def build_document(kind: SearchableKind, obj: models.Model) -> Document:
    """The row's document in the default language (translated fields read their base value)."""
    with translation.override(settings.LANGUAGE_CODE):
        return kind.document(obj)
