"""The calls' buyer filter is an autocomplete: no <option> per organisation, a JSON endpoint
for the suggestions, and a form that works without JavaScript."""

import re

import pytest

from stakeholders.models import OrganisationKind
from tests.factories import OrganisationFactory
from tests.procurement.factories import BuyerFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_calls_page_renders_no_choice_per_organisation(client, published_call, buyer):
    for number in range(30):
        BuyerFactory(name=f"Municipality {number}", slug=f"municipality-{number}")
    html = client.get("/calls/").content.decode()
    assert "municipality-7" not in html
    field = re.search(r'<input[^>]*name="buyer"[^>]*>', html).group(0)
    assert 'data-autocomplete="/organisations/suggest/"' in field
    assert 'data-autocomplete-param-helix="public"' in field
    assert "/static/ecosystem/autocomplete.js" in html


def test_without_javascript_the_exact_name_or_the_slug_filters(client, published_call, buyer):
    other_buyer = BuyerFactory(name="Town of Pula", slug="town-of-pula")
    other = CallFactory(buyer=other_buyer, status="published", title="Bike lanes of Pula")
    for value in ("city of rijeka", "city-of-rijeka"):
        response = client.get("/calls/", {"buyer": value})
        titles = [call.title for call in response.context["page"]]
        assert titles == [published_call.title], value
        assert 'value="City of Rijeka"' in response.content.decode()  # shown by its name
    assert other.title not in client.get("/calls/", {"buyer": "city-of-rijeka"}).content.decode()


def test_unknown_or_ambiguous_buyer_is_a_form_error_not_a_500(client, published_call, buyer):
    BuyerFactory(name="Twin Town", slug="twin-town-1")
    BuyerFactory(name="Twin Town", slug="twin-town-2")
    ambiguous = client.get("/calls/", {"buyer": "Twin Town"})
    assert ambiguous.status_code == 200
    assert "Several organisations have this name" in ambiguous.content.decode()
    assert client.get("/calls/", {"buyer": "twin-town-2"}).status_code == 200
    assert client.get("/calls/", {"buyer": "nowhere"}).status_code == 200


def test_api_buyer_filter_still_takes_a_slug(api, published_call, buyer):
    body = api.get("/api/v1/calls/", {"buyer": "city-of-rijeka"}).json()
    assert [row["slug"] for row in body["results"]] == [published_call.slug]
    # An unknown buyer matches nothing, as every reference filter (the API contract).
    response = api.get("/api/v1/calls/", {"buyer": "nowhere"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_suggestions_match_the_start_then_inside_the_name_and_narrow_by_helix(client):
    BuyerFactory(name="City of Rijeka", slug="city-of-rijeka")
    BuyerFactory(name="Rijeka Port Authority", slug="rijeka-port")
    OrganisationFactory(name="Rijeka Sensors", slug="rijeka-sensors", kind=OrganisationKind.SME)
    everyone = client.get("/organisations/suggest/", {"q": "rij"}).json()["results"]
    assert [row["value"] for row in everyone] == ["rijeka-port", "rijeka-sensors",
                                                  "city-of-rijeka"]
    assert set(everyone[0]) == {"value", "label", "detail"}
    public = client.get("/organisations/suggest/", {"q": "rij", "helix": "public"}).json()
    assert [row["value"] for row in public["results"]] == ["rijeka-port", "city-of-rijeka"]


def test_suggestions_need_two_letters_are_bounded_and_check_the_helix(client):
    for number in range(15):
        OrganisationFactory(name=f"Grid Works {number:02d}", slug=f"grid-{number}")
    assert client.get("/organisations/suggest/", {"q": "g"}).json() == {"results": []}
    assert len(client.get("/organisations/suggest/", {"q": "grid"}).json()["results"]) == 10
    response = client.get("/organisations/suggest/", {"q": "grid", "helix": "pirates"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
