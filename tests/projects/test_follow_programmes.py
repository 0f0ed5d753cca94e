"""Following a programme or a city's dashboard: the button, who may follow, and the progress
a follower hears about (a stage reached, an action's status, a new measurement)."""

from datetime import date

import pytest
from django.urls import reverse

from ecosystem.notifications.models import Notification
from ecosystem.notifications.services import follow
from projects import services
from projects.models import Programme
from tests.factories import UserFactory

KIND = "projects.roadmap_update"


def _post_follow(client, target_type, target_id):
    return client.post(reverse("notifications:follow"), {
        "target_type": target_type, "target_id": target_id, "action": "follow", "next": "/"})


@pytest.mark.parametrize("which", ["programme", "dashboard"])
def test_pages_have_a_follow_button(client, world, which):
    url = (world.programme.get_absolute_url() if which == "programme"
           else world.roadmap_x.get_absolute_url())
    assert "Sign in to follow" in client.get(url).content.decode()
    client.force_login(world.citizen)
    page = client.get(url).content.decode()
    label = "projects.programme" if which == "programme" else "projects.roadmap"
    assert f'name="target_type" value="{label}"' in page


def test_citizen_follows_programme_and_dashboard(client, world):
    client.force_login(world.citizen)
    assert _post_follow(client, "projects.programme", world.programme.pk).status_code == 302
    assert _post_follow(client, "projects.roadmap", world.roadmap_x.pk).status_code == 302
    assert world.citizen.follows.count() == 2


def test_a_draft_programme_cannot_be_followed_by_outsiders(client, world):
    Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.DRAFT)
    client.force_login(world.citizen)
    assert _post_follow(client, "projects.programme", world.programme.pk).status_code == 404
    assert _post_follow(client, "projects.roadmap", world.roadmap_x.pk).status_code == 404
    client.force_login(world.city_staff)  # in the cohort: may see it, so may follow it
    assert _post_follow(client, "projects.roadmap", world.roadmap_x.pk).status_code == 302


def test_measurement_tells_followers_of_programme_and_dashboard_once(world):
    programme_follower, dashboard_follower, both = UserFactory(), UserFactory(), UserFactory()
    follow(user=programme_follower, target=world.programme)
    follow(user=dashboard_follower, target=world.roadmap_x)
    follow(user=both, target=world.programme)
    follow(user=both, target=world.roadmap_x)
    follow(user=world.city_staff, target=world.roadmap_x)
    services.measurement_record(indicator=world.indicator_x, actor=world.city_staff,
                                date=date(2022, 1, 31), value="95.5")
    notes = Notification.objects.filter(kind=KIND)
    assert sorted(n.recipient_id for n in notes) == sorted(
        [programme_follower.pk, dashboard_follower.pk, both.pk])  # once each, not the actor
    note = notes.get(recipient=both)
    assert "Xanten" in note.subject and "Intelligent Cities Challenge" in note.subject
    assert 'measured "Open datasets published": 95.5 datasets' in note.body
    assert note.url == world.roadmap_x.get_absolute_url()
    # Recording the same value again (a correction of nothing) tells nobody.
    services.measurement_record(indicator=world.indicator_x, actor=world.city_staff,
                                date=date(2022, 1, 31), value="95.5")
    assert Notification.objects.filter(kind=KIND).count() == 3


def test_action_status_and_stage_changes_are_news(world):
    follower = UserFactory()
    follow(user=follower, target=world.programme)
    services.action_update(action=world.action_x, actor=world.city_staff, status="done")
    services.action_update(action=world.action_x, actor=world.city_staff, title="Renamed")
    services.roadmap_update(roadmap=world.roadmap_x, actor=world.city_staff, stage="implementation")
    bodies = list(Notification.objects.filter(kind=KIND, recipient=follower)
                  .order_by("pk").values_list("body", flat=True))
    assert len(bodies) == 2  # a new title alone is not progress
    assert 'Xanten completed the action "Renamed"' not in bodies[0]
    assert "Xanten completed the action" in bodies[0]
    assert "Xanten moved on to the stage: Implementation." in bodies[1]


def test_draft_programme_progress_tells_nobody(world):
    follower = UserFactory()
    follow(user=follower, target=world.roadmap_x)
    Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.DRAFT)
    world.roadmap_x.programme.refresh_from_db()
    services.measurement_record(indicator=world.indicator_x, actor=world.city_staff,
                                date=date(2022, 1, 31), value="70")
    assert not Notification.objects.filter(kind=KIND).exists()
