from datetime import timedelta

import pytest
from django.utils import timezone

from ecosystem.errors import Conflict, DeadlinePassed, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.models import AuditEntry
from ecosystem.notifications.models import Notification
from events import services
from events.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingSession,
    MeetingSlot,
    Registration,
    SchedulerRun,
)
from tests.factories import UserFactory

from .factories import EventFactory, MeetingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).order_by("id")
                .values_list("kind", flat=True))


def test_registration_confirms_until_full_then_waits_in_order():
    event = EventFactory(capacity=2)
    people = [UserFactory() for _ in range(4)]
    registrations = [services.registration_create(event=event, user=p) for p in people]
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [r.queue_number for r in registrations[2:]] == [1, 2]
    assert kinds_for(people[0]) == ["events.registration_confirmed"]
    assert kinds_for(people[2]) == ["events.registration_waiting"]
    assert AuditEntry.objects.filter(action="events.registration.created").count() == 4


def test_unlimited_capacity_never_waits():
    event = EventFactory(capacity=None)
    for _ in range(5):
        assert services.registration_create(event=event, user=UserFactory()).holds_place


def test_one_active_registration_per_person():
    event = EventFactory()
    user = UserFactory()
    services.registration_create(event=event, user=user)
    with pytest.raises(Conflict):
        services.registration_create(event=event, user=user)
    assert Registration.objects.filter(event=event, user=user).count() == 1


def test_registering_again_after_cancelling_is_allowed():
    event = EventFactory()
    user = UserFactory()
    first = services.registration_create(event=event, user=user)
    services.registration_cancel(registration=first, actor=user)
    second = services.registration_create(event=event, user=user)
    assert second.pk != first.pk and second.status == "confirmed"


