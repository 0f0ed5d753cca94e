"""Following an organisation: the button on its profile, and what a follower hears (its new
calls and events)."""

import pytest
from django.urls import reverse

from ecosystem.notifications.models import Notification
from ecosystem.notifications.services import follow
from events import services as event_services
from events.models import Event
from procurement import services as call_services
from stakeholders.models import Membership
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.procurement.factories import BuyerFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_profile_has_a_follow_button_that_follows(client):
    organisation = OrganisationFactory(name="Adriatic Mobility Lab", slug="adriatic-mobility")
    anonymous = client.get(organisation.get_absolute_url()).content.decode()
    assert "Sign in to follow" in anonymous
    person = UserFactory()
    client.force_login(person)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert 'name="target_type" value="stakeholders.organisation"' in page
    response = client.post(reverse("notifications:follow"), {
        "target_type": "stakeholders.organisation", "target_id": organisation.pk,
        "action": "follow", "next": organisation.get_absolute_url()})
    assert response.status_code == 302
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page


def test_followers_hear_of_a_published_call_once():
    buyer = BuyerFactory(name="City of Rijeka", slug="city-of-rijeka")
    officer = MembershipFactory(organisation=buyer, role=Membership.Role.ADMIN).user
    follower = UserFactory()
    follow(user=follower, target=buyer)
    follow(user=officer, target=buyer)
    call = CallFactory(buyer=buyer, title="Smart parking sensors")
    call_services.call_publish(call=call, actor=officer)
    notes = Notification.objects.filter(kind="stakeholders.organisation_news")
    assert [n.recipient for n in notes] == [follower]  # never the actor
    assert "Smart parking sensors" in notes[0].subject and "City of Rijeka" in notes[0].subject
    assert notes[0].url == call.get_absolute_url()


def test_followers_of_an_organiser_hear_of_a_published_event():
    organiser = OrganisationFactory(name="Rijeka Science Park", slug="rijeka-science-park")
    other = OrganisationFactory()
    follower, bystander = UserFactory(), UserFactory()
    follow(user=follower, target=organiser)
    follow(user=bystander, target=other)
    event = EventFactory(publication=Event.Publication.DRAFT, published_at=None,
                         organisers=[organiser], title="Open data breakfast")
    event_services.event_publish(event=event, actor=StaffFactory())
    note = Notification.objects.get(kind="stakeholders.organisation_news")
    assert note.recipient == follower
    assert "Open data breakfast" in note.body and note.url == event.get_absolute_url()
