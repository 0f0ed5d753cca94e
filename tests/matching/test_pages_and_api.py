"""Where people see recommendations: For you (home and the organisation's page), the API,
"not interested" without JavaScript; nothing leaks to other organisations."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.matching import services
from ecosystem.matching.models import Recommendation
from events.models import CooperationProfile
from tests.events.factories import EventFactory, ProfileFactory, RegistrationFactory
from tests.factories import CityFactory, OrganisationFactory, ThemeFactory
from tests.procurement.factories import BuyerFactory, CallFactory

API = "/api/v1/me/recommendations/"


@pytest.fixture
def refreshed(world):
    services.recommendations_refresh_all()
    return world


def test_home_shows_for_you_with_reasons_and_a_button(client, refreshed):
    client.force_login(refreshed.member)
    page = client.get("/").content.decode()
    assert "For you" in page
    assert "Smart parking sensors for the old town" in page
    assert "Shares Energy and Mobility with you" in page
    assert reverse("matching:not-interested") in page


def test_anonymous_home_has_no_for_you(client, refreshed):
    assert "For you" not in client.get("/").content.decode()


def test_not_interested_button_works_without_javascript(client, refreshed):
    w = refreshed
    client.force_login(w.member)
    response = client.post(reverse("matching:not-interested"), {
        "kind": "call", "target_id": w.call.pk, "organisation": w.sme.pk, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert ': Smart parking sensors for the old town</span></button>' not in page
    assert ': E-mobility charging pilot for SMEs</span></button>' in page


def test_not_interested_for_someone_elses_organisation_is_a_404(client, refreshed):
    w = refreshed
    client.force_login(w.member)
    response = client.post(reverse("matching:not-interested"), {
        "kind": "call", "target_id": w.call.pk, "organisation": w.ngo.pk})
    assert response.status_code == 404
    assert Recommendation.objects.filter(organisation=w.ngo, target_id=w.call.pk).exists()


def test_organisation_page_shows_for_you_to_its_members_only(client, refreshed):
    w = refreshed
    url = w.sme.get_absolute_url()
    client.force_login(w.member)
    assert "Smart parking sensors for the old town" in client.get(url).content.decode()
    client.force_login(w.ngo_member)
    assert "Shares Energy and Mobility with you" not in client.get(url).content.decode()


def test_api_lists_recommendations_with_reasons_and_scores(api, refreshed):
    w = refreshed
    api.force_authenticate(w.member)
    body = api.get(API, {"kind": "call"}).json()
    assert [item["target"]["id"] for item in body][:1] == [w.call.pk]
    first = body[0]
    assert first["kind"] == "call" and 0 < first["score"] <= 1
    assert {"code": "themes", "signal": "themes", "params": {"themes": ["Energy", "Mobility"]},
            "text": "Shares Energy and Mobility with you"} in first["reasons"]
    assert all(item["kind"] == "call" for item in body)


def test_api_errors(api, refreshed):
    assert api.get(API).status_code in (401, 403)
    api.force_authenticate(refreshed.member)
    response = api.get(API, {"kind": "nonsense"})
    assert response.status_code == 400 and set(response.json()) == {"message", "code", "fields"}
    assert api.get(API, {"limit": "0"}).status_code == 400
    assert api.get(API, {"organisation": refreshed.ngo.pk}).status_code == 404
    response = api.post(API + "not-interested/", {"kind": "call", "target_id": "x"}, format="json")
    assert response.status_code == 400
    response = api.post(API + "not-interested/", {"kind": "call", "target_id": refreshed.call.pk,
                                                  "organisation_id": refreshed.ngo.pk},
                        format="json")
    assert response.status_code == 404
    response = api.post(API + "not-interested/", {"kind": "call", "target_id": refreshed.call.pk},
                        format="json")
    assert response.status_code == 204
    assert refreshed.call.pk not in [i["target"]["id"] for i in api.get(API, {"kind": "call"}).json()]


def test_nothing_private_leaks_through_recommendations(api, refreshed):
    w = refreshed
    api.force_authenticate(w.member)
    text = json.dumps(api.get(API).json())
    assert "@" not in text  # no e-mail address of anyone
    assert "cpv_interests" not in text


def test_cooperation_offers_are_shown_only_to_the_events_participants(api, world):
    w = world
    event = EventFactory(matchmaking=True, kind="matchmaking", slug="b2b-rijeka", city=w.rijeka,
                         organisers=[w.buyer])
    offer = ProfileFactory(event=event, user=w.ngo_member, organisation=w.ngo,
                           direction=CooperationProfile.Direction.OFFER,
                           title="Air-quality sensors", description="Low-cost air quality sensors "
                           "for schools, with citizen science.")
    offer.themes.set([w.mobility])
    ProfileFactory(event=event, user=w.member, organisation=w.sme,
                   direction=CooperationProfile.Direction.REQUEST, title="We need air-quality sensors",
                   description="Looking for air quality sensors for a parking pilot.")
    services.recommendations_refresh_all()
    assert Recommendation.objects.filter(organisation=w.sme, kind="offer",
                                         target_id=offer.pk).exists()
    api.force_authenticate(w.member)
    assert api.get(API, {"kind": "offer"}).json() == []  # not a participant: nothing shown
    RegistrationFactory(event=event, user=w.member, organisation=w.sme)
    body = api.get(API, {"kind": "offer"}).json()
    assert [item["target"]["id"] for item in body] == [offer.pk]
    assert "Offers what you requested: Air-quality sensors" in [
        r["text"] for r in body[0]["reasons"]]


def _many_calls(world, count):
    buyers = [BuyerFactory(city=world.rijeka, verified=True) for _ in range(count)]
    for n, buyer in enumerate(buyers):
        call = CallFactory(buyer=buyer, slug=f"many-{count}-{n}", status="published",
                           title=f"Mobility sensors {n}", challenge="Parking sensors, mobility.")
        call.themes.set([world.mobility])


def test_for_you_reads_a_constant_number_of_queries(api, client, world):
    w = world
    services.recommendations_refresh_all()
    api.force_authenticate(w.member)
    with CaptureQueriesContext(connection) as few:
        api.get(API, {"limit": 50})
    _many_calls(w, 15)
    EventFactory(slug="more-events", organisers=[OrganisationFactory()], city=CityFactory())
    ThemeFactory()
    services.recommendations_refresh_all()
    assert Recommendation.objects.filter(organisation=w.sme, kind="call").count() >= 15
    with CaptureQueriesContext(connection) as many:
        response = api.get(API, {"limit": 50})
    assert len(response.json()) > 10
    assert len(many) == len(few)


def test_openapi_documents_the_endpoints(api):
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/me/recommendations/"]["get"]
    assert {"200", "400"} <= set(operation["responses"])
    kind = next(p for p in operation["parameters"] if p["name"] == "kind")
    assert set(kind["schema"]["enum"]) == {"call", "event", "partner", "offer", "project"}


def test_for_you_presents_only_what_it_shows_and_skips_what_closed_since(api, world,
                                                                          monkeypatch):
    import dataclasses

    from ecosystem.matching import registry
    from procurement.models import Call

    w = world
    _many_calls(w, 6)
    services.recommendations_refresh_all()
    api.force_authenticate(w.member)
    asked = []
    real_get = registry.get_kind

    def spying(key):
        kind = real_get(key)

        def present(ids, viewer=None):
            asked.append(list(ids))
            return kind.present(ids, viewer)
        return dataclasses.replace(kind, present=present) if key == "call" else kind

    monkeypatch.setattr(registry, "get_kind", spying)
    first = api.get(API, {"kind": "call", "limit": 2}).json()
    assert len(first) == 2 and len(asked) == 1 and len(asked[0]) == 2
    # The best one is cancelled before the next refresh: the next best stored takes its place.
    Call.objects.filter(pk=first[0]["target"]["id"]).update(
        status=Call.Status.CANCELLED, cancellation_reason="The budget was withdrawn.")
    asked.clear()
    again = api.get(API, {"kind": "call", "limit": 2}).json()
    shown = [item["target"]["id"] for item in again]
    assert first[0]["target"]["id"] not in shown
    assert shown[0] == first[1]["target"]["id"] and len(shown) == 2
    assert len(asked) == 2  # a second round, once