def test_registration_after_closing_time_is_refused():
    event = EventFactory(registration_closes_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(DeadlinePassed):
        services.registration_create(event=event, user=UserFactory(),
                                     now=timezone.now() + timedelta(hours=2))
    assert not event.registrations.exists()


def test_registration_closes_at_the_start_without_a_closing_time():
    event = EventFactory()
    with pytest.raises(DeadlinePassed):
        services.registration_create(event=event, user=UserFactory(),
                                     now=event.starts_at + timedelta(minutes=1))


def test_registration_before_opening_is_refused():
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(InvalidTransition) as caught:
        services.registration_create(event=event, user=UserFactory())
    assert caught.value.code == "registration_not_open"


@pytest.mark.parametrize("status", [Event.Status.CANCELLED, Event.Status.POSTPONED])
def test_no_registration_for_cancelled_or_postponed_events(status):
    event = EventFactory(status=status, status_reason="Storm")
    with pytest.raises(InvalidTransition):
        services.registration_create(event=event, user=UserFactory())


def test_unpublished_events_take_no_registration():
    event = EventFactory(publication=Event.Publication.PROPOSED)
    with pytest.raises(InvalidTransition):
        services.registration_create(event=event, user=UserFactory())


def test_on_behalf_only_of_own_organisation(org_a, member_a, org_b):
    event = EventFactory()
    with pytest.raises(NotAllowed):
        services.registration_create(event=event, user=member_a, organisation=org_b)
    registration = services.registration_create(event=event, user=member_a, organisation=org_a)
    assert registration.organisation == org_a


def test_cancel_promotes_the_first_waiting_and_tells_them():
    event = EventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    holder = services.registration_create(event=event, user=first)
    services.registration_create(event=event, user=second)
    services.registration_create(event=event, user=third)
    services.registration_cancel(registration=holder, actor=first)
    statuses = dict(event.registrations.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "waiting"}
    assert kinds_for(second) == ["events.registration_waiting", "events.registration_promoted"]
    assert "events.registration_promoted" not in kinds_for(third)


def test_waiting_list_order_survives_someone_leaving_it():
    event = EventFactory(capacity=1)
    holder_user, a, b, c = (UserFactory() for _ in range(4))
    holder = services.registration_create(event=event, user=holder_user)
    waiting_a = services.registration_create(event=event, user=a)
    services.registration_create(event=event, user=b)
    services.registration_create(event=event, user=c)
    services.registration_cancel(registration=waiting_a, actor=a)  # leaves the list
    services.registration_cancel(registration=holder, actor=holder_user)
    assert event.registrations.get(user=b).status == "confirmed"
    assert event.registrations.get(user=c).status == "waiting"
    from events.selectors import waiting_position

    assert waiting_position(event.registrations.get(user=c)) == 1


def test_leaving_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    holder, waiting_user, other = UserFactory(), UserFactory(), UserFactory()
    services.registration_create(event=event, user=holder)
    waiting = services.registration_create(event=event, user=waiting_user)
    services.registration_create(event=event, user=other)
    services.registration_cancel(registration=waiting, actor=waiting_user)
    assert event.registrations.get(user=other).status == "waiting"


def test_nobody_cancels_someone_elses_registration():
    registration = RegistrationFactory()
    with pytest.raises(NotAllowed):
        services.registration_cancel(registration=registration, actor=UserFactory())


def test_cancelling_twice_is_a_wrong_state():
    registration = RegistrationFactory()
    services.registration_cancel(registration=registration, actor=registration.user)
    with pytest.raises(InvalidTransition):
        services.registration_cancel(registration=registration, actor=registration.user)


def _soon():
    return EventFactory(starts_at=timezone.now() + timedelta(hours=1))


def test_check_in_by_code(staff):
    registration = RegistrationFactory(event=_soon())
    checked = services.registration_check_in(event=registration.event,
                                             code=registration.code.lower(), actor=staff)
    assert checked.status == "attended" and checked.checked_in_at
    with pytest.raises(Conflict):
        services.registration_check_in(event=registration.event, code=registration.code,
                                       actor=staff)


def test_check_in_refuses_unknown_codes_waiting_people_and_other_events(staff):
    registration = RegistrationFactory(event=_soon(), status="waiting", queue_number=1)
    with pytest.raises(InvalidTransition):
        services.registration_check_in(event=registration.event, code=registration.code,
                                       actor=staff)
    with pytest.raises(InvalidInput):
        services.registration_check_in(event=EventFactory(), code=registration.code,
                                       actor=staff)


def test_check_in_opens_two_hours_before_the_start_and_closes_at_the_end(staff, settings):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    registration = RegistrationFactory(event=event)
    with pytest.raises(InvalidTransition) as refused:
        services.registration_check_in(event=event, code=registration.code, actor=staff)
    assert refused.value.code == "check_in_not_open"
    with pytest.raises(InvalidTransition):
        services.registration_check_in(event=event, code=registration.code, actor=staff,
                                       now=event.starts_at - timedelta(hours=2, seconds=1))
    with pytest.raises(DeadlinePassed):
        services.registration_check_in(event=event, code=registration.code, actor=staff,
                                       now=event.ends_at + timedelta(seconds=1))
    settings.CHECKIN_OPENS_BEFORE = timedelta(days=4)
    checked = services.registration_check_in(event=event, code=registration.code, actor=staff)
    assert checked.status == "attended"


def test_check_in_by_organiser_admin_only(org_a, admin_a, admin_b):
    event = EventFactory(organisers=[org_a], starts_at=timezone.now() + timedelta(hours=1))
    registration = RegistrationFactory(event=event)
    with pytest.raises(NotAllowed):
        services.registration_check_in(event=event, code=registration.code, actor=admin_b)
    services.registration_check_in(event=event, code=registration.code, actor=admin_a)


def test_cancelling_an_event_tells_participants_and_bumps_sequence(staff):
    event = EventFactory()
    confirmed, waiting = RegistrationFactory(event=event), RegistrationFactory(
        event=event, status="waiting", queue_number=1)
    gone = RegistrationFactory(event=event, status="cancelled")
    services.event_cancel(event=event, actor=staff, reason="The venue flooded.")
    event.refresh_from_db()
    assert event.status == "cancelled" and event.sequence == 1
    assert event.status_reason == "The venue flooded."
    assert kinds_for(confirmed.user) == ["events.event_cancelled"]
    assert kinds_for(waiting.user) == ["events.event_cancelled"]
    assert kinds_for(gone.user) == []


def test_cancel_needs_a_reason_and_staff(staff, admin_a):
    event = EventFactory()
    with pytest.raises(InvalidInput):
        services.event_cancel(event=event, actor=staff, reason=" ")
    with pytest.raises(NotAllowed):
        services.event_cancel(event=event, actor=admin_a, reason="No")


def test_postpone_and_move_online(staff):
    event = EventFactory()
    RegistrationFactory(event=event)
    services.event_postpone(event=event, actor=staff, reason="Speaker ill")
    event.refresh_from_db()
    assert (event.status, event.sequence) == ("postponed", 1)
    new_start = event.starts_at + timedelta(days=7)
    services.event_postpone(event=event, actor=staff, reason="New date found",
                            starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    event.refresh_from_db()
    assert (event.status, event.sequence, event.starts_at) == ("scheduled", 2, new_start)
    services.event_move_online(event=event, actor=staff, reason="Strike",
                               online_url="https://meet.example.org/x")
    event.refresh_from_db()
    assert (event.status, event.sequence) == ("moved_online", 3)
    assert Notification.objects.filter(kind="events.event_changed").count() == 3


def test_reminder_is_sent_once_24_hours_before():
    now = timezone.now()
    soon = EventFactory(starts_at=now + timedelta(hours=20))
    later = EventFactory(starts_at=now + timedelta(days=3))
    confirmed = RegistrationFactory(event=soon)
    RegistrationFactory(event=soon, status="waiting", queue_number=1)
    RegistrationFactory(event=later)
    assert services.reminders_send(now=now) == 1
    assert services.reminders_send(now=now + timedelta(minutes=15)) == 0
    assert Notification.objects.filter(kind="events.event_reminder").count() == 1
    assert kinds_for(confirmed.user) == ["events.event_reminder"]


def test_reminder_skips_cancelled_events(staff):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=5))
    RegistrationFactory(event=event)
    services.event_cancel(event=event, actor=staff, reason="Cancelled")
    assert services.reminders_send() == 0


