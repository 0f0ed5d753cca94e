"""The home page shows what is happening now, contributed by each app (ecosystem/sections.py)."""

import pytest

from procurement.models import Call
from projects.models import Pilot
from tests.events.factories import EventFactory
from tests.procurement.factories import CallFactory
from tests.projects.factories import PilotFactory

pytestmark = pytest.mark.django_db


def _open_call(**kwargs):
    return CallFactory(status=Call.Status.PUBLISHED, **kwargs)


def test_home_lists_upcoming_events_open_calls_and_running_pilots(client):
    EventFactory(title="Code sprint for the public administration")
    _open_call(title="Smart parking sensors for the old town")
    CallFactory(title="A draft nobody may see")
    PilotFactory(title="eBike charging in Karlsruhe")
    PilotFactory(title="A finished pilot", status=Pilot.Status.COMPLETED)

    page = client.get("/").content.decode()

    assert "Upcoming events" in page and "Code sprint for the public administration" in page
    assert "Calls open for applications" in page
    assert "Smart parking sensors for the old town" in page
    assert "A draft nobody may see" not in page
    assert "Pilots running now" in page and "eBike charging in Karlsruhe" in page
    assert "A finished pilot" not in page


def test_empty_sections_are_left_out(client):
    page = client.get("/").content.decode()
    assert "Upcoming events" not in page
    assert "Calls open for applications" not in page


def test_home_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    for _ in range(3):
        EventFactory()
        _open_call()
        PilotFactory()
    client.get("/")
    with django_assert_max_num_queries(12) as few:
        client.get("/")
    for _ in range(10):
        EventFactory()
        _open_call()
        PilotFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")
