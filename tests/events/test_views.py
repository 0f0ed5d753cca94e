from datetime import timedelta

import pytest
from django.utils import timezone

from ecosystem.search.index import rebuild as rebuild_search_index
from events import services
from events.models import CooperationProfile, Event, MeetingRequest, Registration, Unavailability
from tests.factories import UserFactory

from .factories import EventFactory, MeetingSessionFactory, ProfileFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_register_on_the_page(client, citizen):
    event = EventFactory(capacity=1)
    client.force_login(citizen)
    response = client.post(f"/events/{event.slug}/register/", follow=True)
    registration = Registration.objects.get(event=event, user=citizen)
    assert registration.status == "confirmed"
    assert response.redirect_chain[-1][0] == f"/events/registrations/{registration.code}/"
    html = response.content.decode()
    assert registration.code in html and "<svg" in html  # the QR code


def test_full_event_page_offers_the_waiting_list_and_shows_the_position(client, citizen):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(citizen)
    assert "Join the waiting list" in client.get(f"/events/{event.slug}/").content.decode()
    client.post(f"/events/{event.slug}/register/")
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "You are number 1 on the waiting list" in page


def test_registration_after_closing_time_is_refused_on_the_page(client, citizen):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(citizen)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Registration has closed." in page
    response = client.post(f"/events/{event.slug}/register/", follow=True)
    assert not Registration.objects.filter(event=event).exists()
    assert "Registration for this event has closed." in _messages(response)


def test_online_link_only_for_confirmed_participants(client, citizen):
    event = EventFactory(mode="hybrid", online_url="https://meet.example.org/secret-room")
    assert "secret-room" not in client.get(f"/events/{event.slug}/").content.decode()
    client.force_login(citizen)
    assert "secret-room" not in client.get(f"/events/{event.slug}/").content.decode()
    RegistrationFactory(event=event, user=citizen)
    assert "secret-room" in client.get(f"/events/{event.slug}/").content.decode()


def test_cancel_on_the_page(client, citizen):
    registration = RegistrationFactory(user=citizen)
    client.force_login(citizen)
    client.post(f"/events/registrations/{registration.code}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_map_only_with_a_tile_server(client, settings):
    event = EventFactory()
    settings.MAP_TILE_URL = ""
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "static-map" not in html and "openstreetmap.org/?mlat=45.327063" in html
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert "static-map" in html and "https://tiles.example.org/15/" in html


def test_list_filters_and_calendar(client):
    start = timezone.now().replace(day=10, hour=10) + timedelta(days=40)
    EventFactory(title="Hackathon in Trento", kind="hackathon", starts_at=start)
    EventFactory(title="Webinar on data", kind="webinar", mode="online", venue_name="",
                 online_url="https://meet.example.org/w", starts_at=start + timedelta(days=1))
    html = client.get("/events/?kind=hackathon").content.decode()
    assert "Hackathon in Trento" in html and "Webinar on data" not in html
    rebuild_search_index()  # factories write rows directly, not through services
    html = client.get("/events/?q=data").content.decode()
    assert "Webinar on data" in html and "Hackathon in Trento" not in html
    day = start.date()
    html = client.get(f"/events/?date_from={day}&date_to={day}").content.decode()
    assert "Hackathon in Trento" in html and "Webinar on data" not in html
    html = client.get(f"/events/calendar/?month={start:%Y-%m}").content.decode()
    assert "<table" in html and "Hackathon in Trento" in html and "<th scope=\"col\">" in html
    assert client.get("/events/calendar/?month=garbage").status_code == 200


def test_check_in_page_and_attendance_csv(client, staff):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=1))
    registration = RegistrationFactory(event=event, user=UserFactory(full_name="=HYPERLINK()"))
    client.force_login(staff)
    response = client.post(f"/events/{event.slug}/check-in/", {"code": registration.code},
                           follow=True)
    assert any("Checked in" in m for m in _messages(response))
    registration.refresh_from_db()
    assert registration.status == "attended"
    assert client.get(f"/events/{event.slug}/check-in/count/").json()["attended"] == 1
    response = client.post(f"/events/{event.slug}/check-in/", {"code": "NOPE"}, follow=True)
    assert any("No registration" in m for m in _messages(response))
    body = b"".join(client.get(f"/events/{event.slug}/attendance.csv").streaming_content)
    text = body.decode()
    assert registration.code in text and "'=HYPERLINK()" in text


