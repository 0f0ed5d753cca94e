import pytest
from django.utils import timezone

from ecosystem.notifications.models import Follow, Notification
from ecosystem.notifications.services import is_following, notify
from tests.factories import OrganisationFactory

from .conftest import DAILY, INSTANT, ctx

pytestmark = pytest.mark.django_db


def _notify(user, n=1, subject="Call published"):
    return [notify(kind=INSTANT, recipients=[user], context=ctx(f"{subject} {i}"))[0]
            for i in range(n)]


ROUTES = [
    ("get", "/notifications/"),
    ("get", "/notifications/preferences/"),
    ("post", "/notifications/read-all/"),
    ("post", "/notifications/follow/"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_is_sent_to_sign_in(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_centre_lists_only_my_notifications(client, alice, bob):
    _notify(alice, 2, "For Alice")
    _notify(bob, 1, "For Bob")
    client.force_login(alice)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert [n.recipient for n in response.context["page"]] == [alice, alice]
    assert b"For Bob" not in response.content


def test_marking_someone_elses_notification_is_a_404(client, alice, bob):
    (theirs,) = _notify(bob)
    client.force_login(alice)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_mark_all_read(client, alice, bob):
    first, second, third = _notify(alice, 3)
    (bobs,) = _notify(bob)
    client.force_login(alice)
    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302  # again: fine
    assert client.get("/notifications/read-all/").status_code == 405
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_open_marks_read_and_follows_the_link(client, alice):
    organisation = OrganisationFactory(slug="alpha")
    (notification,) = notify(kind=INSTANT, recipients=[alice], target=organisation, context=ctx())
    client.force_login(alice)
    response = client.post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/organisations/alpha/"


def test_next_to_another_site_is_ignored(client, alice):
    (notification,) = _notify(alice)
    client.force_login(alice)
    response = client.post(f"/notifications/{notification.pk}/read/",
                           {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_unread_filter_and_pagination(client, alice):
    notifications = _notify(alice, 25)
    Notification.objects.filter(pk=notifications[0].pk).update(read_at=timezone.now())
    client.force_login(alice)
    page_two = client.get("/notifications/?page=2")
    assert page_two.status_code == 200 and len(page_two.context["page"]) == 5
    unread = client.get("/notifications/?show=unread")
    assert unread.context["page"].paginator.count == 24


def test_header_shows_the_unread_count(client, alice):
    _notify(alice, 3)
    client.force_login(alice)
    response = client.get("/")
    assert b'<span aria-hidden="true">3</span>' in response.content


def test_header_caps_the_count(client, alice):
    Notification.objects.bulk_create([
        Notification(recipient=alice, kind=INSTANT, subject="x", dedupe_key=str(i))
        for i in range(120)
    ])
    client.force_login(alice)
    assert b'<span aria-hidden="true">99+</span>' in client.get("/").content


@pytest.mark.parametrize("rows", [2, 20])
def test_centre_query_count_does_not_grow(client, alice, rows, django_assert_num_queries):
    _notify(alice, rows)
    client.force_login(alice)
    client.get("/notifications/")  # warm the session
    # session, user, count, page, 2 unread counts, whether the person evaluates (the menu)
    with django_assert_num_queries(7):
        response = client.get("/notifications/")
    assert response.status_code == 200


def test_preferences_page_has_one_select_per_kind_and_saves(client, alice):
    client.force_login(alice)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert f'name="{INSTANT}"'.encode() in page.content
    assert f'name="{DAILY}"'.encode() in page.content
    assert b'name="notifications.digest"' not in page.content  # not a choice
    form = {field: "weekly" for field in page.context["form"].fields}
    form[INSTANT] = "never"
    response = client.post("/notifications/preferences/", form)
    assert response.status_code == 302
    from ecosystem.notifications.services import effective_preferences

    chosen = effective_preferences(user=alice)
    assert chosen[INSTANT] == "never" and chosen[DAILY] == "weekly"


def test_preferences_reject_unknown_values(client, alice):
    client.force_login(alice)
    response = client.post("/notifications/preferences/", {INSTANT: "hourly"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_follow_and_unfollow_an_organisation(client, alice):
    organisation = OrganisationFactory(slug="beta")
    client.force_login(alice)
    data = {"target_type": "stakeholders.organisation", "target_id": organisation.pk,
            "action": "follow", "next": "/organisations/beta/"}
    response = client.post("/notifications/follow/", data)
    assert response.status_code == 302 and response["Location"] == "/organisations/beta/"
    assert is_following(user=alice, target=organisation)
    client.post("/notifications/follow/", data)
    assert Follow.objects.count() == 1
    client.post("/notifications/follow/", {**data, "action": "unfollow"})
    assert not is_following(user=alice, target=organisation)


@pytest.mark.parametrize(("target_type", "target_id"), [
    ("ecosystem.user", "1"),               # exists, but not followable
    ("stakeholders.organisation", "999999"),
    ("stakeholders.organisation", "abc"),
    ("nothing.here", "1"),
])
def test_follow_only_existing_followable_things(client, alice, target_type, target_id):
    client.force_login(alice)
    response = client.post("/notifications/follow/", {"target_type": target_type,
                                                      "target_id": target_id,
                                                      "action": "follow"})
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_follow_button_include(rf, alice):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    organisation = OrganisationFactory()
    template = Template('{% include "notifications/includes/follow_button.html" %}')
    request = rf.get("/organisations/x/")
    request.user = alice
    html = template.render(Context({"target": organisation, "request": request}))
    assert 'value="follow"' in html and "Follow" in html
    Follow.objects.create(user=alice, target_type_id=__import__(
        "django.contrib.contenttypes.models", fromlist=["ContentType"]
    ).ContentType.objects.get_for_model(organisation).pk, target_id=str(organisation.pk))
    html = template.render(Context({"target": organisation, "request": request}))
    assert 'value="unfollow"' in html and "Unfollow" in html
    request.user = AnonymousUser()
    html = template.render(Context({"target": organisation, "request": request}))
    assert "Sign in to follow" in html


@pytest.mark.parametrize("role", ["anonymous", "citizen", "staff"])
@pytest.mark.parametrize(("method", "path", "expected"), [
    ("get", "/notifications/", {"anonymous": 302, "citizen": 200, "staff": 200}),
    ("get", "/notifications/?show=unread", {"anonymous": 302, "citizen": 200, "staff": 200}),
    ("get", "/notifications/preferences/", {"anonymous": 302, "citizen": 200, "staff": 200}),
    ("post", "/notifications/read-all/", {"anonymous": 302, "citizen": 302, "staff": 302}),
    ("post", "/notifications/{bobs}/read/", {"anonymous": 302, "citizen": 404, "staff": 404}),
    ("get", "/notifications/{bobs}/read/", {"anonymous": 302, "citizen": 405, "staff": 405}),
    ("get", "/notifications/unsubscribe/forged/", {"anonymous": 400, "citizen": 400, "staff": 400}),
    ("post", "/notifications/follow/", {"anonymous": 302, "citizen": 302, "staff": 302}),
])
def test_permission_matrix(client, bob, citizen, staff, role, method, path, expected):
    (bobs,) = _notify(bob)
    user = {"anonymous": None, "citizen": citizen, "staff": staff}[role]
    if user:
        client.force_login(user)
    response = getattr(client, method)(path.format(bobs=bobs.pk))
    assert response.status_code == expected[role]
    bobs.refresh_from_db()
    assert bobs.read_at is None  # nobody but Bob marks Bob's notifications