def test_organisation_admin_proposes_and_staff_publish(org_a, admin_a, member_a, staff, org_b):
    fields = dict(title="Open data breakfast", kind="workshop", mode="in_person",
                  venue_name="City library", starts_at=timezone.now() + timedelta(days=20),
                  ends_at=timezone.now() + timedelta(days=20, hours=2),
                  time_zone="Europe/Zagreb")
    with pytest.raises(NotAllowed):
        services.event_propose(actor=member_a, organisers=[org_a], **fields)
    with pytest.raises(NotAllowed):
        services.event_propose(actor=admin_a, organisers=[org_b], **fields)
    event = services.event_propose(actor=admin_a, organisers=[org_a], **fields)
    assert event.publication == "proposed"
    assert "events.event_proposed" in kinds_for(staff)
    with pytest.raises(NotAllowed):
        services.event_publish(event=event, actor=admin_a)
    services.event_publish(event=event, actor=staff)
    event.refresh_from_db()
    assert event.publication == "published"
    assert kinds_for(admin_a) == ["events.proposal_reviewed"]


# B2B --------------------------------------------------------------------------------------


def _b2b_pair():
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    a, b = UserFactory(), UserFactory()
    RegistrationFactory(event=event, user=a)
    RegistrationFactory(event=event, user=b)
    return event, a, b


def test_meeting_request_lifecycle():
    event, a, b = _b2b_pair()
    request = services.meeting_request_create(event=event, requester=a, recipient=b,
                                              message="Pilot?")
    assert kinds_for(b) == ["events.meeting_requested"]
    with pytest.raises(Conflict):
        services.meeting_request_create(event=event, requester=b, recipient=a, message="Hi")
    with pytest.raises(NotAllowed):
        services.meeting_request_accept(request=request, actor=a)
    services.meeting_request_accept(request=request, actor=b)
    assert Meeting.objects.filter(request=request).exists()
    assert kinds_for(a) == ["events.meeting_accepted"]
    services.meeting_request_cancel(request=request, actor=a)
    request.refresh_from_db()
    assert request.status == "cancelled" and not Meeting.objects.filter(request=request).exists()
    assert kinds_for(b)[-1] == "events.meeting_cancelled"


