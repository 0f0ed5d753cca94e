"""What events contribute to the portal's search (registered in ``apps.py``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.search.registry import Document, SearchableKind, register, translations

from . import permissions
from .filters import EventFilter
from .models import CooperationProfile, Event


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


def profile_document(profile: CooperationProfile) -> Document:
    event = profile.event
    organisation = profile.organisation
    return Document(
        title=profile.title,
        body=" ".join(filter(None, [profile.description, profile.get_direction_display(),
                                    profile.get_type_display(), event.title,
                                    organisation.name if organisation else ""])),
        url=reverse("events:marketplace", kwargs={"slug": event.slug}) + f"#profile-{profile.pk}",
        theme_ids=tuple(theme.pk for theme in profile.themes.all()),
        city=event.city.name if event.city_id else "",
        country=event.city.country if event.city_id else "",
        helix=organisation.helix if organisation else "",
        date=timezone.localdate(event.starts_at),
        published_at=profile.created_at,
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
    register(SearchableKind(
        key="events.cooperation_profile", label=_("Cooperation offer or request"),
        model=CooperationProfile, order=25, document=profile_document,
        visible_to=permissions.profiles_visible_to,
        indexed=lambda: CooperationProfile.objects.filter(is_active=True).select_related(
            "event__city", "organisation").prefetch_related("themes"),
    ))
