"""An event's time is shown in the event's zone everywhere: list, page, e-mail, iCal, JSON-LD."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from icalendar import Calendar

from ecosystem.notifications.models import Notification
from ecosystem.notifications.services import email_deliver
from events import services
from events.formats import event_jsonld
from events.models import Registration

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LISBON = ZoneInfo("Europe/Lisbon")


def _lisbon_event(day, **kwargs):
    starts = datetime(*day, 9, 0, tzinfo=LISBON)
    return EventFactory(title=f"Lisbon conference {day[2]}", time_zone="Europe/Lisbon",
                        starts_at=starts, ends_at=starts.replace(hour=17), **kwargs)


@pytest.fixture
def future_days(settings):
    # Both sides of the EU change to summer time on 28 March 2027, when Lisbon moves from
    # UTC+0 to UTC+1 and the portal's zone (Zagreb) from UTC+1 to UTC+2.
    return (2027, 3, 26), (2027, 3, 30)


def _card_time(html, title):
    block = html[html.index(title):]
    return re.search(r'class="when"><time[^>]*>([^<]+)</time>', block).group(1)


@pytest.mark.parametrize("portal_zone", ["Europe/Zagreb", "America/New_York", "UTC"])
def test_list_cards_show_the_event_zone_time_on_both_sides_of_a_dst_change(
        client, future_days, portal_zone):
    before, after = (_lisbon_event(day) for day in future_days)
    with override_settings(TIME_ZONE=portal_zone):
        html = client.get("/events/").content.decode()
    for event in (before, after):
        shown = _card_time(html, event.title)
        assert "09:00" in shown, shown
    assert html.count("(Europe/Lisbon)") >= 2


def test_event_page_and_section_agree_with_the_card(client, future_days):
    event = _lisbon_event(future_days[1])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "09:00 (Europe/Lisbon)" in page
    home = client.get("/").content.decode()
    if event.title in home:
        assert "09:00 (Europe/Lisbon)" in home


def test_confirmation_email_rendered_by_a_worker_uses_the_event_zone(citizen, future_days):
    event = _lisbon_event(future_days[0], capacity=5)
    with override_settings(TIME_ZONE="UTC"):
        services.registration_create(event=event, user=citizen)
        notification = Notification.objects.get(recipient=citizen,
                                                kind="events.registration_confirmed")
        email_deliver(notification_id=notification.pk)
    bodies = " ".join(m.body for m in mail.outbox)
    assert "09:00 (Europe/Lisbon)" in bodies
    assert "10:00 (Europe/Lisbon)" not in bodies


def test_ical_and_jsonld_carry_the_same_instant(client, future_days):
    event = _lisbon_event(future_days[1])
    calendar = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.starts_at
    data = event_jsonld(event, places_left=None)
    assert data["startDate"] == "2027-03-30T09:00:00+01:00"


def test_door_code_only_for_a_confirmed_place(client, citizen):
    event = EventFactory(capacity=1)
    first = RegistrationFactory(event=event)
    waiting = services.registration_create(event=event, user=citizen)
    assert waiting.status == Registration.Status.WAITING
    client.force_login(citizen)
    html = client.get(f"/events/registrations/{waiting.code}/").content.decode()
    assert "Show this at the door" not in html and "<svg" not in html
    assert "No door code yet" in html
    services.registration_cancel(registration=first, actor=first.user)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED  # promoted from the waiting list
    html = client.get(f"/events/registrations/{waiting.code}/").content.decode()
    assert "Show this at the door" in html and "<svg" in html and waiting.code in html