def test_meeting_requests_need_two_confirmed_participants():
    event, a, _b = _b2b_pair()
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        services.meeting_request_create(event=event, requester=outsider, recipient=a,
                                        message="Hi")
    with pytest.raises(InvalidTransition):
        services.meeting_request_create(event=event, requester=a, recipient=outsider,
                                        message="Hi")


def test_third_person_cannot_touch_a_meeting_request():
    event, a, b = _b2b_pair()
    request = services.meeting_request_create(event=event, requester=a, recipient=b,
                                              message="Pilot?")
    stranger = UserFactory()
    for service in (services.meeting_request_accept, services.meeting_request_decline,
                    services.meeting_request_cancel):
        with pytest.raises(NotAllowed):
            service(request=request, actor=stranger)
    assert MeetingRequest.objects.get(pk=request.pk).status == "requested"


def test_cancelling_the_registration_cancels_open_meeting_requests():
    event, a, b = _b2b_pair()
    request = services.meeting_request_create(event=event, requester=a, recipient=b,
                                              message="Pilot?")
    services.registration_cancel(registration=event.registrations.get(user=a), actor=a)
    request.refresh_from_db()
    assert request.status == "cancelled"


def _accepted(event, a, b):
    request = services.meeting_request_create(event=event, requester=a, recipient=b,
                                              message="Hello")
    return services.meeting_request_accept(request=request, actor=b)


def test_scheduler_run_places_meetings_and_keeps_published_ones(
        staff, django_capture_on_commit_callbacks):
    event = EventFactory(matchmaking=True, kind="matchmaking", capacity=None)
    people = [UserFactory() for _ in range(4)]
    for person in people:
        RegistrationFactory(event=event, user=person)
    services.session_save(session=MeetingSessionFactory.build(event=event, slot_count=3,
                                                              tables=2), actor=staff)
    assert MeetingSlot.objects.filter(session__event=event).count() == 3
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            _accepted(event, a, b)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.scheduler_start(event=event, actor=staff)  # the task runs on commit
    run.refresh_from_db()
    # 4 people, 6 meetings, 3 slots: a perfect schedule (two meetings per slot) exists.
    assert (run.status, run.placed, run.bound) == ("done", 6, 6)
    services.schedule_publish(event=event, actor=staff)
    before = dict(Meeting.objects.values_list("pk", "slot_id"))
    tables = dict(Meeting.objects.values_list("pk", "table"))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.scheduler_start(event=event, actor=staff)
    run.refresh_from_db()
    assert run.status == "done"
    assert dict(Meeting.objects.values_list("pk", "slot_id")) == before
    assert dict(Meeting.objects.values_list("pk", "table")) == tables
    assert Notification.objects.filter(kind="events.agenda_published").count() == 4


def test_scheduler_is_for_staff_and_needs_slots(admin_a, staff):
    event = EventFactory(matchmaking=True, kind="matchmaking")
    with pytest.raises(NotAllowed):
        services.scheduler_start(event=event, actor=admin_a)
    with pytest.raises(InvalidTransition):
        services.scheduler_start(event=event, actor=staff)


def test_scheduler_refuses_a_second_concurrent_run(staff, django_capture_on_commit_callbacks):
    event = EventFactory(matchmaking=True, kind="matchmaking")
    services.session_save(session=MeetingSessionFactory.build(event=event), actor=staff)
    with django_capture_on_commit_callbacks(execute=False):
        services.scheduler_start(event=event, actor=staff)
        with pytest.raises(Conflict):
            services.scheduler_start(event=event, actor=staff)
    assert SchedulerRun.objects.filter(event=event).count() == 1


def test_unavailability_is_respected_and_reported(staff, django_capture_on_commit_callbacks):
    event, a, b = _b2b_pair()
    services.session_save(session=MeetingSessionFactory.build(event=event, slot_count=2),
                          actor=staff)
    slots = list(MeetingSlot.objects.filter(session__event=event).order_by("starts_at"))
    services.unavailability_set(event=event, user=a, slot_ids=[slots[0].pk])
    services.unavailability_set(event=event, user=b, slot_ids=[slots[1].pk])
    _accepted(event, a, b)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.scheduler_start(event=event, actor=staff)
    run.refresh_from_db()
    assert run.placed == 0 and run.bound == 0
    assert run.unplaced[0]["reason"] == "no_common_slot"
    assert Meeting.objects.get().unplaced_reason == "no_common_slot"


