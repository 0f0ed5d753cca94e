"""What events contribute to the portal's search (registered in ``apps.py``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.search.registry import Document, SearchableKind, register, translations

from . import permissions
from .filters import EventFilter
from .models import Event


def event_document(event: Event) -> Document:
    city = event.city
    return Document(
        title=event.title,
        body=" ".join(filter(None, [event.summary, event.description, event.venue_name,
                                    city.name if city else "",
                                    *(o.name for o in event.organisers.all())])),
        url=event.get_absolute_url(),
        theme_ids=tuple(theme.pk for theme in event.themes.all()),
        city=city.name if city else "",
        country=city.country if city else "",
        date=timezone.localdate(event.starts_at),
        published_at=(event.published_at or event.created_at)
        if event.publication == Event.Publication.PUBLISHED else None,
        language=event.language,
        translations=translations(event, title="title", body=("summary", "description")),
    )


def register_search() -> None:
    register(SearchableKind(
        key="events.event", label=_("Event"), model=Event, order=20,
        document=event_document,
        visible_to=permissions.events_visible_to,
        indexed=lambda: Event.objects.select_related("city").prefetch_related(
            "themes", "organisers"),
        list_url_name="events:event-list",
        list_filter=lambda viewer, params: EventFilter(
            params, queryset=permissions.events_visible_to(viewer)).qs,
        feed_url_name="events:feed-rss",
    ))
