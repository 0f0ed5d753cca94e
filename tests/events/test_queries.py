"""The list page and the API use the same number of queries for 2 and 20 events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, ThemeFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _events(count):
    themes = [ThemeFactory(), ThemeFactory()]
    organisation = OrganisationFactory()
    for _ in range(count):
        event = EventFactory(organisers=[organisation])
        event.themes.set(themes)
        RegistrationFactory(event=event)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/events/", "/api/v1/events/", "/events/calendar/",
                                 "/events/feed.ics"])
def test_same_queries_for_2_and_20_events(client, url, django_assert_num_queries):
    _events(2)
    two = _count(client, url)
    _events(18)
    with django_assert_num_queries(two):
        client.get(url)
