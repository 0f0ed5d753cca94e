from datetime import timedelta

import factory
from django.utils import timezone

from events.models import (
    CooperationProfile,
    Event,
    MeetingRequest,
    MeetingSession,
    Registration,
)
from tests.factories import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Smart mobility workshop {n}")
    slug = factory.Sequence(lambda n: f"smart-mobility-workshop-{n}")
    summary = "Cities and SMEs on shared mobility."
    description = "A workshop on shared mobility pilots."
    kind = Event.Kind.WORKSHOP
    mode = Event.Mode.IN_PERSON
    venue_name = "Rijeka Science Park"
    street_address = "Ulica Radmile Matejčić 10"
    postal_code = "51000"
    latitude = "45.327063"
    longitude = "14.442176"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    time_zone = "Europe/Zagreb"
    capacity = 10
    publication = Event.Publication.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationProfile

    event = factory.SubFactory(EventFactory, matchmaking=True, kind=Event.Kind.MATCHMAKING)
    user = factory.SubFactory(UserFactory)
    direction = CooperationProfile.Direction.OFFER
    type = CooperationProfile.Type.TECHNOLOGY
    title = "Parking sensors"
    description = "LoRaWAN parking sensors."


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory, matchmaking=True, kind=Event.Kind.MATCHMAKING)
    requester = factory.SubFactory(UserFactory)
    recipient = factory.SubFactory(UserFactory)
    message = "Shall we talk about a pilot?"


class MeetingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSession

    name = "Morning"
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    slot_minutes = 20
    break_minutes = 5
    slot_count = 4
    tables = 3
