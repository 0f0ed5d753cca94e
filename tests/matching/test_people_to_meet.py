"""People to meet at a matchmaking event: offers answering requests first, one-click meeting
request through the existing B2B service; participants only."""

import json

import pytest

from events.models import CooperationProfile, MeetingRequest
from tests.events.factories import EventFactory, ProfileFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def b2b(world):
    w = world
    event = EventFactory(matchmaking=True, kind="matchmaking", slug="b2b", city=w.rijeka,
                         organisers=[w.buyer], capacity=50)
    RegistrationFactory(event=event, user=w.member, organisation=w.sme)
    request = ProfileFactory(event=event, user=w.member, organisation=w.sme,
                             direction=CooperationProfile.Direction.REQUEST,
                             title="Looking for air-quality sensors",
                             description="We need air quality sensors for a parking pilot.")
    request.themes.set([w.mobility])
    w.sensor_person = UserFactory(email="marko@zelena.example", full_name="Marko Horvat")
    RegistrationFactory(event=event, user=w.sensor_person, organisation=w.ngo)
    offer = ProfileFactory(event=event, user=w.sensor_person, organisation=w.ngo,
                           title="Air-quality sensors", description="Low-cost air quality "
                           "sensors built with schools.")
    offer.themes.set([w.mobility])
    other_org = OrganisationFactory(name="Bakery Ltd", slug="bakery", verified=True)
    w.baker = UserFactory(email="baker@bakery.example", full_name="Petra Pek")
    MembershipFactory(organisation=other_org, user=w.baker)
    RegistrationFactory(event=event, user=w.baker, organisation=other_org)
    ProfileFactory(event=event, user=w.baker, organisation=other_org, title="Bread delivery",
                   description="Fresh bread for conference catering.")
    w.b2b, w.offer = event, offer
    return w


def test_people_to_meet_ranks_offers_that_answer_requests(client, b2b):
    w = b2b
    client.force_login(w.member)
    page = client.get(f"/events/{w.b2b.slug}/marketplace/people-to-meet/").content.decode()
    assert "Marko Horvat" in page
    assert "Offers what you requested: Air-quality sensors" in page
    assert page.index("Marko Horvat") < page.index("Petra Pek") if "Petra Pek" in page else True
    assert "marko@zelena.example" not in page


def test_one_click_meeting_request_uses_the_b2b_service(client, b2b):
    w = b2b
    client.force_login(w.member)
    response = client.post(f"/events/{w.b2b.slug}/marketplace/{w.offer.pk}/request/",
                           {"message": "The portal suggests we meet: air-quality sensors."})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.requester, request.recipient) == (w.member, w.sensor_person)
    # Someone already asked is not suggested again.
    page = client.get(f"/events/{w.b2b.slug}/marketplace/people-to-meet/").content.decode()
    assert "Marko Horvat" not in page


def test_people_to_meet_api_is_for_participants_only(api, b2b):
    w = b2b
    url = f"/api/v1/events/{w.b2b.pk}/people-to-meet/"
    api.force_authenticate(w.large_member)
    assert api.get(url).status_code == 403
    api.force_authenticate(w.member)
    body = api.get(url).json()
    assert body[0]["name"] == "Marko Horvat" and body[0]["profile_id"] == w.offer.pk
    assert "Offers what you requested: Air-quality sensors" in [r["text"] for r in body[0]["reasons"]]
    assert "@" not in json.dumps(body)
