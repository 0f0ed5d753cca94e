"""My portal: each person's start page, built from what every app registers."""

import pytest
from django.urls import reverse

from ecosystem.notifications.services import follow
from events import services as event_services
from events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.procurement.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_sign_in_lands_on_my_portal(client, citizen):
    citizen.set_password("a long enough passphrase 42")
    citizen.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=citizen, email=citizen.email,
                                          defaults={"verified": True, "primary": True})
    response = client.post(reverse("account_login"),
                           {"login": citizen.email, "password": "a long enough passphrase 42"})
    assert response.status_code == 302 and response["Location"] == "/me/"


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_header_menu_links_to_every_personal_page(client, citizen):
    client.force_login(citizen)
    html = client.get("/events/").content.decode()
    for url in ("/me/", "/events/registrations/", "/events/agenda/", "/applications/",
                "/events/meetings/"):
        assert f'href="{url}"' in html, url


def test_a_citizen_sees_coming_events_and_follows_but_no_evaluations(client, citizen):
    event = EventFactory(capacity=1)
    event_services.registration_create(event=event, user=citizen)
    full = EventFactory(title="Full workshop on air quality", capacity=1)
    event_services.registration_create(event=full, user=UserFactory())
    waiting = event_services.registration_create(event=full, user=citizen)
    assert waiting.status == Registration.Status.WAITING
    follow(user=citizen, target=full)
    client.force_login(citizen)
    html = client.get("/me/").content.decode()
    assert "Your coming events" in html and event.title in html and full.title in html
    assert "What you follow" in html
    assert "Your evaluations" not in html


def test_an_evaluator_sees_their_evaluations(client, evaluator_with_call):
    user, call = evaluator_with_call
    client.force_login(user)
    html = client.get("/me/").content.decode()
    assert "Your evaluations" in html and call.title in html


def test_the_header_links_to_evaluations_for_evaluators_only(client, evaluator_with_call,
                                                             citizen):
    user, _call = evaluator_with_call
    menu = '<li><a href="/evaluation/">'
    client.force_login(user)
    assert menu in client.get("/events/").content.decode()
    client.force_login(citizen)
    assert menu not in client.get("/events/").content.decode()


def test_my_portal_reads_a_fixed_number_of_queries(client, citizen):
    for _ in range(2):
        event_services.registration_create(event=EventFactory(), user=citizen)
    client.force_login(citizen)
    client.get("/me/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/me/")
    for _ in range(18):
        event_services.registration_create(event=EventFactory(), user=citizen)
        follow(user=citizen, target=EventFactory())
    with CaptureQueriesContext(connection) as many:
        client.get("/me/")
    assert len(many) <= len(few) + 1  # the follows section appears: one query per kind


@pytest.fixture
def evaluator_with_call(db):
    from procurement.models import EvaluatorAssignment

    user = UserFactory()
    call = CallFactory()
    EvaluatorAssignment.objects.create(call=call, evaluator=user)
    return user, call
