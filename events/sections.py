"""What events contribute to pages of other apps (see ecosystem/sections.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.sections import Section

from . import selectors


def upcoming_events(*, viewer) -> Section | None:
    events = list(selectors.event_upcoming()[:3])
    if not events:
        return None
    return Section(
        title=_("Upcoming events"), template="events/sections/upcoming.html",
        context={"events": events}, order=10, url=reverse("events:event-list"),
    )
