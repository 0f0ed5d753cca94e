from datetime import timedelta

import pytest
from django.utils import timezone

from ecosystem.search.index import rebuild as rebuild_search_index
from events.models import Event, MeetingRequest, Registration
from tests.factories import ThemeFactory, UserFactory

from .factories import EventFactory, ProfileFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_list_defaults_to_upcoming_and_takes_the_page_filters(api):
    theme = ThemeFactory(slug="mobility")
    upcoming = EventFactory(title="Mobility day", kind="info_day")
    upcoming.themes.add(theme)
    EventFactory(title="Energy webinar", kind="webinar", mode="online",
                 online_url="https://meet.example.org/x", venue_name="")
    EventFactory(title="Old", starts_at=timezone.now() - timedelta(days=3))
    EventFactory(title="Hidden", publication=Event.Publication.DRAFT)
    titles = {row["title"] for row in api.get("/api/v1/events/").json()["results"]}
    assert titles == {"Mobility day", "Energy webinar"}
    assert [r["title"] for r in api.get("/api/v1/events/?theme=mobility").json()["results"]] \
        == ["Mobility day"]
    assert [r["title"] for r in api.get("/api/v1/events/?mode=online").json()["results"]] \
        == ["Energy webinar"]
    assert [r["title"] for r in api.get("/api/v1/events/?when=past").json()["results"]] \
        == ["Old"]
    rebuild_search_index()  # factories write rows directly, not through services
    assert [r["title"] for r in api.get("/api/v1/events/?q=energy").json()["results"]] \
        == ["Energy webinar"]


def test_event_shows_places_left_but_never_the_online_link(api):
    event = EventFactory(capacity=3, mode="hybrid", online_url="https://meet.example.org/secret")
    RegistrationFactory(event=event)
    data = api.get(f"/api/v1/events/{event.pk}/").json()
    assert data["places_left"] == 2
    assert data["registration_state"] == "open"
    assert "secret" not in str(data)


def test_register_and_cancel_through_the_api(api, citizen):
    event = EventFactory(capacity=1, mode="hybrid", online_url="https://meet.example.org/secret")
    api.force_authenticate(citizen)
    response = api.post(f"/api/v1/events/{event.pk}/register/", {}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed"
    assert response.json()["online_url"] == "https://meet.example.org/secret"
    again = api.post(f"/api/v1/events/{event.pk}/register/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_registered"
    assert set(again.json()) == {"message", "code", "fields"}
    cancelled = api.post(f"/api/v1/events/{event.pk}/cancel-registration/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    nothing = api.post(f"/api/v1/events/{event.pk}/cancel-registration/")
    assert nothing.status_code == 409


def test_full_event_puts_you_on_the_waiting_list_without_the_link(api, citizen):
    event = EventFactory(capacity=1, mode="online", online_url="https://meet.example.org/s",
                         venue_name="")
    RegistrationFactory(event=event)
    api.force_authenticate(citizen)
    data = api.post(f"/api/v1/events/{event.pk}/register/", {}, format="json").json()
    assert data["status"] == "waiting" and data["queue_number"] == 1
    assert data["online_url"] == ""


def test_registration_after_closing_time_is_refused_with_409(api, citizen):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(minutes=1))
    api.force_authenticate(citizen)
    response = api.post(f"/api/v1/events/{event.pk}/register/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"
    assert not Registration.objects.exists()


def test_register_on_behalf_of_someone_elses_organisation_is_refused(api, member_a, org_b):
    event = EventFactory()
    api.force_authenticate(member_a)
    response = api.post(f"/api/v1/events/{event.pk}/register/",
                        {"organisation": org_b.slug}, format="json")
    assert response.status_code == 403
    bad = api.post(f"/api/v1/events/{event.pk}/register/", {"organisation": "nope"},
                   format="json")
    # A well-formed slug of no organisation names nothing there: 404, the field still named.
    assert bad.status_code == 404 and "organisation" in bad.json()["fields"]
    assert bad.json()["code"] == "not_found"


def test_anonymous_cannot_register(api):
    event = EventFactory()
    assert api.post(f"/api/v1/events/{event.pk}/register/").status_code in (401, 403)


def test_delete_cancels_own_registration(api, citizen):
    registration = RegistrationFactory(user=citizen)
    api.force_authenticate(citizen)
    response = api.delete(f"/api/v1/registrations/{registration.pk}/")
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_meeting_requests_through_the_api(api):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    a, b = UserFactory(), UserFactory()
    RegistrationFactory(event=event, user=a)
    RegistrationFactory(event=event, user=b)
    profile = ProfileFactory(event=event, user=b)
    api.force_authenticate(a)
    response = api.post("/api/v1/meeting-requests/", {
        "event": event.pk, "recipient": b.pk, "profile": profile.pk, "message": "Meet?"},
        format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert api.post(f"/api/v1/meeting-requests/{pk}/accept/").status_code == 403
    api.force_authenticate(b)
    accepted = api.post(f"/api/v1/meeting-requests/{pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert api.post(f"/api/v1/meeting-requests/{pk}/decline/").status_code == 409
    assert MeetingRequest.objects.get(pk=pk).status == "accepted"


def test_meeting_request_to_yourself_or_without_message_is_bad_input(api):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    a = UserFactory()
    RegistrationFactory(event=event, user=a)
    api.force_authenticate(a)
    response = api.post("/api/v1/meeting-requests/", {
        "event": event.pk, "recipient": a.pk, "message": "Me?"}, format="json")
    assert response.status_code == 400
    response = api.post("/api/v1/meeting-requests/", {"event": event.pk}, format="json")
    assert response.status_code == 400 and "message" in response.json()["fields"]
