"""Every list has the same filter form: one include, labels without colons, "Any …" instead
of "---------", a "Filter" button and, once something is filtered, "Clear filters"."""

import re

import pytest

from events.models import Event
from tests.events.factories import EventFactory
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

LISTS = ["/organisations/", "/calls/", "/events/", "/projects/", "/pilots/map/", "/programmes/"]


def _form(html: str) -> str:
    assert html.count('class="filters"') == 1
    start = html.index('<form method="get" class="filters"')
    return html[start:html.index("</form>", start)]


@pytest.fixture
def marketplace(db):
    return EventFactory(slug="b2b-day", kind=Event.Kind.MATCHMAKING, matchmaking=True)


@pytest.mark.parametrize("url", LISTS + ["/events/b2b-day/marketplace/"])
def test_one_layout_for_every_list(client, marketplace, staff, url):
    ThemeFactory(name="Mobility", slug="mobility")
    if "marketplace" in url:
        client.force_login(staff)  # organisers and registered people only
    response = client.get(url)
    assert response.status_code == 200, url
    form = _form(response.content.decode())
    assert 'role="search"' in form and "aria-label=" in form
    assert "---------" not in form
    assert not re.search(r":\s*</label>", form), "labels end without a colon"
    labels = re.findall(r'<label for="([^"]+)">', form)
    assert labels and all(f'id="{label}"' in form for label in labels)
    assert '<button type="submit">Filter</button>' in form
    assert "Clear filters" not in form  # nothing filtered yet


@pytest.mark.parametrize("url, words", [
    # The buyer is an autocomplete (no option per organisation), so it has no empty choice.
    ("/calls/", ["Any status", "Any procedure", "Any theme"]),
    ("/projects/", ["Any theme", "Any funding programme", "Any city", "Any status", "Any helix"]),
    # The project (like the buyer of /calls/) is an autocomplete, not a <select>.
    ("/pilots/map/", ["Any theme", "Any city", "Any status"]),
    ("/programmes/", ["Any status", "Any funding programme"]),
    ("/organisations/", ["Any helix", "Any kind", "Any country", "Any theme", "Any city",
                         "Verified or not"]),
    ("/events/", ["Any kind", "Any theme", "Any city"]),
])
def test_empty_choices_say_any(client, url, words):
    form = _form(client.get(url).content.decode())
    for word in words:
        assert f'<option value="" selected>{word}</option>' in form, (url, word)


@pytest.mark.parametrize("url, query", [
    ("/calls/", "status=open"), ("/projects/", "q=bike"), ("/pilots/map/", "status=running"),
    ("/programmes/", "status=active"), ("/organisations/", "helix=public"),
    ("/events/", "kind=workshop"),
])
def test_clear_filters_once_filtered(client, url, query):
    form = _form(client.get(f"{url}?{query}").content.decode())
    assert f'<a href="{url}">Clear filters</a>' in form


def test_programme_list_filters_by_status(client):
    from tests.projects.factories import ProgrammeFactory

    ProgrammeFactory(name="Intelligent Cities Challenge", status="active")
    ProgrammeFactory(name="Digital Cities Challenge", status="completed")
    html = client.get("/programmes/?status=completed").content.decode()
    assert "Digital Cities Challenge" in html and "Intelligent Cities Challenge" not in html