def test_propose_an_event_on_the_page(client, admin_a, org_a):
    client.force_login(admin_a)
    start = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    end = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT12:00")
    response = client.post("/events/propose/", {
        "title": "Open data breakfast", "kind": "workshop", "mode": "in_person",
        "language": "en", "organisers": [org_a.pk], "venue_name": "City library",
        "time_zone": "Europe/Rome", "starts_at": start, "ends_at": end,
    })
    event = Event.objects.get(title="Open data breakfast")
    assert response.status_code == 302 and event.publication == "proposed"
    assert event.local_starts_at.hour == 10 and event.time_zone == "Europe/Rome"
    assert client.get("/events/").status_code == 200


def test_marketplace_profile_request_and_availability(client, staff):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    me, other = UserFactory(), UserFactory()
    RegistrationFactory(event=event, user=me)
    RegistrationFactory(event=event, user=other)
    services.session_save(session=MeetingSessionFactory.build(event=event), actor=staff)
    theirs = ProfileFactory(event=event, user=other, title="5G test bed")
    client.force_login(me)
    response = client.post(f"/events/{event.slug}/marketplace/profile/", {
        "direction": "request", "type": "pilot_site", "title": "A street for sensors",
        "description": "200 parking sensors", "is_active": "on"})
    assert response.status_code == 302
    assert CooperationProfile.objects.filter(user=me, title="A street for sensors").exists()
    html = client.get(f"/events/{event.slug}/marketplace/?type=technology").content.decode()
    assert "<h3>5G test bed</h3>" in html and "<h3>A street for sensors</h3>" not in html
    client.post(f"/events/{event.slug}/marketplace/{theirs.pk}/request/", {"message": "Meet?"})
    assert MeetingRequest.objects.get(requester=me).recipient == other
    slot = event.meeting_sessions.get().slots.first()
    client.post(f"/events/{event.slug}/availability/", {"unavailable": [slot.pk]})
    assert list(Unavailability.objects.filter(user=me).values_list("slot", flat=True)) == [slot.pk]


def test_scheduler_page_runs_and_publishes(client, staff, django_capture_on_commit_callbacks):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    a, b = UserFactory(), UserFactory()
    RegistrationFactory(event=event, user=a)
    RegistrationFactory(event=event, user=b)
    services.session_save(session=MeetingSessionFactory.build(event=event), actor=staff)
    request = services.meeting_request_create(event=event, requester=a, recipient=b,
                                              message="Hi")
    services.meeting_request_accept(request=request, actor=b)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.slug}/scheduler/", {"action": "run"})
    status = client.get(f"/events/{event.slug}/scheduler/status/").json()
    assert status["status"] == "done" and status["placed"] == 1
    client.post(f"/events/{event.slug}/scheduler/", {"action": "publish"})
    client.force_login(a)
    assert "table" in client.get("/events/agenda/").content.decode().lower()


def test_admin_actions(client, staff):
    proposed = EventFactory(publication=Event.Publication.PROPOSED)
    scheduled = EventFactory()
    RegistrationFactory(event=scheduled)
    staff.is_superuser = True  # staff get admin rights through groups; a superuser has them all
    staff.save()
    client.force_login(staff)
    client.post("/admin/events/event/", {"action": "publish", "_selected_action": [proposed.pk]})
    proposed.refresh_from_db()
    assert proposed.publication == "published"
    form = client.post("/admin/events/event/", {"action": "change_status",
                                                "_selected_action": [scheduled.pk]})
    assert form.status_code == 200 and b"Public reason" in form.content
    client.post("/admin/events/event/", {
        "action": "change_status", "_selected_action": [scheduled.pk], "apply": "1",
        "change": "cancel", "reason": "Venue closed"})
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.status_reason) == ("cancelled", "Venue closed")
    response = client.post("/admin/events/event/", {
        "action": "export_attendance", "_selected_action": [scheduled.pk]})
    assert b"Test Person" in b"".join(response.streaming_content)
