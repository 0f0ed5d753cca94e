"""A person with data in every app, and other people's data beside it."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from ecosystem.audit import audit
from ecosystem.notifications.models import Follow, Notification, Preference
from events.models import Meeting, MeetingSlot, Registration, Unavailability
from procurement import services as procurement
from procurement.models import Application
from projects.models import Feedback, Measurement, RoadmapComment
from stakeholders.models import Invitation, Membership
from tests.browser.conftest import axe, browser, page, shot  # noqa: F401 (fixtures)
from tests.events.factories import (
    EventFactory,
    MeetingRequestFactory,
    MeetingSessionFactory,
    ProfileFactory,
    RegistrationFactory,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.procurement.factories import BuyerFactory, CallFactory
from tests.projects.factories import (
    FeedbackFactory,
    IndicatorFactory,
    PilotFactory,
    ProjectMemberFactory,
    RoadmapFactory,
)

NAME = "Ivana Brezovac-Kos"
EMAIL = "ivana.brezovac@example.org"
PHONE = "+385 91 555 0142"
OTHER_NAME = "Tomislav Vidakovic"
OTHER_EMAIL = "tomislav.vidakovic@example.net"


@dataclass
class World:
    person: object
    other: object
    org: object
    other_org: object
    call: object
    application: Application
    other_application: Application
    other_registration: Registration


def _answers(call, text):
    return {str(c.pk): text for c in call.criteria.all()}


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    now = timezone.now()
    person = UserFactory(email=EMAIL, full_name=NAME, job_title="Mobility consultant")
    other = UserFactory(email=OTHER_EMAIL, full_name=OTHER_NAME)
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)
    EmailAddress.objects.create(user=other, email=OTHER_EMAIL, verified=True, primary=True)

    org = OrganisationFactory(name="Kvarner Mobility Lab", slug="kvarner-mobility-lab",
                              created_by=person)
    other_org = OrganisationFactory(name="Adria Sensing", slug="adria-sensing")
    MembershipFactory(user=person, organisation=org, role=Membership.Role.ADMIN)
    MembershipFactory(user=UserFactory(email="co-admin@kvarner.example"), organisation=org,
                      role=Membership.Role.ADMIN)
    MembershipFactory(user=other, organisation=other_org, role=Membership.Role.ADMIN)
    Invitation.objects.create(organisation=other_org, email=EMAIL, invited_by=other)
    Invitation.objects.create(organisation=org, email="someone.else@example.com",
                              invited_by=person)

    # events: registrations, matchmaking, agenda
    upcoming = EventFactory(matchmaking=True, kind="matchmaking")
    past = EventFactory(starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=39))
    RegistrationFactory(event=upcoming, user=person, organisation=org)
    RegistrationFactory(event=past, user=person, status=Registration.Status.ATTENDED)
    other_registration = RegistrationFactory(event=upcoming, user=other)
    ProfileFactory(event=upcoming, user=person, organisation=org,
                   description=f"Ask {NAME} on {PHONE} for our parking sensors.")
    ProfileFactory(event=upcoming, user=other, description="Drones for bridge inspection.")
    sent = MeetingRequestFactory(event=upcoming, requester=person, recipient=other,
                                 message=f"Hello, {NAME} here, call me on {PHONE}.",
                                 status="accepted")
    MeetingRequestFactory(event=upcoming, requester=other, recipient=person,
                          message=f"Dear {NAME}, shall we meet?")
    session = MeetingSessionFactory(event=upcoming)
    slot = MeetingSlot.objects.create(session=session, number=1, starts_at=upcoming.starts_at,
                                      ends_at=upcoming.starts_at + timedelta(minutes=20))
    Meeting.objects.create(request=sent, event=upcoming, slot=slot, table=2, published=True)
    Unavailability.objects.create(slot=slot, user=person)

    # notifications: her own, and someone else's that names her
    for number in range(3):
        Notification.objects.create(recipient=person, kind="events.meeting_accepted",
                                    subject=f"Meeting {number} accepted",
                                    body="Your meeting request was accepted.",
                                    dedupe_key=f"n{number}")
    Notification.objects.create(recipient=other, kind="events.meeting_requested",
                                subject=f"{NAME} asks you for a meeting",
                                body=f"{NAME} ({EMAIL}) would like to meet you.",
                                context={"requester": NAME}, dedupe_key="other")
    Preference.objects.create(user=person, kind="events.meeting_requested", frequency="daily")

    # projects: membership, feedback, a comment, a measurement
    pilot = PilotFactory(title="Karlsruhe eBike pilot")
    Follow.objects.create(user=person, target_type_id=_ct(pilot), target_id=str(pilot.pk))
    ProjectMemberFactory(user=person)
    FeedbackFactory(pilot=pilot, author=person, body="More charging points near the station.",
                    status=Feedback.Status.PUBLISHED)
    FeedbackFactory(pilot=pilot, author=other, body=f"I agree with {NAME}.",
                    status=Feedback.Status.PENDING)  # moderators do not publish names
    roadmap = RoadmapFactory()
    RoadmapComment.objects.create(roadmap=roadmap, author=person, body="Add bike lanes.")
    Measurement.objects.create(indicator=IndicatorFactory(roadmap=roadmap), date=now.date(),
                               value=12, recorded_by=person)

    # procurement: a question, her organisation's application (awarded), a sealed competitor
    buyer = BuyerFactory(name="City of Rijeka", slug="city-of-rijeka")
    buyer_admin = MembershipFactory(organisation=buyer, role=Membership.Role.ADMIN,
                                    user=UserFactory(email="officer@rijeka.example")).user
    with django_capture_on_commit_callbacks(execute=True):
        call = procurement.call_publish(call=CallFactory(buyer=buyer), actor=buyer_admin)
        procurement.question_ask(call=call, actor=person, organisation=org,
                                 text="May a consortium apply?")
        application = procurement.application_create(call=call, organisation=org, actor=person)
        procurement.application_update(application=application, actor=person, answers=_answers(
            call, f"Contact: {NAME}, {EMAIL}. We tested sensors in Opatija."))
        application = procurement.application_submit(application=application, actor=person)
        other_application = procurement.application_create(call=call, organisation=other_org,
                                                           actor=other)
        procurement.application_update(application=other_application, actor=other,
                                       answers=_answers(call, "Sealed offer of Adria Sensing."))
        other_application = procurement.application_submit(application=other_application,
                                                           actor=other)
    audit(actor=buyer_admin, action="stakeholders.membership.viewed", target=person)
    return World(person=person, other=other, org=org, other_org=other_org, call=call,
                 application=application, other_application=other_application,
                 other_registration=other_registration)


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk
