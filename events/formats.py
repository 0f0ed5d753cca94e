"""Open formats of events: iCalendar (RFC 5545) and schema.org Event JSON-LD."""

from __future__ import annotations

import json
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from .models import Event, Meeting, Registration


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{_host()}"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.request_id}@{_host()}"


def _location(event: Event) -> str:
    if not event.has_venue:
        return _("Online")
    parts = [event.venue_name, event.street_address,
             " ".join(p for p in (event.postal_code, event.city.name if event.city else "") if p)]
    return ", ".join(p for p in parts if p)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _vevent(event: Event, *, now, online_url: str = "") -> VEvent:
    item = VEvent()
    item.add("uid", event_uid(event))
    item.add("dtstamp", now)
    item.add("last-modified", event.updated_at)
    item.add("dtstart", event.starts_at.astimezone(UTC))
    item.add("dtend", event.ends_at.astimezone(UTC))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    description = event.summary or event.description
    if event.status_reason and event.status != Event.Status.SCHEDULED:
        description = f"{event.get_status_display()}: {event.status_reason}\n\n{description}"
    if online_url:
        description = f"{description}\n\n{_('Online')}: {online_url}"
    item.add("description", description.strip())
    item.add("location", _location(event))
    if event.latitude is not None and event.longitude is not None and event.has_venue:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    item.add("url", settings.SITE_URL + event.get_absolute_url())
    item.add("status", {
        Event.Status.CANCELLED: "CANCELLED",
        Event.Status.POSTPONED: "TENTATIVE",
    }.get(event.status, "CONFIRMED"))
    item.add("categories", [event.get_kind_display()])
    item.add("transp", "OPAQUE")
    for organiser in list(event.organisers.all())[:1]:
        address = vCalAddress(f"mailto:noreply@{_host()}")
        address.params["cn"] = vText(organiser.name)
        item.add("organizer", address)
    return item


def event_calendar(events, *, name: str, now=None) -> bytes:
    now = now or timezone.now()
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, now=now))
    return calendar.to_ical()


def agenda_calendar(*, user, registrations, meetings, now=None) -> bytes:
    """A person's agenda: the events they registered for (with the online link when they
    hold a place) and their published B2B meetings."""
    now = now or timezone.now()
    calendar = _calendar(f"{settings.SITE_NAME}: {user.get_full_name()}")
    for registration in registrations:
        event = registration.event
        online = event.online_url if (registration.holds_place and event.is_online) else ""
        item = _vevent(event, now=now, online_url=online)
        if registration.status == Registration.Status.WAITING:
            item["status"] = "TENTATIVE"
            item["summary"] = _("[waiting list] %(title)s") % {"title": event.title}
        calendar.add_component(item)
    for meeting in meetings:
        request = meeting.request
        other = request.recipient if request.requester_id == user.pk else request.requester
        item = VEvent()
        item.add("uid", meeting_uid(meeting))
        item.add("dtstamp", now)
        item.add("dtstart", meeting.slot.starts_at.astimezone(UTC))
        item.add("dtend", meeting.slot.ends_at.astimezone(UTC))
        item.add("sequence", meeting.event.sequence)
        item.add("summary", _("B2B meeting: %(name)s") % {"name": other.get_full_name()})
        item.add("location", _("Table %(table)s, %(event)s") % {"table": meeting.table,
                                                              "event": meeting.event.title})
        item.add("description", request.message)
        item.add("status", "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()


SCHEMA_STATUS = {
    Event.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
    Event.Status.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}
SCHEMA_MODE = {
    Event.Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Mode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(event: Event, *, places_left: int | None) -> dict:
    """schema.org Event for search engines. The online link is never in it (it is only for
    confirmed participants): the VirtualLocation points at the event page."""
    url = settings.SITE_URL + event.get_absolute_url()
    mode = SCHEMA_MODE[event.mode]
    if event.status == Event.Status.MOVED_ONLINE:
        mode = SCHEMA_MODE[Event.Mode.ONLINE]
    locations = []
    if event.has_venue:
        place = {
            "@type": "Place",
            "name": event.venue_name or (event.city.name if event.city else ""),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.street_address,
                "postalCode": event.postal_code,
                "addressLocality": event.city.name if event.city else "",
                "addressCountry": event.city.country if event.city else "",
            },
        }
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": float(event.latitude),
                            "longitude": float(event.longitude)}
        locations.append(place)
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": url})
    sold_out = places_left is not None and places_left <= 0
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary or event.description[:500],
        "startDate": event.local_starts_at.isoformat(),
        "endDate": event.local_ends_at.isoformat(),
        "eventStatus": SCHEMA_STATUS[event.status],
        "eventAttendanceMode": mode,
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": [
            {"@type": "Organization", "name": organiser.name,
             "url": settings.SITE_URL + organiser.get_absolute_url()}
            for organiser in event.organisers.all()
        ] or {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL},
        "inLanguage": event.language,
        "url": url,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": url,
            "availability": "https://schema.org/SoldOut" if sold_out
            else "https://schema.org/InStock",
            "validFrom": (event.registration_opens_at or event.published_at
                          or event.created_at).isoformat(),
        },
    }
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = max(places_left or 0, 0)
    return data


def jsonld_script_body(data: dict) -> str:
    """JSON safe to put inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
