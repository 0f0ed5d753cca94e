"""Citizen feedback: no HTML injection, no oversized bodies, coordinates in range, rate limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ecosystem.errors import InvalidInput
from projects import services
from projects.models import Feedback
from projects.services import FEEDBACK_PER_HOUR, RateLimited

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> <b>bold</b>'


def test_script_is_stored_as_text_and_escaped_on_the_page(client, world):
    client.force_login(world.citizen)
    response = client.post(f"/pilots/{world.pilot.slug}/feedback/", {"kind": "idea", "body": SCRIPT})
    assert response.status_code == 302
    feedback = Feedback.objects.get(body__contains="script")
    assert feedback.body == SCRIPT  # kept as the person typed it, never interpreted
    services.feedback_publish(feedback=feedback, actor=world.staff)
    for url in [f"/pilots/{world.pilot.slug}/", "/pilots/feedback/moderation/?status=published"]:
        client.force_login(world.staff)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_api_returns_the_text_as_json_string(api, world):
    FeedbackFactory(pilot=world.pilot, body=SCRIPT, status="published")
    response = api.get(f"/api/v1/pilots/{world.pilot.slug}/feedback/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"][0]["body"] == SCRIPT


def test_one_megabyte_body_is_refused_on_the_web_with_400(client, world):
    client.force_login(world.citizen)
    response = client.post(f"/pilots/{world.pilot.slug}/feedback/",
                           {"kind": "comment", "body": "a" * 1_000_000})
    assert response.status_code == 400
    assert "5000 characters" in response.content.decode() or "5,000" in response.content.decode()
    assert not Feedback.objects.filter(author=world.citizen, kind="comment",
                                       body__startswith="aaaa").exists()


def test_one_megabyte_body_is_refused_by_the_api_with_400(api, world):
    api.force_authenticate(world.citizen)
    response = api.post(f"/api/v1/pilots/{world.pilot.slug}/feedback/",
                        {"kind": "comment", "body": "a" * 1_000_000}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "body" in response.json()["fields"]


def test_service_refuses_long_and_empty_bodies(world):
    with pytest.raises(InvalidInput):
        services.feedback_submit(pilot=world.pilot, author=world.citizen, body="x" * 5001)
    with pytest.raises(InvalidInput):
        services.feedback_submit(pilot=world.pilot, author=world.citizen, body=" \n\x00 ")


def test_control_characters_are_removed(world):
    feedback = services.feedback_submit(pilot=world.pilot, author=world.citizen,
                                        body="Bike\x00 path\x1b[31m here\r\nplease")
    assert feedback.body == "Bike path[31m here\nplease"


@pytest.mark.parametrize("lat, lon", [("91", "8"), ("-90.5", "8"), ("45", "181"), ("45", "-180.1"),
                                      ("45", ""), ("nan", "8"), ("abc", "8")])
def test_point_out_of_range_is_refused(api, world, lat, lon):
    api.force_authenticate(world.citizen)
    response = api.post(f"/api/v1/pilots/{world.pilot.slug}/feedback/",
                        {"kind": "idea", "body": "Here", "latitude": lat, "longitude": lon},
                        format="json")
    assert response.status_code == 400, response.json()
    assert not Feedback.objects.filter(body="Here").exists()


def test_point_out_of_range_on_the_web(client, world):
    client.force_login(world.citizen)
    response = client.post(f"/pilots/{world.pilot.slug}/feedback/",
                           {"kind": "idea", "body": "Here", "latitude": "95", "longitude": "8"})
    assert response.status_code == 400


def test_point_is_stored(api, world):
    api.force_authenticate(world.citizen)
    response = api.post(f"/api/v1/pilots/{world.pilot.slug}/feedback/",
                        {"kind": "idea", "body": "Charging station", "latitude": "49.0085",
                         "longitude": "8.4108"}, format="json")
    assert response.status_code == 201
    feedback = Feedback.objects.get(body="Charging station")
    assert (str(feedback.latitude), str(feedback.longitude)) == ("49.008500", "8.410800")
    assert feedback.status == "pending"


def test_rate_limit_in_the_service(world):
    for number in range(FEEDBACK_PER_HOUR):
        services.feedback_submit(pilot=world.pilot, author=world.mentor, body=f"Idea {number}")
    with pytest.raises(RateLimited):
        services.feedback_submit(pilot=world.pilot, author=world.mentor, body="One too many")
    assert Feedback.objects.filter(author=world.mentor).count() == FEEDBACK_PER_HOUR
    later = timezone.now() + timedelta(hours=1, minutes=1)
    services.feedback_submit(pilot=world.pilot, author=world.mentor, body="Later", now=later)


def test_rate_limit_counts_the_pending_fixture_too(world):
    # world.feedback is one submission by the citizen already (created now).
    for number in range(FEEDBACK_PER_HOUR - 1):
        services.feedback_submit(pilot=world.pilot, author=world.citizen, body=f"Idea {number}")
    with pytest.raises(RateLimited):
        services.feedback_submit(pilot=world.pilot, author=world.citizen, body="Sixth")


def test_rate_limit_is_429_in_the_api_and_on_the_web(api, client, world):
    api.force_authenticate(world.mentor)
    for number in range(FEEDBACK_PER_HOUR):
        response = api.post(f"/api/v1/pilots/{world.pilot.slug}/feedback/",
                            {"body": f"Idea {number}"}, format="json")
        assert response.status_code == 201
    response = api.post(f"/api/v1/pilots/{world.pilot.slug}/feedback/", {"body": "More"},
                        format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    client.force_login(world.mentor)
    response = client.post(f"/pilots/{world.pilot.slug}/feedback/", {"kind": "idea", "body": "More"})
    assert response.status_code == 429
    assert "Please wait" in response.content.decode()


def test_rate_limit_is_per_person(world):
    for number in range(FEEDBACK_PER_HOUR):
        services.feedback_submit(pilot=world.pilot, author=world.mentor, body=f"Idea {number}")
    services.feedback_submit(pilot=world.pilot, author=world.editor, body="Mine")


def test_pending_feedback_is_not_public_but_visible_to_its_author(client, world):
    url = f"/pilots/{world.pilot.slug}/"
    assert world.feedback.body not in client.get(url).content.decode()
    client.force_login(world.citizen)
    page = client.get(url).content.decode()
    assert world.feedback.body in page and "Waiting for moderation" in page


def test_rejected_reason_shown_to_the_author(client, world):
    services.feedback_reject(feedback=world.feedback, actor=world.staff, reason="Off topic")
    client.force_login(world.citizen)
    assert "Off topic" in client.get(f"/pilots/{world.pilot.slug}/").content.decode()


def test_admin_actions_moderate_through_the_service(client, world):
    client.force_login(world.staff)
    world.staff.is_superuser = True
    world.staff.save()
    response = client.post("/admin/projects/feedback/", {
        "action": "publish", "_selected_action": [world.feedback.pk]})
    assert response.status_code == 302
    world.feedback.refresh_from_db()
    assert world.feedback.status == "published" and world.feedback.moderated_by == world.staff
    response = client.post("/admin/projects/feedback/", {
        "action": "reject_as_abusive", "_selected_action": [world.feedback.pk]})
    world.feedback.refresh_from_db()
    assert world.feedback.status == "rejected" and world.feedback.rejection_reason
