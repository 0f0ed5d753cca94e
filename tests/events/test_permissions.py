"""Every events route for every role. Another person's registration, agenda and meeting
requests are never visible or changeable (404, as if they did not exist)."""

import pytest
from rest_framework.test import APIClient

from events import services
from events.models import Event, MeetingRequest, Registration
from tests.factories import UserFactory

from .factories import EventFactory, MeetingSessionFactory, ProfileFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "participant", "other_participant", "organiser", "staff"]
LOGIN = 302
DENIED_API = (401, 403)


@pytest.fixture
def world(org_a, admin_a, citizen, staff):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None,
                         organisers=[org_a])
    draft = EventFactory(publication=Event.Publication.PROPOSED, organisers=[org_a])
    participant, other = UserFactory(email="p@example.org"), UserFactory(email="o@example.org")
    registration = RegistrationFactory(event=event, user=participant)
    other_registration = RegistrationFactory(event=event, user=other)
    services.session_save(session=MeetingSessionFactory.build(event=event), actor=staff)
    profile = ProfileFactory(event=event, user=participant)
    request = MeetingRequest.objects.create(event=event, requester=participant,
                                            recipient=other, message="Meet?")
    token = services.agenda_token_get(user=participant).token
    users = {"anonymous": None, "citizen": citizen, "participant": participant,
             "other_participant": other, "organiser": admin_a, "staff": staff}
    return {"event": event, "draft": draft, "registration": registration,
            "other_registration": other_registration, "profile": profile, "request": request,
            "token": token, "users": users}


def _all(status):
    return dict.fromkeys(ROLES, status)


def _signed_in(status, anonymous=LOGIN):
    return {**_all(status), "anonymous": anonymous}


MANAGERS = {"anonymous": LOGIN, "citizen": 404, "participant": 404, "other_participant": 404,
            "organiser": 200, "staff": 200}
MARKET = {"anonymous": LOGIN, "citizen": 403, "participant": 200, "other_participant": 200,
          "organiser": 200, "staff": 200}
STAFF_ONLY = {"anonymous": LOGIN, "citizen": 404, "participant": 404, "other_participant": 404,
              "organiser": 404, "staff": 200}
OWNER_ONLY = {"anonymous": LOGIN, "citizen": 404, "participant": 200, "other_participant": 404,
              "organiser": 404, "staff": 404}

PAGES = [
    ("list", lambda w: "/events/", _all(200)),
    ("calendar", lambda w: "/events/calendar/?month=2030-01", _all(200)),
    ("detail", lambda w: f"/events/{w['event'].slug}/", _all(200)),
    ("ics", lambda w: f"/events/{w['event'].slug}.ics", _all(200)),
    ("feed-ics", lambda w: "/events/feed.ics", _all(200)),
    ("feed-rss", lambda w: "/events/feed.rss", _all(200)),
    ("feed-atom", lambda w: "/events/feed.atom", _all(200)),
    ("draft-detail", lambda w: f"/events/{w['draft'].slug}/",
     {**_all(404), "organiser": 200, "staff": 200}),
    ("draft-ics", lambda w: f"/events/{w['draft'].slug}.ics",
     {**_all(404), "organiser": 200, "staff": 200}),
    ("my-registrations", lambda w: "/events/registrations/", _signed_in(200)),
    ("my-registration", lambda w: f"/events/registrations/{w['registration'].code}/",
     OWNER_ONLY),
    ("my-meetings", lambda w: "/events/meetings/", _signed_in(200)),
    ("agenda", lambda w: "/events/agenda/", _signed_in(200)),
    ("agenda-feed", lambda w: f"/events/agenda/{w['token']}.ics", _all(200)),
    ("agenda-feed-wrong-token", lambda w: "/events/agenda/not-a-token.ics", _all(404)),
    ("propose", lambda w: "/events/propose/",
     {"anonymous": LOGIN, "citizen": 403, "participant": 403, "other_participant": 403,
      "organiser": 200, "staff": 200}),
    ("checkin", lambda w: f"/events/{w['event'].slug}/check-in/", MANAGERS),
    ("checkin-count", lambda w: f"/events/{w['event'].slug}/check-in/count/", MANAGERS),
    ("attendance", lambda w: f"/events/{w['event'].slug}/attendance.csv", MANAGERS),
    ("marketplace", lambda w: f"/events/{w['event'].slug}/marketplace/", MARKET),
    ("availability", lambda w: f"/events/{w['event'].slug}/availability/", MARKET),
    ("profile-new", lambda w: f"/events/{w['event'].slug}/marketplace/profile/", MARKET),
    ("profile-edit",
     lambda w: f"/events/{w['event'].slug}/marketplace/profile/{w['profile'].pk}/",
     {"anonymous": LOGIN, "citizen": 403, "participant": 200, "other_participant": 404,
      "organiser": 404, "staff": 404}),
    ("meeting-request-new",
     lambda w: f"/events/{w['event'].slug}/marketplace/{w['profile'].pk}/request/", MARKET),
    ("scheduler", lambda w: f"/events/{w['event'].slug}/scheduler/", STAFF_ONLY),
    ("scheduler-status", lambda w: f"/events/{w['event'].slug}/scheduler/status/", STAFF_ONLY),
]


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, world, role, name, url, expected):
    response = _client(client, world["users"][role]).get(url(world))
    assert response.status_code == expected[role], (name, role)


