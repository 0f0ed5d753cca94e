"""The permission matrix: every projects route (web and API) for every role.

Expected answers: an HTTP status, ``LOGIN`` (redirect to sign in) or ``DONE`` (the write
succeeded and redirected back to the page). A missing permission on an object is a 404 (the
object is fetched through the permission QuerySet), a page for a role that has nothing to do
there is a 403; the API answers a request without credentials 401.
"""

import pytest
from rest_framework.test import APIClient

from .conftest import ROLES, user_for

pytestmark = pytest.mark.django_db

LOGIN, DONE = "login", "done"


def _all(value):
    return dict.fromkeys(ROLES, value)


def _only(allowed, yes, no, anonymous=LOGIN):
    answer = {role: (yes if role in allowed else no) for role in ROLES}
    answer["anonymous"] = anonymous
    return answer


PROJECT_EDITORS = {"editor", "staff"}
PILOT_EDITORS = {"editor", "city_staff", "staff"}
CITY_X = {"city_staff", "staff"}
COMMENTERS = {"city_staff", "mentor", "staff"}

WEB = [
    # name, method, url, data, expected by role
    ("project list", "get", lambda w: "/projects/", None, _all(200)),
    ("project detail", "get", lambda w: f"/projects/{w.project.slug}/", None, _all(200)),
    ("draft project detail", "get", lambda w: f"/projects/{w.draft_project.slug}/", None,
     _only(PROJECT_EDITORS, 200, 404, anonymous=404)),
    ("project edit form", "get", lambda w: f"/projects/{w.project.slug}/edit/", None,
     _only(PROJECT_EDITORS, 200, 404)),
    ("project edit", "post", lambda w: f"/projects/{w.project.slug}/edit/",
     lambda w: {"acronym": "URBAN INNO", "title": "New title", "funding_programme": "cosme"},
     _only(PROJECT_EDITORS, DONE, 404)),
    ("project status (managers)", "post", lambda w: f"/projects/{w.project.slug}/status/",
     lambda w: {"status": "completed"}, _only({"staff"}, DONE, 404)),
    ("result progress", "post",
     lambda w: f"/projects/{w.project.slug}/results/{w.result.pk}/", lambda w: {"achieved": "2"},
     _only(PROJECT_EDITORS, DONE, 404)),
    ("project follow", "post", lambda w: f"/projects/{w.project.slug}/follow/", lambda w: {},
     _only(set(ROLES), DONE, DONE)),
    ("pilots index", "get", lambda w: "/pilots/", None, _all(302)),
    ("pilot map", "get", lambda w: "/pilots/map/", None, _all(200)),
    ("pilot detail", "get", lambda w: f"/pilots/{w.pilot.slug}/", None, _all(200)),
    ("draft pilot detail", "get", lambda w: f"/pilots/{w.draft_pilot.slug}/", None,
     _only(PILOT_EDITORS, 200, 404, anonymous=404)),
    ("pilot edit form", "get", lambda w: f"/pilots/{w.pilot.slug}/edit/", None,
     _only(PILOT_EDITORS, 200, 404)),
    ("pilot edit", "post", lambda w: f"/pilots/{w.pilot.slug}/edit/",
     lambda w: {"title": "eBikes", "status": "completed", "latitude": "49.0", "longitude": "8.4"},
     _only(PILOT_EDITORS, DONE, 404)),
    ("pilot news", "post", lambda w: f"/pilots/{w.pilot.slug}/news/",
     lambda w: {"title": "News", "body": "The pilot goes on."}, _only(PILOT_EDITORS, DONE, 404)),
    ("pilot feedback", "post", lambda w: f"/pilots/{w.pilot.slug}/feedback/",
     lambda w: {"kind": "idea", "body": "A charging station here."}, _only(set(ROLES), DONE, DONE)),
    ("pilot follow", "post", lambda w: f"/pilots/{w.pilot.slug}/follow/", lambda w: {},
     _only(set(ROLES), DONE, DONE)),
    ("moderation queue", "get", lambda w: "/pilots/feedback/moderation/", None,
     _only(PILOT_EDITORS, 200, 403)),
    ("moderate feedback", "post", lambda w: f"/pilots/feedback/{w.feedback.pk}/moderate/",
     lambda w: {"decision": "publish"}, _only(PILOT_EDITORS, DONE, 404)),
    ("programme list", "get", lambda w: "/programmes/", None, _all(200)),
    ("programme detail", "get", lambda w: f"/programmes/{w.programme.slug}/", None, _all(200)),
    ("programme comparison", "get",
     lambda w: f"/programmes/{w.programme.slug}/?indicator=open-datasets", None, _all(200)),
    ("city dashboard", "get",
     lambda w: f"/programmes/{w.programme.slug}/cities/{w.city_x.slug}/", None, _all(200)),
    ("roadmap edit", "post",
     lambda w: f"/programmes/{w.programme.slug}/cities/{w.city_x.slug}/roadmap/",
     lambda w: {"vision": "Greener", "stage": "implementation"}, _only(CITY_X, DONE, 404)),
    ("action edit form", "get",
     lambda w: f"/programmes/{w.programme.slug}/cities/{w.city_x.slug}/actions/{w.action_x.pk}/",
     None, _only(CITY_X, 200, 404)),
    ("action edit", "post",
     lambda w: f"/programmes/{w.programme.slug}/cities/{w.city_x.slug}/actions/{w.action_x.pk}/",
     lambda w: {"title": "Open data portal", "status": "done", "owner": "IT"},
     _only(CITY_X, DONE, 404)),
    ("measurement add", "post",
     lambda w: f"/programmes/{w.programme.slug}/cities/{w.city_x.slug}/measurements/",
     lambda w: {"indicator": "open-datasets", "date": "2022-01-31", "value": "70"},
     _only(CITY_X, DONE, 404)),
    ("roadmap comment", "post",
     lambda w: f"/programmes/{w.programme.slug}/cities/{w.city_x.slug}/comments/",
     lambda w: {"body": "Well done."}, _only(COMMENTERS, DONE, 404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", WEB, ids=[route[0] for route in WEB])
def test_web_matrix(client, world, route, role):
    name, method, url, data, expected = route
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url(world), data(world) if data else None)
    answer = expected[role]
    if answer == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    elif answer == DONE:
        assert response.status_code == 302, (name, response.status_code)
        assert "/accounts/login/" not in response["Location"]
        messages = [str(m) for m in response.wsgi_request._messages]
        assert messages and not any("not allowed" in m.lower() for m in messages), messages
    else:
        assert response.status_code == answer, (name, role, response.status_code)


API = [
    ("projects list", "get", lambda w: "/api/v1/projects/", None, _all(200)),
    ("project detail", "get", lambda w: f"/api/v1/projects/{w.project.slug}/", None, _all(200)),
    ("draft project detail", "get", lambda w: f"/api/v1/projects/{w.draft_project.slug}/", None,
     _only(PROJECT_EDITORS, 200, 404, anonymous=404)),
    ("project create", "post", lambda w: "/api/v1/projects/",
     lambda w: {"acronym": "NEW", "title": "A new project", "funding_programme": "horizon_europe",
                "coordinator": w.coordinator.slug},
     _only({"staff"}, 201, 403, anonymous=401)),
    ("project patch", "patch", lambda w: f"/api/v1/projects/{w.project.slug}/",
     lambda w: {"summary": "Updated."}, _only(PROJECT_EDITORS, 200, 404, anonymous=401)),
    ("project status", "post", lambda w: f"/api/v1/projects/{w.project.slug}/status/",
     lambda w: {"status": "completed"}, _only({"staff"}, 200, 404, anonymous=401)),
    ("result progress", "post",
     lambda w: f"/api/v1/projects/{w.project.slug}/results/{w.result.pk}/progress/",
     lambda w: {"achieved": "3"}, _only(PROJECT_EDITORS, 200, 404, anonymous=401)),
    ("project follow", "post", lambda w: f"/api/v1/projects/{w.project.slug}/follow/",
     lambda w: {}, _only(set(ROLES), 200, 200, anonymous=401)),
    ("pilots list", "get", lambda w: "/api/v1/pilots/", None, _all(200)),
    ("pilots geojson", "get", lambda w: "/api/v1/pilots/geojson/", None, _all(200)),
    ("pilots ?format=geojson", "get", lambda w: "/api/v1/pilots/?format=geojson", None, _all(200)),
    ("pilot detail", "get", lambda w: f"/api/v1/pilots/{w.pilot.slug}/", None, _all(200)),
    ("draft pilot detail", "get", lambda w: f"/api/v1/pilots/{w.draft_pilot.slug}/", None,
     _only(PILOT_EDITORS, 200, 404, anonymous=404)),
    ("pilot create", "post", lambda w: "/api/v1/pilots/",
     lambda w: {"title": "New pilot", "city": w.city_x.slug, "project": w.project.slug,
                "latitude": "45.3", "longitude": "14.4"},
     _only(PILOT_EDITORS, 201, 403, anonymous=401)),
    ("pilot patch", "patch", lambda w: f"/api/v1/pilots/{w.pilot.slug}/",
     lambda w: {"results": "Good results."}, _only(PILOT_EDITORS, 200, 404, anonymous=401)),
    ("pilot feedback list", "get", lambda w: f"/api/v1/pilots/{w.pilot.slug}/feedback/", None,
     _all(200)),
    ("pilot feedback submit", "post", lambda w: f"/api/v1/pilots/{w.pilot.slug}/feedback/",
     lambda w: {"kind": "idea", "body": "Bike path here."},
     _only(set(ROLES), 201, 201, anonymous=401)),
    ("pilot news list", "get", lambda w: f"/api/v1/pilots/{w.pilot.slug}/news/", None, _all(200)),
    ("pilot news post", "post", lambda w: f"/api/v1/pilots/{w.pilot.slug}/news/",
     lambda w: {"title": "News", "body": "Text."}, _only(PILOT_EDITORS, 201, 404, anonymous=401)),
    ("pilot follow", "post", lambda w: f"/api/v1/pilots/{w.pilot.slug}/follow/", lambda w: {},
     _only(set(ROLES), 200, 200, anonymous=401)),
    ("moderation list", "get", lambda w: "/api/v1/pilots/feedback/", None,
     _only(set(ROLES), 200, 200, anonymous=401)),
    ("moderation detail", "get", lambda w: f"/api/v1/pilots/feedback/{w.feedback.pk}/", None,
     _only(PILOT_EDITORS, 200, 404, anonymous=401)),
    ("moderation publish", "post",
     lambda w: f"/api/v1/pilots/feedback/{w.feedback.pk}/publish/", lambda w: {},
     _only(PILOT_EDITORS, 200, 404, anonymous=401)),
    ("moderation reject", "post",
     lambda w: f"/api/v1/pilots/feedback/{w.feedback.pk}/reject/", lambda w: {"reason": "Spam"},
     _only(PILOT_EDITORS, 200, 404, anonymous=401)),
    ("programmes list", "get", lambda w: "/api/v1/programmes/", None, _all(200)),
    ("programme detail", "get", lambda w: f"/api/v1/programmes/{w.programme.slug}/", None,
     _all(200)),
    ("programme cities", "get", lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/",
     None, _all(200)),
    ("programme mentorships", "get",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/mentorships/", None, _all(200)),
    ("indicator comparison", "get",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/indicators/open-datasets/", None,
     _all(200)),
    ("roadmap", "get",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/", None, _all(200)),
    ("roadmap patch", "patch",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/",
     lambda w: {"vision": "Greener."}, _only(CITY_X, 200, 404, anonymous=401)),
    ("action create", "post",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/actions/",
     lambda w: {"title": "Open data portal", "status": "planned"},
     _only(CITY_X, 201, 404, anonymous=401)),
    ("action patch", "patch",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/actions/{w.action_x.pk}/",
     lambda w: {"status": "done"}, _only(CITY_X, 200, 404, anonymous=401)),
    ("measurement create", "post",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/measurements/",
     lambda w: {"indicator": "open-datasets", "date": "2022-01-31", "value": "70"},
     _only(CITY_X, 201, 404, anonymous=401)),
    ("comments list", "get",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/comments/", None,
     _only(COMMENTERS, 200, 404, anonymous=401)),
    ("comment post", "post",
     lambda w: f"/api/v1/programmes/{w.programme.slug}/cities/{w.city_x.slug}/comments/",
     lambda w: {"body": "Well done."}, _only(COMMENTERS, 201, 404, anonymous=401)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API, ids=[route[0] for route in API])
def test_api_matrix(world, route, role):
    name, method, url, data, expected = route
    api = APIClient()
    user = user_for(world, role)
    if user is not None:
        api.force_authenticate(user)
    response = getattr(api, method)(url(world), data(world) if data else None, format="json")
    assert response.status_code == expected[role], (name, role, response.status_code,
                                                    response.content[:300])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"message", "code", "fields"}, body


def test_comments_on_the_dashboard_only_for_mentors_and_the_city(client, world):
    url = f"/programmes/{world.programme.slug}/cities/{world.city_x.slug}/"
    for user, shown in [(None, False), (world.citizen, False), (world.other_city_staff, False),
                        (world.mentor, True), (world.city_staff, True)]:
        client.logout()
        if user:
            client.force_login(user)
        assert ("Mentors&#x27; comments" in client.get(url).content.decode()
                or "Mentors' comments" in client.get(url).content.decode()) is shown, user


def test_mentor_of_another_city_cannot_comment_on_y(api, world):
    api.force_authenticate(world.mentor)
    response = api.post(f"/api/v1/programmes/{world.programme.slug}/cities/{world.city_y.slug}/comments/",
                        {"body": "Hello"}, format="json")
    assert response.status_code == 404


def test_city_staff_edit_their_own_roadmap_only(api, world):
    api.force_authenticate(world.other_city_staff)
    own = api.patch(f"/api/v1/programmes/{world.programme.slug}/cities/{world.city_y.slug}/",
                    {"vision": "Ypres 2030"}, format="json")
    assert own.status_code == 200
    other = api.patch(f"/api/v1/programmes/{world.programme.slug}/cities/{world.city_x.slug}/",
                      {"vision": "Hijacked"}, format="json")
    assert other.status_code == 404
    world.roadmap_x.refresh_from_db()
    assert world.roadmap_x.vision != "Hijacked"


def test_drafts_are_not_listed_for_the_public(api, world):
    slugs = [row["slug"] for row in api.get("/api/v1/projects/").json()["results"]]
    assert world.draft_project.slug not in slugs and world.project.slug in slugs
    pilots = [row["slug"] for row in api.get("/api/v1/pilots/").json()["results"]]
    assert world.draft_pilot.slug not in pilots
    features = api.get("/api/v1/pilots/geojson/").json()["features"]
    assert world.draft_pilot.slug not in [f["properties"]["slug"] for f in features]
    api.force_authenticate(world.editor)
    slugs = [row["slug"] for row in api.get("/api/v1/projects/").json()["results"]]
    assert world.draft_project.slug in slugs


def test_a_draft_programme_is_hidden(api, world):
    world.programme.status = "draft"
    world.programme.save()
    assert api.get(f"/api/v1/programmes/{world.programme.slug}/").status_code == 404
    api.force_authenticate(world.city_staff)
    assert api.get(f"/api/v1/programmes/{world.programme.slug}/").status_code == 200
