"""A pilot can come from a procurement call: both pages link to each other."""

import pytest

from procurement.models import Call
from projects import selectors
from tests.procurement.factories import CallFactory

from .factories import PilotFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded_call(db):
    call = CallFactory(title="Smart parking sensors for the old town")
    Call.objects.filter(pk=call.pk).update(status=Call.Status.AWARDED)
    call.refresh_from_db()
    return call


def test_pilots_for_call_lists_public_pilots_only(awarded_call):
    public = PilotFactory(call=awarded_call, title="Parking sensors on Korzo")
    PilotFactory(call=awarded_call, project=ProjectFactory(status="draft"))
    PilotFactory()
    assert list(selectors.pilots_for_call(call=awarded_call)) == [public]


def test_pilot_page_links_the_public_call(client, awarded_call):
    pilot = PilotFactory(call=awarded_call)
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert awarded_call.get_absolute_url() in html
    data = client.get(f"/api/v1/pilots/{pilot.slug}/").json()
    assert data["call"]["slug"] == awarded_call.slug


def test_a_draft_call_is_not_revealed_by_the_pilot(client):
    draft = CallFactory(title="Secret draft call")
    pilot = PilotFactory(call=draft)
    assert "Secret draft call" not in client.get(pilot.get_absolute_url()).content.decode()
    assert client.get(f"/api/v1/pilots/{pilot.slug}/").json()["call"] is None