POSTS = [
    ("cancel-registration",
     lambda w: f"/events/registrations/{w['registration'].code}/cancel/",
     lambda w: Registration.objects.get(pk=w["registration"].pk).status == "cancelled",
     {"participant"}, {"participant"}),
    ("accept-meeting", lambda w: f"/events/meetings/{w['request'].pk}/accept/",
     lambda w: MeetingRequest.objects.get(pk=w["request"].pk).status == "accepted",
     {"other_participant"}, {"participant", "other_participant"}),
    ("decline-meeting", lambda w: f"/events/meetings/{w['request'].pk}/decline/",
     lambda w: MeetingRequest.objects.get(pk=w["request"].pk).status == "declined",
     {"other_participant"}, {"participant", "other_participant"}),
    ("cancel-meeting", lambda w: f"/events/meetings/{w['request'].pk}/cancel/",
     lambda w: MeetingRequest.objects.get(pk=w["request"].pk).status == "cancelled",
     {"participant", "other_participant"}, {"participant", "other_participant"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "changed", "allowed", "visible"), POSTS,
                         ids=[p[0] for p in POSTS])
def test_writes_only_by_the_people_concerned(client, world, role, name, url, changed, allowed,
                                             visible):
    response = _client(client, world["users"][role]).post(url(world))
    if role == "anonymous":
        assert response.status_code == LOGIN
    elif role in visible:
        assert response.status_code == 302  # back to the page, with a message
    else:
        assert response.status_code == 404
    assert changed(world) == (role in allowed), (name, role)


API = [
    ("registrations", lambda w: "/api/v1/registrations/", {**_all(200), "anonymous": 403}),
    ("registration", lambda w: f"/api/v1/registrations/{w['registration'].pk}/",
     {**OWNER_ONLY, "anonymous": 403}),
    ("meeting-requests", lambda w: "/api/v1/meeting-requests/",
     {**_all(200), "anonymous": 403}),
    ("meeting-request", lambda w: f"/api/v1/meeting-requests/{w['request'].pk}/",
     {**_all(404), "participant": 200, "other_participant": 200, "anonymous": 403}),
    ("events", lambda w: "/api/v1/events/", _all(200)),
    ("event", lambda w: f"/api/v1/events/{w['event'].pk}/", _all(200)),
    ("draft", lambda w: f"/api/v1/events/{w['draft'].pk}/",
     {**_all(404), "organiser": 200, "staff": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), API, ids=[a[0] for a in API])
def test_api_reads(world, role, name, url, expected):
    api = APIClient()
    if world["users"][role] is not None:
        api.force_authenticate(world["users"][role])
    response = api.get(url(world))
    status = expected[role]
    if role == "anonymous" and status == 403:
        assert response.status_code in DENIED_API, name
        return
    assert response.status_code == status, (name, role)


@pytest.mark.parametrize("role", ["citizen", "other_participant", "organiser", "staff"])
def test_api_nobody_cancels_another_persons_registration(world, role):
    api = APIClient()
    api.force_authenticate(world["users"][role])
    response = api.delete(f"/api/v1/registrations/{world['registration'].pk}/")
    assert response.status_code == 404
    assert Registration.objects.get(pk=world["registration"].pk).status == "confirmed"


def test_lists_hold_only_ones_own_rows(client, world):
    participant = world["users"]["participant"]
    api = APIClient()
    api.force_authenticate(participant)
    codes = [row["code"] for row in api.get("/api/v1/registrations/").json()["results"]]
    assert codes == [world["registration"].code]
    client.force_login(participant)
    page = client.get("/events/registrations/").content.decode()
    assert world["registration"].code in page
    assert world["other_registration"].code not in page
    client.force_login(world["users"]["citizen"])
    assert "Meet?" not in client.get("/events/meetings/").content.decode()
