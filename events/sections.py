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


def my_registrations(*, viewer) -> Section | None:
    """My portal: the person's coming events (confirmed or waiting), nearest first."""
    from django.utils import timezone

    from .models import Registration

    registrations = list(
        selectors.my_registrations(user=viewer)
        .filter(event__ends_at__gte=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("event__starts_at", "id")[:5]
    )
    if not registrations:
        return None
    return Section(
        title=_("Your coming events"), template="events/sections/my_registrations.html",
        context={"registrations": registrations}, order=10,
        url=reverse("events:my-registrations"),
    )
