import pytest

from ecosystem.notifications.models import Notification
from ecosystem.notifications.services import notify

from .conftest import DAILY, INSTANT, ctx

pytestmark = pytest.mark.django_db


def _notify(user, n=1):
    return [notify(kind=INSTANT, recipients=[user], context=ctx(f"Item {i}"))[0]
            for i in range(n)]


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/notifications/"),
    ("get", "/api/v1/notifications/unread-count/"),
    ("post", "/api/v1/notifications/read-all/"),
    ("post", "/api/v1/notifications/1/read/"),
    ("get", "/api/v1/notifications/preferences/"),
    ("patch", "/api/v1/notifications/preferences/"),
])
def test_anonymous_gets_nothing(api, method, path):
    response = getattr(api, method)(path)
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "code", "fields"}


def test_list_is_mine_only_newest_first(api, alice, bob):
    _notify(alice, 3)
    _notify(bob, 2)
    api.force_authenticate(alice)
    body = api.get("/api/v1/notifications/").json()
    assert len(body["results"]) == 3
    assert [row["subject"] for row in body["results"]] == ["Item 2", "Item 1", "Item 0"]
    assert set(body["results"][0]) == {"id", "kind", "subject", "body", "url", "created_at",
                                       "read_at", "is_read"}


def test_mark_read_own_and_404_for_someone_elses(api, alice, bob):
    (mine,) = _notify(alice)
    (theirs,) = _notify(bob)
    api.force_authenticate(alice)
    response = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_unread_count_filter_and_read_all(api, alice, bob):
    _notify(alice, 3)
    _notify(bob, 1)
    api.force_authenticate(alice)
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    assert len(api.get("/api/v1/notifications/?unread=true").json()["results"]) == 3
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 3}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    assert api.get("/api/v1/notifications/?unread=true").json()["results"] == []
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_preferences_read_and_change(api, alice):
    api.force_authenticate(alice)
    rows = {row["kind"]: row for row in api.get("/api/v1/notifications/preferences/").json()}
    assert rows[INSTANT]["frequency"] == "instant"
    assert rows[DAILY]["default_frequency"] == "daily"
    assert "notifications.digest" not in rows
    response = api.patch("/api/v1/notifications/preferences/",
                         {"preferences": {INSTANT: "weekly"}}, format="json")
    assert response.status_code == 200
    rows = {row["kind"]: row for row in response.json()}
    assert rows[INSTANT]["frequency"] == "weekly" and rows[DAILY]["frequency"] == "daily"
    # PATCH changes what it names, and nothing when it names nothing; PUT must name them.
    assert api.patch("/api/v1/notifications/preferences/", {}, format="json").status_code == 200
    assert api.put("/api/v1/notifications/preferences/", {}, format="json").status_code == 400
    rows = {row["kind"]: row for row in api.get("/api/v1/notifications/preferences/").json()}
    assert rows[INSTANT]["frequency"] == "weekly"


def test_the_schema_lists_the_kinds_a_person_may_set(api):
    from ecosystem.notifications.registry import configurable_kinds

    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    preferences = schema["PreferencesUpdateRequest"]["properties"]["preferences"]
    assert preferences["additionalProperties"] is False
    assert set(preferences["properties"]) == {kind.key for kind in configurable_kinds()}
    assert "notifications.digest" not in preferences["properties"]


@pytest.mark.parametrize("preferences", [
    {INSTANT: "hourly"},
    {"no.such.kind": "daily"},
    {"notifications.digest": "never"},
    "not a dict",
])
def test_bad_preferences_are_a_400(api, alice, preferences):
    api.force_authenticate(alice)
    response = api.patch("/api/v1/notifications/preferences/", {"preferences": preferences},
                         format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "fields"}


@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_count_does_not_grow(api, alice, rows, django_assert_num_queries):
    _notify(alice, rows)
    api.force_authenticate(alice)
    with django_assert_num_queries(1):  # the page itself: keyset pagination counts nothing
        assert api.get("/api/v1/notifications/").status_code == 200
