import pytest
from django.core import mail

from ecosystem.notifications.models import Announcement, Notification, OutboxMessage
from ecosystem.notifications.services import announcement_audience, announcement_send
from tests.factories import MembershipFactory, OrganisationFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    mobility = ThemeFactory(slug="mobility", name="Mobility")
    energy = ThemeFactory(slug="renewable-energy", name="Renewable energy")
    sme_hr = OrganisationFactory(kind="sme", helix="industry", country="HR", verified=True)
    sme_hr.themes.set([mobility])
    sme_de = OrganisationFactory(kind="sme", helix="industry", country="DE", verified=False)
    sme_de.themes.set([energy])
    university = OrganisationFactory(kind="university", helix="academia", country="HR",
                                     verified=True)
    university.themes.set([mobility])
    return {
        "ana": MembershipFactory(organisation=sme_hr).user,
        "jonas": MembershipFactory(organisation=sme_de).user,
        "marko": MembershipFactory(organisation=university).user,
        "petra": UserFactory(),  # a citizen, no organisation
        "mobility": mobility,
    }


def names(people, queryset):
    index = {user.pk: name for name, user in people.items() if hasattr(user, "email")}
    return sorted(index[user.pk] for user in queryset)


@pytest.mark.parametrize(("filters", "expected"), [
    ({"all_people": True}, ["ana", "jonas", "marko", "petra"]),
    ({}, ["ana", "jonas", "marko"]),
    ({"helix": "industry"}, ["ana", "jonas"]),
    ({"organisation_kind": "university"}, ["marko"]),
    ({"country": "HR"}, ["ana", "marko"]),
    ({"verified_only": True}, ["ana", "marko"]),
    ({"organisation_kind": "sme", "themes": ["mobility"]}, ["ana"]),
    ({"helix": "civil"}, []),
])
def test_audience(people, filters, expected):
    themes = filters.pop("themes", [])
    announcement = Announcement.objects.create(subject="s", body="b", **filters)
    announcement.themes.set([people[name] for name in themes])
    assert names(people, announcement_audience(announcement)) == expected


def test_sending_twice_does_not_double_send(people, staff, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(
        subject="Smart City Week in Rijeka", body="Registration is open.", helix="industry"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert announcement_send(announcement=announcement, actor=staff) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert announcement_send(announcement=announcement, actor=staff) == 0
    assert Notification.objects.filter(kind="notifications.announcement").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["ana"].email, people["jonas"].email]
    )
    assert mail.outbox[0].subject == "Smart City Week in Rijeka"
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipient_count) == ("sent", 2)


def test_a_later_send_reaches_only_newcomers(people, staff):
    announcement = Announcement.objects.create(subject="s", body="b", helix="academia")
    announcement_send(announcement=announcement, actor=staff)
    newcomer = MembershipFactory(organisation=people["marko"].memberships.get().organisation).user
    assert announcement_send(announcement=announcement, actor=staff) == 1
    assert Notification.objects.filter(recipient=newcomer).count() == 1


def test_admin_action_sends(client, admin_user, people, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(subject="Open data workshop", body="Join us.",
                                               all_people=True)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/notifications/announcement/",
                               {"action": "send", "_selected_action": [announcement.pk]},
                               follow=True)
    assert response.status_code == 200
    assert "is being sent in the background" in response.content.decode()
    assert len(mail.outbox) == 4  # the sender (actor) is not notified
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipient_count) == ("sent", 4)
    assert OutboxMessage.objects.get(task="notifications.announcement_send").status == "done"


def test_the_admin_request_only_queues_the_job(client, admin_user, people,
                                               django_capture_on_commit_callbacks):
    announcement = Announcement.objects.create(subject="Open data workshop", body="Join us.",
                                               all_people=True)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/admin/notifications/announcement/",
                    {"action": "send", "_selected_action": [announcement.pk]})
    announcement.refresh_from_db()
    assert announcement.status == "sending" and announcement.recipient_count == 0
    assert not Notification.objects.filter(kind="notifications.announcement").exists()
    listing = client.get("/admin/notifications/announcement/").content.decode()
    assert "Being sent (background job)" in listing
    again = client.post("/admin/notifications/announcement/",
                        {"action": "send", "_selected_action": [announcement.pk]}, follow=True)
    assert "already being sent" in again.content.decode()


def test_admin_add_form_renders(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/notifications/announcement/add/").status_code == 200
    for model in ("notification", "outboxmessage", "emaildelivery", "digestdelivery",
                  "preference", "follow"):
        assert client.get(f"/admin/notifications/{model}/").status_code == 200


@pytest.mark.parametrize(("url", "ok"), [
    ("/events/smart-city-week/", True), ("https://example.org/x", True), ("", True),
    ("javascript:alert(1)", False), ("//evil.example/", False),
])
def test_announcement_link_must_be_a_web_address(url, ok):
    from django.core.exceptions import ValidationError

    announcement = Announcement(subject="s", body="b", url=url)
    if ok:
        announcement.full_clean()
    else:
        with pytest.raises(ValidationError):
            announcement.full_clean()
