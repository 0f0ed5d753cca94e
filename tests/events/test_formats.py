"""Open formats: iCalendar parses back, JSON-LD is complete, feeds work."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event, Meeting, MeetingRequest, MeetingSlot
from tests.factories import CityFactory, OrganisationFactory, UserFactory

from .factories import EventFactory, MeetingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _events(body: bytes):
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_event_ics_has_uid_sequence_status_and_dtstamp(client, staff):
    event = EventFactory(title="Code sprint")
    body = client.get(f"/events/{event.slug}.ics").content
    (item,) = _events(body)
    assert str(item["UID"]) == f"event-{event.pk}@127.0.0.1"
    assert int(item["SEQUENCE"]) == 0 and str(item["STATUS"]) == "CONFIRMED"
    assert item.get("DTSTAMP") is not None
    assert item.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    services.event_cancel(event=event, actor=staff, reason="Flood")
    (item,) = _events(client.get(f"/events/{event.slug}.ics").content)
    assert str(item["UID"]) == f"event-{event.pk}@127.0.0.1"  # stable
    assert int(item["SEQUENCE"]) == 1 and str(item["STATUS"]) == "CANCELLED"
    assert "Flood" in str(item["DESCRIPTION"])


def test_feed_ics_takes_the_list_filters(client):
    EventFactory(title="Hackathon", kind="hackathon")
    EventFactory(title="Webinar", kind="webinar", mode="online",
                 online_url="https://meet.example.org/w", venue_name="")
    EventFactory(title="Draft", publication=Event.Publication.DRAFT)
    summaries = {str(e["SUMMARY"]) for e in _events(client.get("/events/feed.ics").content)}
    assert summaries == {"Hackathon", "Webinar"}
    filtered = _events(client.get("/events/feed.ics?kind=hackathon").content)
    assert [str(e["SUMMARY"]) for e in filtered] == ["Hackathon"]
    assert "meet.example.org" not in client.get("/events/feed.ics").content.decode()


def test_agenda_feed_has_registrations_and_published_meetings_only(client, staff):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None, mode="hybrid",
                         online_url="https://meet.example.org/b2b")
    me, other = UserFactory(full_name="Ana"), UserFactory(full_name="Jonas")
    RegistrationFactory(event=event, user=me)
    RegistrationFactory(event=event, user=other)
    services.session_save(session=MeetingSessionFactory.build(event=event), actor=staff)
    request = MeetingRequest.objects.create(event=event, requester=me, recipient=other,
                                            message="Hi", status="accepted")
    slot = MeetingSlot.objects.first()
    meeting = Meeting.objects.create(request=request, event=event, slot=slot, table=2)
    token = services.agenda_token_get(user=me).token
    items = _events(client.get(f"/events/agenda/{token}.ics").content)
    assert [str(i["UID"]) for i in items] == [f"event-{event.pk}@127.0.0.1"]
    assert "meet.example.org/b2b" in str(items[0]["DESCRIPTION"])  # holds a place
    meeting.published = True
    meeting.save()
    items = _events(client.get(f"/events/agenda/{token}.ics").content)
    meeting_item = next(i for i in items if str(i["UID"]).startswith("meeting-"))
    assert "Jonas" in str(meeting_item["SUMMARY"]) and "Table 2" in str(meeting_item["LOCATION"])
    assert meeting_item.decoded("DTSTART") == slot.starts_at.replace(microsecond=0)
    new_token = services.agenda_token_get(user=me, regenerate=True).token
    assert client.get(f"/events/agenda/{token}.ics").status_code == 404
    assert client.get(f"/events/agenda/{new_token}.ics").status_code == 200


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_jsonld_is_complete_for_an_in_person_event(client):
    city = CityFactory(name="Trento", country="IT")
    organiser = OrganisationFactory(name="Comune di Trento", slug="comune-di-trento")
    event = EventFactory(title="Code <sprint>", city=city, capacity=2, organisers=[organiser],
                         time_zone="Europe/Rome")
    data = _jsonld(client.get(f"/events/{event.slug}/").content.decode())
    for key in ("name", "startDate", "endDate", "location", "eventStatus",
                "eventAttendanceMode", "organizer", "description", "offers"):
        assert data[key], key
    assert data["@type"] == "Event" and data["name"] == "Code <sprint>"
    assert re.search(r"[+-]\d\d:\d\d$", data["startDate"])  # an offset
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"]["addressLocality"] == "Trento"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"][0]["name"] == "Comune di Trento"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    data = _jsonld(client.get(f"/events/{event.slug}/").content.decode())
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_jsonld_of_an_online_event_is_a_virtual_location_without_the_link(client, staff):
    event = EventFactory(mode="online", online_url="https://meet.example.org/secret",
                         venue_name="", street_address="", latitude=None, longitude=None)
    html = client.get(f"/events/{event.slug}/").content.decode()
    data = _jsonld(html)
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert "secret" not in html
    services.event_cancel(event=event, actor=staff, reason="No speakers")
    data = _jsonld(client.get(f"/events/{event.slug}/").content.decode())
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_rss_and_atom_list_upcoming_events(client):
    EventFactory(title="Upcoming info day")
    EventFactory(title="Long gone", starts_at=timezone.now() - timedelta(days=30))
    rss = client.get("/events/feed.rss")
    atom = client.get("/events/feed.atom")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for response in (rss, atom):
        text = response.content.decode()
        assert "Upcoming info day" in text and "Long gone" not in text