def test_agenda_token_regenerates():
    user = UserFactory()
    first = services.agenda_token_get(user=user).token
    assert services.agenda_token_get(user=user).token == first
    assert services.agenda_token_get(user=user, regenerate=True).token != first


def test_notifications_render_their_texts():
    event = EventFactory(title="Code sprint", capacity=1)
    first, second = UserFactory(), UserFactory()
    holder = services.registration_create(event=event, user=first)
    services.registration_create(event=event, user=second)
    services.registration_cancel(registration=holder, actor=first)
    confirmed = Notification.objects.get(recipient=first, kind="events.registration_confirmed")
    assert confirmed.subject == "Registration confirmed: Code sprint"
    assert holder.code in confirmed.body and "(Europe/Zagreb)" in confirmed.body
    promoted = Notification.objects.get(recipient=second, kind="events.registration_promoted")
    assert promoted.subject == "A place is yours: Code sprint"
    assert "/events/registrations/" in promoted.body and "{" not in promoted.body


def test_every_notification_kind_has_its_three_templates():
    from django.template.loader import get_template

    from events.apps import NOTIFICATION_KINDS

    for name, _label, _frequency in NOTIFICATION_KINDS:
        for suffix in ("subject.txt", "txt", "html"):
            get_template(f"events/notifications/{name}.{suffix}")  # compiles


def test_followers_hear_of_changes_once_even_when_registered(staff):
    from ecosystem.notifications.services import follow

    event = EventFactory()
    participant, fan = RegistrationFactory(event=event).user, UserFactory()
    follow(user=participant, target=event)
    follow(user=fan, target=event)
    services.event_cancel(event=event, actor=staff, reason="Storm warning")
    assert kinds_for(participant) == ["events.event_cancelled"]
    assert kinds_for(fan) == ["events.event_cancelled"]


def test_a_proposal_never_takes_a_reserved_address(admin_a, org_a):
    start = timezone.now() + timedelta(days=9)
    event = services.event_propose(actor=admin_a, organisers=[org_a], title="Calendar",
                                   kind="webinar", mode="online",
                                   online_url="https://meet.example.org/c", starts_at=start,
                                   ends_at=start + timedelta(hours=1), time_zone="Europe/Zagreb")
    assert event.slug == "calendar-event"


def test_an_abandoned_scheduler_run_does_not_block_the_next(staff,
                                                           django_capture_on_commit_callbacks):
    event = EventFactory(matchmaking=True, kind="matchmaking")
    services.session_save(session=MeetingSessionFactory.build(event=event), actor=staff)
    stale = SchedulerRun.objects.create(event=event, started_by=staff,
                                        created_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.scheduler_start(event=event, actor=staff)
    stale.refresh_from_db()
    run.refresh_from_db()
    assert (stale.status, run.status) == ("failed", "done")


def test_a_session_holding_placed_meetings_cannot_be_deleted(
        staff, django_capture_on_commit_callbacks):
    from django.test import Client

    event, a, b = _b2b_pair()
    session = services.session_save(session=MeetingSessionFactory.build(event=event),
                                    actor=staff)
    _accepted(event, a, b)
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduler_start(event=event, actor=staff)
    assert Meeting.objects.get().slot is not None
    with pytest.raises(InvalidTransition) as refused:
        services.session_delete(session=session, actor=staff)
    assert refused.value.code == "session_has_meetings"
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    response = client.post(f"/admin/events/meetingsession/{session.pk}/delete/", {"post": "yes"},
                           follow=True)
    assert "holds 1 placed meetings" in response.content.decode()
    assert MeetingSession.objects.filter(pk=session.pk).exists()
    assert Meeting.objects.get().slot is not None
    Meeting.objects.update(slot=None, table=None)
    services.session_delete(session=session, actor=staff)
    assert not MeetingSession.objects.filter(pk=session.pk).exists()
