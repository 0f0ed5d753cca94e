"""The search page, the header box, the API's answers and their cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.search.registry import all_kinds
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


def test_the_page_lists_linked_highlighted_hits_with_facet_links(client, indexed):
    organisation = indexed(OrganisationFactory(name="Kvarner Energy Lab", country="HR"))
    html = client.get("/search/", {"q": "energy"}).content.decode()
    assert f'href="{organisation.get_absolute_url()}"' in html
    assert "Kvarner <mark>Energy</mark> Lab" in html
    assert 'href="?q=energy&amp;country=HR"' in html or 'href="?q=energy&country=HR"' in html
    assert "1 result" in html
    narrowed = client.get("/search/", {"q": "energy", "country": "DE"}).content.decode()
    assert "0 results" in narrowed and "Nothing matches." in narrowed


def test_every_page_has_the_search_box_that_works_without_javascript(client):
    html = client.get("/events/").content.decode()
    assert 'action="/search/"' in html and 'role="combobox"' in html
    assert 'aria-controls="site-search-listbox"' in html and 'role="status"' in html


@pytest.mark.parametrize("url", ["/api/v1/search/", "/search/", "/search/suggestions/"])
def test_the_cost_does_not_grow_with_the_hits(client, indexed, url):
    for number in range(2):
        indexed(OrganisationFactory(name=f"Solar partner {number}"))
    few = queries(client, url, {"q": "solar"})
    for number in range(2, 25):
        indexed(OrganisationFactory(name=f"Solar partner {number}"))
    assert queries(client, url, {"q": "solar"}) == few


@pytest.mark.parametrize(("params", "field"), [
    ({}, "q"), ({"q": "x" * 201}, "q"), ({"q": "a", "kind": "nope"}, "kind"),
    ({"q": "a", "page": "0"}, "page"), ({"q": "a", "year": "abc"}, "year"),
])
def test_bad_api_parameters_are_a_clear_400(api, params, field):
    response = api.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_every_registered_kind_answers_a_query_for_everyone(db, citizen):
    assert {kind.key for kind in all_kinds()} >= {
        "stakeholders.organisation", "procurement.call", "events.event", "projects.project",
        "projects.pilot", "projects.programme"}
    from django.contrib.auth.models import AnonymousUser
    for kind in all_kinds():
        for viewer in (AnonymousUser(), citizen):
            assert list(kind.visible_to(viewer).values_list("pk", flat=True)) == []
        assert kind.indexed_queryset().model is kind.model


def test_the_fast_api_representation_equals_the_generic_one(indexed):
    """SearchResultSerializer writes its answer directly for speed; it must not change."""
    from django.contrib.auth.models import AnonymousUser
    from rest_framework import serializers

    from ecosystem.search import selectors
    from ecosystem.search.api.serializers import SearchResultSerializer
    from tests.events.factories import EventFactory
    from tests.factories import CityFactory, ThemeFactory

    energy = ThemeFactory(name="Energy", slug="energy")
    rijeka = CityFactory(name="Rijeka", country="HR")
    organisation = OrganisationFactory(name="Kvarner Energy Lab <b>", city=rijeka, country="HR",
                                       description="Energy for the islands.")
    organisation.themes.add(energy)
    indexed(organisation, EventFactory(title="Energy week", city=rijeka),
            OrganisationFactory(name="Enrgy typo corp"))
    for query in ("energy", "enrgy", "energy week"):
        result = selectors.search(viewer=AnonymousUser(), query=query)
        assert result.hits
        fast = SearchResultSerializer(result).data
        generic = serializers.Serializer.to_representation(SearchResultSerializer(), result)
        assert fast == generic
        assert list(fast) == list(generic)
        assert [list(hit) for hit in fast["results"]] == [list(hit) for hit in generic["results"]]
    assert any(hit["date"] for hit in fast["results"])
    assert any(hit["date"] is None for hit in SearchResultSerializer(
        selectors.search(viewer=AnonymousUser(), query="kvarner")).data["results"])
