"""Keyset pagination of the API lists and the capped page count of the web lists."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory
from tests.projects.factories import PilotFactory

pytestmark = pytest.mark.django_db


def walk(api, url):
    """Every row of a list by following its next links; the links met on the way."""
    rows, links = [], []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        rows += body["results"]
        links.append(body)
        url = body["next"]
    return rows, links


def test_next_links_walk_every_row_once_in_order_even_with_equal_names(api):
    for number in range(7):
        OrganisationFactory(name="Same Name" if number % 2 else f"Name {number}",
                            slug=f"org-{number}")
    rows, links = walk(api, "/api/v1/organisations/?page_size=2")
    slugs = [row["slug"] for row in rows]
    assert len(slugs) == 7 == len(set(slugs))
    assert [(row["name"], row["id"]) for row in rows] == sorted(
        (row["name"], row["id"]) for row in rows)
    assert len(links) == 4 and links[0]["previous"] is None and links[-1]["next"] is None
    assert "cursor=" in links[0]["next"] and "page=" not in links[0]["next"]


def test_previous_link_gives_back_the_page_before(api):
    for number in range(5):
        OrganisationFactory(name=f"Org {number}", slug=f"org-{number}")
    first = api.get("/api/v1/organisations/?page_size=2").json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [row["slug"] for row in back["results"]] == [row["slug"] for row in first["results"]]
    assert back["next"] is not None


def test_a_nullable_ordering_walks_every_row_nulls_last_on_every_database(api):
    dates = [date(2025, 3, 1), None, date(2024, 1, 1), None, date(2025, 3, 1), date(2026, 5, 1)]
    for number, start in enumerate(dates):
        PilotFactory(slug=f"pilot-{number}", start_date=start)
    for ordering in ("start_date", "-start_date"):
        rows, _links = walk(api, f"/api/v1/pilots/?ordering={ordering}&page_size=2")
        assert len({row["slug"] for row in rows}) == len(dates)
        values = [row["start_date"] for row in rows]
        assert values[-2:] == [None, None]
        present = values[:-2]
        assert present == sorted(present, reverse=ordering.startswith("-"))


def test_a_deep_page_costs_the_same_queries_as_the_first(api):
    for number in range(30):
        OrganisationFactory(name=f"Org {number:02d}", slug=f"org-{number}")
    api.get("/api/v1/organisations/")
    with CaptureQueriesContext(connection) as first:
        next_link = api.get("/api/v1/organisations/?page_size=5").json()["next"]
    for _ in range(4):
        next_link = api.get(next_link).json()["next"]
    with CaptureQueriesContext(connection) as deep:
        assert api.get(next_link).status_code == 200
    assert len(deep) == len(first)
    assert not any("OFFSET" in query["sql"].upper() for query in deep.captured_queries)


@pytest.mark.parametrize("query, code", [
    ("page=0", "invalid_page"),
    ("page=-1", "invalid_page"),
    ("page=abc", "invalid_page"),
    ("page=51", "invalid_page"),
    ("page_size=0", "invalid_page_size"),
    ("page_size=101", "invalid_page_size"),
    ("ordering=description", "invalid_ordering"),
    ("ordering=-name,nope", "invalid_ordering"),
])
def test_a_bad_page_cursor_size_or_ordering_is_a_400_in_the_error_format(api, query, code):
    OrganisationFactory()
    response = api.get(f"/api/v1/organisations/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["message"] and body["fields"]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzFd"])  # WzFd: base64 of a list
def test_a_cursor_this_list_did_not_give_out_is_a_404_in_the_error_format(api, cursor):
    OrganisationFactory()
    response = api.get(f"/api/v1/organisations/?cursor={cursor}")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "invalid_cursor" and body["message"] and body["fields"]["cursor"]


def test_a_page_past_the_end_is_empty(api):
    OrganisationFactory()
    body = api.get("/api/v1/organisations/?page=3").json()
    assert body["results"] == [] and body["next"] is None


def test_page_numbers_still_work_for_the_first_pages(api):
    for number in range(5):
        OrganisationFactory(name=f"Org {number}", slug=f"org-{number}")
    body = api.get("/api/v1/organisations/?page=2&page_size=2").json()
    assert [row["slug"] for row in body["results"]] == ["org-2", "org-3"]
    assert "page=" not in body["previous"] and "cursor=" in body["next"]
    assert [row["slug"] for row in api.get(body["next"]).json()["results"]] == ["org-4"]


def test_web_list_caps_its_pages_and_asks_to_refine(client, monkeypatch):
    from ecosystem import pagination

    monkeypatch.setattr(pagination.capped_page, "__defaults__", (2,))
    for number in range(45):
        OrganisationFactory(name=f"Org {number:02d}", slug=f"org-{number}")
    response = client.get("/organisations/?page=9")
    page = response.context["page"]
    assert page.paginator.capped and page.number == 2 and page.paginator.count == 40
    html = response.content.decode()
    assert "refine your search" in html and "More than 40 organisations" in html
    assert "page=3" not in html
