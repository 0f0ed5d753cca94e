"""People who act for no organisation (citizens) get recommendations of their own: upcoming
events like those they registered for and the things they follow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecosystem.matching import services
from ecosystem.matching.models import PersonNotInterested, PersonRecommendation, Recommendation
from ecosystem.matching.selectors import recommendations_for
from ecosystem.notifications.models import OutboxMessage
from ecosystem.notifications.services import follow
from events.models import Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.projects.factories import PilotFactory, ProjectFactory

API = "/api/v1/me/recommendations/"


@pytest.fixture
def people(world):
    """Two citizens who once went to a mobility event, a health event coming up, and a
    cycling event coming up that nobody has registered for yet."""
    w = world
    w.past_event = EventFactory(
        title="Cycling to school", slug="cycling-to-school", city=w.rijeka,
        organisers=[w.ngo], description="Safe cycling routes and mobility for children.",
        starts_at=timezone.now() - timedelta(days=30))
    w.past_event.themes.set([w.mobility])
    w.health_event = EventFactory(title="Hospital software day", slug="hospital-software",
                                  summary="Clinics and their records.",
                                  description="Software for clinics.", organisers=[w.buyer])
    w.health_event.themes.set([w.health])
    w.citizen = UserFactory(email="luka@citizens.example", full_name="Luka Perić")
    w.neighbour = UserFactory(email="mia@citizens.example", full_name="Mia Kovač")
    for person in (w.citizen, w.neighbour):
        RegistrationFactory(event=w.past_event, user=person,
                            status=Registration.Status.ATTENDED)
    return w


def _shown(viewer) -> dict[int, list[str]]:
    return {item.target_id: item.reason_texts for item in recommendations_for(viewer=viewer)}


def test_a_citizen_is_suggested_upcoming_events_like_those_they_went_to(people):
    w = people
    services.recommendations_refresh_all()
    shown = _shown(w.citizen)
    assert w.event.pk in shown  # mobility, like the cycling event they attended
    assert any("Mobility" in text for text in shown[w.event.pk])  # the reason that scored
    assert w.health_event.pk not in shown  # shares nothing with what they chose
    assert w.past_event.pk not in shown and w.draft_event.pk not in shown  # hard rules
    rows = PersonRecommendation.objects.filter(person=w.citizen)
    assert {row.kind for row in rows} == {"event"}  # calls, partners: organisations only


def test_people_who_act_for_an_organisation_get_their_organisations_rows_only(people):
    w = people
    RegistrationFactory(event=w.past_event, user=w.member, status=Registration.Status.ATTENDED)
    services.recommendations_refresh_all()
    assert not PersonRecommendation.objects.filter(person=w.member).exists()
    assert {item.organisation_id for item in recommendations_for(viewer=w.member)} == {w.sme.pk}
    # Joining an organisation later: the next refresh removes their own rows.
    assert PersonRecommendation.objects.filter(person=w.citizen).exists()
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=w.ngo, user=w.citizen)
    services.people_refresh(user_ids=[w.citizen.pk])
    assert not PersonRecommendation.objects.filter(person=w.citizen).exists()


def test_following_a_pilot_or_project_makes_its_themes_an_interest(people):
    w = people
    newcomer = UserFactory(email="ivo@citizens.example")
    services.recommendations_refresh_all()
    assert _shown(newcomer) == {}  # nothing chosen yet: nothing to suggest
    project = ProjectFactory(acronym="GREEN", title="Green streets", slug="green-streets")
    pilot = PilotFactory(project=project, city=w.rijeka, title="Car-free Sundays",
                         summary="Streets closed to cars for cycling and mobility.")
    pilot.themes.set([w.mobility])
    follow(user=newcomer, target=pilot)
    assert OutboxMessage.objects.filter(task=services.PEOPLE_TASK,
                                        payload__user_ids=[newcomer.pk]).exists()
    services.people_refresh(user_ids=[newcomer.pk])
    assert w.event.pk in _shown(newcomer)
    # A member following something queues nothing: their organisation's rows are theirs.
    follow(user=w.member, target=pilot)
    assert not OutboxMessage.objects.filter(task=services.PEOPLE_TASK,
                                            payload__user_ids=[w.member.pk]).exists()


def test_registering_for_an_event_queues_the_citizens_refresh(people):
    from events.services import registration_create

    w = people
    newcomer = UserFactory(email="ena@citizens.example")
    registration_create(event=w.health_event, user=newcomer)
    assert OutboxMessage.objects.filter(task=services.PEOPLE_TASK,
                                        payload__user_ids=[newcomer.pk]).exists()


def test_not_interested_hides_the_event_for_that_person_only(people, client):
    w = people
    services.recommendations_refresh_all()
    assert w.event.pk in _shown(w.citizen) and w.event.pk in _shown(w.neighbour)
    client.force_login(w.citizen)
    home = client.get("/")
    assert w.event.title in home.content.decode()
    response = client.post(reverse("matching:not-interested"),
                           {"kind": "event", "target_id": w.event.pk, "next": "/"})
    assert response.status_code == 302
    assert PersonNotInterested.objects.filter(person=w.citizen, target_id=w.event.pk).exists()
    services.people_refresh(user_ids=[w.citizen.pk, w.neighbour.pk])
    assert w.event.pk not in _shown(w.citizen)
    assert w.event.pk in _shown(w.neighbour)
    # Organisations' rows are untouched by a person's answer.
    assert Recommendation.objects.filter(kind="event", target_id=w.event.pk).exists()


def test_a_citizen_cannot_dismiss_for_an_organisation_or_an_unknown_kind(people, api):
    w = people
    api.force_authenticate(w.citizen)
    url = API + "not-interested/"
    assert api.post(url, {"kind": "event", "target_id": w.event.pk,
                          "organisation_id": w.sme.pk}).status_code == 404
    response = api.post(url, {"kind": "call", "target_id": w.call.pk})
    assert response.status_code == 404  # calls are never suggested to a person
    assert not PersonNotInterested.objects.exists()
    assert api.post(url, {"kind": "event", "target_id": w.event.pk}).status_code == 204
    assert PersonNotInterested.objects.filter(person=w.citizen).count() == 1


def test_the_api_gives_a_citizen_their_rows_in_constant_queries(people, api):
    w = people
    services.recommendations_refresh_all()
    api.force_authenticate(w.citizen)
    with CaptureQueriesContext(connection) as few:
        first = api.get(API).json()
    assert first and all(item["organisation_id"] is None for item in first)
    assert {item["target"]["id"] for item in first} == {w.event.pk}
    for n in range(12):
        event = EventFactory(slug=f"more-mobility-{n}", organisers=[OrganisationFactory()],
                             city=w.rijeka, description="Cycling and mobility sensors.")
        event.themes.set([w.mobility])
    services.recommendations_refresh_all()
    with CaptureQueriesContext(connection) as many:
        response = api.get(API, {"limit": 50})
    assert len(response.json()) > 10
    assert len(many) == len(few)
    assert api.get(API, {"organisation": w.sme.pk}).status_code == 404


def test_the_schema_says_a_row_may_be_for_the_person(api):
    schema = api.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["Recommendation"]["properties"]["organisation_id"]
    assert field.get("nullable") is True


def test_a_person_erasing_their_account_erases_their_suggestions(people):
    w = people
    services.recommendations_refresh_all()
    services.person_not_interested(user=w.citizen, kind="event", target_id=w.health_event.pk)
    assert PersonRecommendation.objects.filter(person=w.citizen).exists()
    w.citizen.delete()
    assert not PersonRecommendation.objects.filter(person_id=w.citizen.pk).exists()
    assert not PersonNotInterested.objects.filter(person_id=w.citizen.pk).exists()


def test_the_web_form_answers_as_the_api_does(people, client):
    w = people
    client.force_login(w.citizen)
    url = reverse("matching:not-interested")
    assert client.post(url, {"kind": "event", "target_id": w.event.pk,
                             "organisation": w.sme.pk}).status_code == 404  # not theirs
    assert client.post(url, {"kind": "call", "target_id": w.call.pk}).status_code == 404
    assert not PersonNotInterested.objects.exists()
