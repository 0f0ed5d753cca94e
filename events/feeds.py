"""RSS and Atom feeds of upcoming events."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors


class UpcomingEventsFeed(Feed):
    title = _("Upcoming events")
    link = reverse_lazy("events:event-list")
    description = _("Conferences, workshops, hackathons, webinars and B2B matchmaking of the "
                    "smart-city innovation ecosystem.")

    def items(self):
        return selectors.event_upcoming()[:50]

    def item_title(self, item):
        prefix = "" if item.status == item.Status.SCHEDULED else f"[{item.get_status_display()}] "
        return f"{prefix}{item.title} ({item.local_starts_at:%d %b %Y})"

    def item_description(self, item):
        return item.summary or item.description[:500]

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_categories(self, item):
        return [item.get_kind_display(), *(theme.name for theme in item.themes.all())]


class UpcomingEventsAtomFeed(UpcomingEventsFeed):
    feed_type = Atom1Feed
    subtitle = UpcomingEventsFeed.description
