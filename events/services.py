"""Every write to events, registrations and B2B meetings."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import Conflict, DeadlinePassed, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.matching import services as matching
from ecosystem.notifications.services import notify
from ecosystem.search import index as search_index
from ecosystem.text import unique_slug
from stakeholders.permissions import organisations_administered_by, organisations_of_member
from stakeholders.services import organisation_news_notify

from . import permissions, scheduling
from .models import (
    RESERVED_SLUGS,
    AgendaToken,
    CooperationProfile,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSession,
    MeetingSlot,
    Registration,
    SchedulerRun,
    Unavailability,
    new_agenda_token,
)

logger = logging.getLogger(__name__)
STALE_RUN = timedelta(minutes=15)

EVENT_FIELDS = (
    "title", "summary", "description", "kind", "mode", "language", "venue_name",
    "street_address", "postal_code", "city", "latitude", "longitude", "online_url", "starts_at",
    "ends_at", "time_zone", "capacity", "registration_required", "registration_opens_at",
    "registration_closes_at", "matchmaking", "project", "programme",
)


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _participants(event: Event, statuses=Registration.ACTIVE):
    return get_user_model().objects.filter(
        is_active=True, event_registrations__event=event,
        event_registrations__status__in=statuses,
    ).distinct()


# Events: proposal, publication, changes ------------------------------------------------------


@transaction.atomic
def event_propose(*, actor, organisers, themes=(), **fields) -> Event:
    """An organisation admin proposes an event; staff review and publish it."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    organisers = list(organisers)
    if not organisers:
        raise InvalidInput(_("Name the organising organisation."),
                           fields={"organisers": [_("Choose at least one.")]})
    allowed = set(organisations_administered_by(actor).values_list("pk", flat=True))
    if not permissions.can_propose_event(actor) or any(o.pk not in allowed for o in organisers):
        raise NotAllowed(_("Only administrators of the organising organisations may propose "
                           "an event."))
    slug = unique_slug(Event, fields.get("title", ""))
    if slug in RESERVED_SLUGS:
        slug = unique_slug(Event, f"{slug}-event")
    event = Event(**fields, slug=slug, proposed_by=actor, publication=Event.Publication.PROPOSED)
    event.full_clean()
    event.save()
    event.organisers.set(organisers)
    event.themes.set(themes)
    audit(actor=actor, action="events.event.proposed", target=event)
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    notify(kind="events.event_proposed", target=event, recipients=staff, actor=actor,
           context={"url": f"/admin/events/event/{event.pk}/change/"})
    search_index.refresh(event)
    return event


@transaction.atomic
def event_publish(*, event: Event, actor) -> Event:
    if not permissions.can_publish_event(actor, event):
        raise NotAllowed(_("Only portal staff publish events."))
    event = _lock_event(event)
    if event.publication == Event.Publication.PUBLISHED:
        raise InvalidTransition(_("The event is already published."))
    event.publication = Event.Publication.PUBLISHED
    event.published_at = timezone.now()
    event.full_clean()
    event.save(update_fields=["publication", "published_at", "updated_at"])
    audit(actor=actor, action="events.event.published", target=event)
    for organisation in event.organisers.all():
        organisation_news_notify(organisation=organisation, actor=actor, kind="event",
                                 title=event.title, url=event.get_absolute_url(),
                                 key=f"event-{event.pk}")
    matching.queue_target_published(kind="event", target_id=event.pk)
    if event.proposed_by_id:
        notify(kind="events.proposal_reviewed", target=event, recipients=[event.proposed_by],
               actor=actor, context={"accepted": True})
    search_index.refresh(event)
    return event


@transaction.atomic
def event_reject(*, event: Event, actor, note: str) -> Event:
    if not permissions.can_publish_event(actor, event):
        raise NotAllowed(_("Only portal staff review proposed events."))
    event = _lock_event(event)
    if event.publication != Event.Publication.PROPOSED:
        raise InvalidTransition(_("Only a proposed event can be turned down."))
    event.publication = Event.Publication.REJECTED
    event.review_note = note
    event.save(update_fields=["publication", "review_note", "updated_at"])
    audit(actor=actor, action="events.event.rejected", target=event, changes={"note": note})
    if event.proposed_by_id:
        notify(kind="events.proposal_reviewed", target=event, recipients=[event.proposed_by],
               actor=actor, context={"accepted": False, "note": note})
    search_index.refresh(event)
    return event


def _announce_change(event: Event, actor, *, kind: str, what: str) -> None:
    """Tell the participants (confirmed and waiting), then the followers of the event; the
    shared dedupe key keeps anyone who is both from getting it twice."""
    key = f"{kind}:{event.pk}:{event.sequence}"
    context = {"what": what, "reason": event.status_reason}
    notify(kind=kind, target=event, recipients=list(_participants(event)), actor=actor,
           dedupe_key=key, context=context)
    notify(kind=kind, target=event, actor=actor, dedupe_key=key, context=context)


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str) -> Event:
    if not permissions.can_publish_event(actor, event):
        raise NotAllowed(_("Only portal staff cancel events."))
    if not (reason or "").strip():
        raise InvalidInput(_("Give participants the reason."),
                           fields={"reason": [_("This field is required.")]})
    event = _lock_event(event)
    if event.status == Event.Status.CANCELLED:
        raise InvalidTransition(_("The event is already cancelled."))
    if event.ends_at < timezone.now():
        raise InvalidTransition(_("A past event cannot be cancelled."))
    event.status, event.status_reason = Event.Status.CANCELLED, reason.strip()
    event.sequence += 1
    event.full_clean()
    event.save(update_fields=["status", "status_reason", "sequence", "updated_at"])
    audit(actor=actor, action="events.event.cancelled", target=event, changes={"reason": reason})
    _announce_change(event, actor, kind="events.event_cancelled", what="cancelled")
    search_index.refresh(event)
    return event


@transaction.atomic
def event_postpone(*, event: Event, actor, reason: str, starts_at=None, ends_at=None) -> Event:
    """Postponed without a date (registration pauses) or moved to new times (it stays open)."""
    if not permissions.can_publish_event(actor, event):
        raise NotAllowed(_("Only portal staff postpone events."))
    if not (reason or "").strip():
        raise InvalidInput(_("Give participants the reason."),
                           fields={"reason": [_("This field is required.")]})
    event = _lock_event(event)
    if event.status == Event.Status.CANCELLED:
        raise InvalidTransition(_("A cancelled event cannot be postponed."))
    changes = {"reason": reason}
    if starts_at and ends_at:
        changes.update(starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat())
        event.starts_at, event.ends_at = starts_at, ends_at
        if event.registration_closes_at and event.registration_closes_at > ends_at:
            event.registration_closes_at = starts_at
        event.status, event.status_reason = Event.Status.SCHEDULED, reason.strip()
    else:
        event.status, event.status_reason = Event.Status.POSTPONED, reason.strip()
    event.sequence += 1
    event.full_clean()
    event.save()
    audit(actor=actor, action="events.event.postponed", target=event, changes=changes)
    _announce_change(event, actor, kind="events.event_changed", what="postponed")
    search_index.refresh(event)
    return event


@transaction.atomic
def event_move_online(*, event: Event, actor, reason: str, online_url: str) -> Event:
    if not permissions.can_publish_event(actor, event):
        raise NotAllowed(_("Only portal staff change events."))
    if not (reason or "").strip() or not online_url:
        raise InvalidInput(_("Give the reason and the online link."),
                           fields={"online_url": [_("This field is required.")]})
    event = _lock_event(event)
    if event.status in (Event.Status.CANCELLED, Event.Status.MOVED_ONLINE):
        raise InvalidTransition(_("This event cannot be moved online now."))
    event.status, event.status_reason = Event.Status.MOVED_ONLINE, reason.strip()
    event.online_url = online_url
    event.sequence += 1
    event.full_clean()
    event.save(update_fields=["status", "status_reason", "online_url", "sequence",
                              "updated_at"])
    audit(actor=actor, action="events.event.moved_online", target=event,
          changes={"reason": reason})
    _announce_change(event, actor, kind="events.event_changed", what="moved_online")
    search_index.refresh(event)
    return event


@transaction.atomic
def event_record_edit(*, event: Event, actor, changed: list[str]) -> Event:
    """After staff edit an event in the admin: raise SEQUENCE so calendars update, and tell
    participants when the time, the place or the link changed."""
    event = _lock_event(event)
    event.sequence += 1
    event.save(update_fields=["sequence", "updated_at"])
    audit(actor=actor, action="events.event.updated", target=event, changes={"fields": changed})
    relevant = {"starts_at", "ends_at", "venue_name", "street_address", "city", "online_url",
                "mode", "time_zone"}
    if event.is_published and relevant & set(changed):
        _announce_change(event, actor, kind="events.event_changed", what="updated")
    search_index.refresh(event)
    return event


# Registration ------------------------------------------------------------------------------


@transaction.atomic
def registration_create(*, event: Event, user, organisation=None, now=None) -> Registration:
    """Register ``user``: confirmed while places are left, else on the waiting list.

    The event row is locked first, so concurrent registrations are counted one after the
    other and the capacity is never exceeded. Closing time is checked by the server clock.
    """
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to register."))
    now = now or timezone.now()
    event = _lock_event(event)
    if not event.is_published:
        raise InvalidTransition(_("This event is not open for registration."))
    state = event.registration_state(now)
    if state == "closed":
        raise DeadlinePassed(_("Registration for this event has closed."),
                             code="registration_closed")
    if state == "not_open":
        raise InvalidTransition(_("Registration has not opened yet."), code="registration_not_open")
    if state == "not_required":
        raise InvalidTransition(_("This event needs no registration: just come."),
                                code="registration_not_required")
    if state != "open":
        raise InvalidTransition(_("Registration is not possible for a %(status)s event.")
                                % {"status": event.get_status_display().lower()},
                                code="registration_unavailable")
    if organisation is not None and not organisations_of_member(user).filter(
            pk=organisation.pk).exists():
        raise NotAllowed(_("You can only register on behalf of your own organisation."))
    if Registration.objects.filter(event=event, user=user,
                                   status__in=Registration.ACTIVE).exists():
        raise Conflict(_("You are already registered for this event."),
                       code="already_registered")
    registration = Registration(event=event, user=user, organisation=organisation,
                                created_at=now)
    taken = event.registrations.filter(status__in=Registration.HOLDS_PLACE).count()
    if event.capacity is None or taken < event.capacity:
        registration.status = Registration.Status.CONFIRMED
    else:
        registration.status = Registration.Status.WAITING
        last = event.registrations.aggregate(last=Max("queue_number"))["last"] or 0
        registration.queue_number = last + 1
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise Conflict(_("You are already registered for this event."),
                       code="already_registered") from None
    audit(actor=user, action="events.registration.created", target=registration,
          changes={"status": registration.status})
    kind = ("events.registration_confirmed" if registration.holds_place
            else "events.registration_waiting")
    notify(kind=kind, target=registration, recipients=[user],
           dedupe_key=f"{kind}:{registration.pk}",
           context={"event": event.title, "url": registration.get_absolute_url()})
    matching.queue_people_refresh(user_ids=[user.pk])  # a citizen's events to suggest
    return registration


def _promote_waiting(event: Event, actor, now) -> list[Registration]:
    """Fill free places from the waiting list, first come first served (event locked)."""
    promoted = []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - event.registrations.filter(
            status__in=Registration.HOLDS_PLACE).count()
    waiting = (Registration.objects.select_for_update()
               .filter(event=event, status=Registration.Status.WAITING)
               .order_by("queue_number", "id"))
    for registration in waiting:
        if free is not None and free <= 0:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.queue_number = None
        registration.promoted_at = now
        registration.save(update_fields=["status", "queue_number", "promoted_at"])
        audit(actor=actor, action="events.registration.promoted", target=registration)
        notify(kind="events.registration_promoted", target=registration,
               recipients=[registration.user],
               dedupe_key=f"events.registration_promoted:{registration.pk}",
               context={"event": event.title, "url": registration.get_absolute_url()})
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, now=None) -> Registration:
    """The person (or staff) cancels; the first on the waiting list takes the place."""
    now = now or timezone.now()
    if registration.user_id != getattr(actor, "pk", None) and not getattr(actor, "is_staff",
                                                                          False):
        raise NotAllowed(_("Only the person registered can cancel this registration."))
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise InvalidTransition(_("This registration is already cancelled."))
    if registration.status == Registration.Status.ATTENDED or event.ends_at < now:
        raise InvalidTransition(_("The event has taken place: the registration stays."))
    held_place = registration.holds_place
    registration.status = Registration.Status.CANCELLED
    registration.queue_number = None
    registration.cancelled_at = now
    registration.save(update_fields=["status", "queue_number", "cancelled_at"])
    audit(actor=actor, action="events.registration.cancelled", target=registration)
    for request in MeetingRequest.objects.select_for_update().filter(
            Q(requester=registration.user) | Q(recipient=registration.user), event=event,
            status__in=MeetingRequest.OPEN):
        _meeting_request_close(request, actor=actor, now=now)
    if held_place and event.starts_at > now:
        # Even after registration closed, the waiting list moves up until the event starts.
        _promote_waiting(event, actor, now)
    return registration


@transaction.atomic
def registration_check_in(*, event: Event, code: str, actor, now=None) -> Registration:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed(_("Only the organisers and portal staff check people in."))
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    registration = (Registration.objects.select_for_update(of=("self",)).select_related("user")
                    .filter(event=event, code=code).first())
    if registration is None:
        raise InvalidInput(_("No registration for this event has the code %(code)s.")
                           % {"code": code or "-"}, code="unknown_code",
                           fields={"code": [_("Unknown code.")]})
    now = now or timezone.now()
    opens = event.starts_at - settings.CHECKIN_OPENS_BEFORE
    if now < opens:
        raise InvalidTransition(_("Check-in opens at %(time)s on %(date)s.") % {
            "time": timezone.localtime(opens, event.tzinfo).strftime("%H:%M"),
            "date": timezone.localtime(opens, event.tzinfo).strftime("%d.%m.%Y")},
            code="check_in_not_open")
    if now > event.ends_at:
        raise DeadlinePassed(_("The event has ended: check-in is closed."),
                             code="check_in_closed")
    if registration.status == Registration.Status.ATTENDED:
        raise Conflict(_("%(name)s was already checked in at %(time)s.") % {
            "name": registration.user, "time": timezone.localtime(
                registration.checked_in_at, event.tzinfo).strftime("%H:%M")},
            code="already_checked_in")
    if registration.status != Registration.Status.CONFIRMED:
        raise InvalidTransition(_("%(name)s is %(status)s, not confirmed.") % {
            "name": registration.user, "status": registration.get_status_display().lower()},
            code="not_confirmed")
    registration.status = Registration.Status.ATTENDED
    registration.checked_in_at = now
    registration.checked_in_by = actor
    registration.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    audit(actor=actor, action="events.registration.checked_in", target=registration)
    return registration


def reminders_send(*, now=None) -> int:
    """Remind confirmed participants 24 hours before; safe to run as often as beat likes."""
    now = now or timezone.now()
    events = Event.objects.filter(
        publication=Event.Publication.PUBLISHED,
        status__in=[Event.Status.SCHEDULED, Event.Status.MOVED_ONLINE],
        starts_at__gt=now, starts_at__lte=now + timedelta(hours=24),
    )
    sent = 0
    for event in events:
        with transaction.atomic():
            sent += len(notify(
                kind="events.event_reminder", target=event,
                recipients=list(_participants(event, Registration.HOLDS_PLACE)),
                dedupe_key=f"events.event_reminder:{event.pk}:{event.starts_at.isoformat()}",
                context={"url": event.get_absolute_url()},
            ))
    return sent


@transaction.atomic
def agenda_token_get(*, user, regenerate: bool = False) -> AgendaToken:
    token, created = AgendaToken.objects.select_for_update().get_or_create(user=user)
    if regenerate and not created:
        token.token = new_agenda_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
        audit(actor=user, action="events.agenda_token.regenerated", target=token)
    return token


# B2B matchmaking ---------------------------------------------------------------------------


def _require_participant(event: Event, user) -> None:
    if not event.matchmaking:
        raise InvalidTransition(_("This event has no B2B matchmaking."))
    if not Registration.objects.filter(event=event, user=user,
                                       status__in=Registration.HOLDS_PLACE).exists():
        raise NotAllowed(_("Only confirmed participants take part in the matchmaking."))


def _require_before_end(event: Event, now) -> None:
    if event.ends_at < now or event.status == Event.Status.CANCELLED:
        raise DeadlinePassed(_("The matchmaking of this event is over."))


@transaction.atomic
def profile_save(*, event: Event, user, profile: CooperationProfile | None = None,
                 themes=None, **fields) -> CooperationProfile:
    allowed = {"direction", "type", "title", "description", "organisation", "is_active"}
    if set(fields) - allowed:
        raise TypeError(f"Unknown profile fields: {sorted(set(fields) - allowed)}")
    _require_participant(event, user)
    _require_before_end(event, timezone.now())
    organisation = fields.get("organisation")
    if organisation is not None and not organisations_of_member(user).filter(
            pk=organisation.pk).exists():
        raise NotAllowed(_("You can only speak for your own organisation."))
    if profile is None:
        profile = CooperationProfile(event=event, user=user)
    else:
        profile = CooperationProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.user_id != user.pk:
            raise NotAllowed(_("Only its author can change this profile."))
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if themes is not None:
        profile.themes.set(themes)
    audit(actor=user, action="events.profile.saved", target=profile)
    search_index.refresh(profile)
    return profile


@transaction.atomic
def meeting_request_create(*, event: Event, requester, recipient, message: str,
                           profile: CooperationProfile | None = None, now=None) -> MeetingRequest:
    now = now or timezone.now()
    if requester.pk == recipient.pk:
        raise InvalidInput(_("You cannot ask yourself for a meeting."))
    event = _lock_event(event)
    _require_participant(event, requester)
    _require_before_end(event, now)
    if not Registration.objects.filter(event=event, user=recipient,
                                       status__in=Registration.HOLDS_PLACE).exists():
        raise InvalidTransition(_("That person does not take part in this event any more."))
    if profile is not None and (profile.event_id != event.pk or profile.user_id != recipient.pk):
        raise InvalidInput(_("That profile belongs to someone else."))
    if not (message or "").strip():
        raise InvalidInput(_("Say what you would like to talk about."),
                           fields={"message": [_("This field is required.")]})
    if MeetingRequest.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
        event=event, status__in=MeetingRequest.OPEN,
    ).exists():
        raise Conflict(_("You already have a meeting request with this person."),
                       code="meeting_exists")
    request = MeetingRequest(event=event, requester=requester, recipient=recipient,
                             profile=profile, message=message.strip(), created_at=now)
    request.full_clean()
    request.save()
    audit(actor=requester, action="events.meeting_request.created", target=request)
    notify(kind="events.meeting_requested", target=request, recipients=[recipient],
           actor=requester, context={"event": event.title, "url": "/events/meetings/"})
    return request


def _lock_request(request: MeetingRequest) -> MeetingRequest:
    return (MeetingRequest.objects.select_for_update(of=("self",)).select_related("event")
            .get(pk=request.pk))


@transaction.atomic
def meeting_request_accept(*, request: MeetingRequest, actor, now=None) -> MeetingRequest:
    now = now or timezone.now()
    request = _lock_request(request)
    if request.recipient_id != actor.pk:
        raise NotAllowed(_("Only the person asked can accept."))
    _require_before_end(request.event, now)
    if request.status != MeetingRequest.Status.REQUESTED:
        raise InvalidTransition(_("This request is %(status)s.")
                                % {"status": request.get_status_display().lower()})
    request.status, request.responded_at = MeetingRequest.Status.ACCEPTED, now
    request.save(update_fields=["status", "responded_at"])
    Meeting.objects.get_or_create(request=request, defaults={"event": request.event})
    audit(actor=actor, action="events.meeting_request.accepted", target=request)
    notify(kind="events.meeting_accepted", target=request, recipients=[request.requester],
           actor=actor, context={"event": request.event.title, "url": "/events/meetings/"})
    return request


@transaction.atomic
def meeting_request_decline(*, request: MeetingRequest, actor, now=None) -> MeetingRequest:
    request = _lock_request(request)
    if request.recipient_id != actor.pk:
        raise NotAllowed(_("Only the person asked can decline."))
    if request.status != MeetingRequest.Status.REQUESTED:
        raise InvalidTransition(_("This request is %(status)s.")
                                % {"status": request.get_status_display().lower()})
    request.status, request.responded_at = MeetingRequest.Status.DECLINED, now or timezone.now()
    request.save(update_fields=["status", "responded_at"])
    audit(actor=actor, action="events.meeting_request.declined", target=request)
    notify(kind="events.meeting_declined", target=request, recipients=[request.requester],
           actor=actor, context={"event": request.event.title, "url": "/events/meetings/"})
    return request


def _meeting_request_close(request: MeetingRequest, *, actor, now) -> None:
    request.status = MeetingRequest.Status.CANCELLED
    request.cancelled_by = actor
    request.responded_at = request.responded_at or now
    request.save(update_fields=["status", "cancelled_by", "responded_at"])
    Meeting.objects.filter(request=request).delete()
    audit(actor=actor, action="events.meeting_request.cancelled", target=request)
    others = [u for u in (request.requester, request.recipient) if u.pk != actor.pk]
    notify(kind="events.meeting_cancelled", target=request, recipients=others, actor=actor,
           context={"event": request.event.title, "url": "/events/meetings/"})


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, actor, now=None) -> MeetingRequest:
    request = _lock_request(request)
    if actor.pk not in (request.requester_id, request.recipient_id):
        raise NotAllowed(_("Only the two people concerned can cancel this meeting."))
    if request.status not in MeetingRequest.OPEN:
        raise InvalidTransition(_("This request is %(status)s.")
                                % {"status": request.get_status_display().lower()})
    _meeting_request_close(request, actor=actor, now=now or timezone.now())
    return request


@transaction.atomic
def session_save(*, session: MeetingSession, actor) -> MeetingSession:
    """Save a meeting session and (re)create its slots. Slots holding meetings stay."""
    if not permissions.can_publish_event(actor):
        raise NotAllowed(_("Only portal staff define meeting sessions."))
    session.full_clean()
    session.save()
    wanted = {number: (start, end) for number, start, end in session.slot_times()}
    existing = {slot.number: slot for slot in session.slots.select_for_update()}
    for number, slot in existing.items():
        if number not in wanted:
            if slot.meetings.exists():
                raise InvalidTransition(_("Slot %(n)s holds meetings: unpublish them first.")
                                        % {"n": number})
            slot.delete()
    for number, (start, end) in wanted.items():
        slot = existing.get(number)
        if slot is None:
            MeetingSlot.objects.create(session=session, number=number, starts_at=start,
                                       ends_at=end)
        elif (slot.starts_at, slot.ends_at) != (start, end):
            slot.starts_at, slot.ends_at = start, end
            slot.save(update_fields=["starts_at", "ends_at"])
    audit(actor=actor, action="events.session.saved", target=session)
    return session


@transaction.atomic
def session_delete(*, session: MeetingSession, actor) -> None:
    """Delete a meeting session, refused while any of its slots holds a placed meeting (people
    have it in their agenda: unplace or move those meetings first)."""
    if not permissions.can_publish_event(actor):
        raise NotAllowed(_("Only portal staff define meeting sessions."))
    session = MeetingSession.objects.select_for_update().get(pk=session.pk)
    placed = Meeting.objects.filter(slot__session=session).count()
    if placed:
        raise InvalidTransition(
            _("“%(name)s” holds %(n)d placed meetings: run the scheduler without this "
              "session or unpublish its meetings before deleting it.")
            % {"name": session.name, "n": placed}, code="session_has_meetings")
    audit(actor=actor, action="events.session.deleted", target=session,
          changes={"name": session.name})
    session.delete()


@transaction.atomic
def unavailability_set(*, event: Event, user, slot_ids) -> list[int]:
    _require_participant(event, user)
    _require_before_end(event, timezone.now())
    slots = MeetingSlot.objects.filter(session__event=event)
    chosen = set(slots.filter(pk__in=list(slot_ids)).values_list("pk", flat=True))
    Unavailability.objects.filter(user=user, slot__session__event=event).exclude(
        slot_id__in=chosen).delete()
    have = set(Unavailability.objects.filter(user=user, slot_id__in=chosen)
               .values_list("slot_id", flat=True))
    Unavailability.objects.bulk_create(
        [Unavailability(user=user, slot_id=pk) for pk in sorted(chosen - have)])
    audit(actor=user, action="events.unavailability.set", target=event,
          changes={"slots": sorted(chosen)})
    return sorted(chosen)


# The scheduler -----------------------------------------------------------------------------


@transaction.atomic
def scheduler_start(*, event: Event, actor) -> SchedulerRun:
    if not permissions.events_schedulable_by(actor).filter(pk=event.pk).exists():
        raise NotAllowed(_("Only portal staff run the scheduler of a matchmaking event."))
    event = _lock_event(event)
    if not MeetingSlot.objects.filter(session__event=event).exists():
        raise InvalidTransition(_("Define the meeting sessions and their slots first."),
                                code="no_slots")
    # A run that never finished (worker lost, broker down) must not block the next one.
    SchedulerRun.objects.filter(
        event=event, status__in=["queued", "running"],
        created_at__lt=timezone.now() - STALE_RUN,
    ).update(status=SchedulerRun.Status.FAILED, finished_at=timezone.now(),
             message="Abandoned: no result after 15 minutes.")
    if SchedulerRun.objects.filter(event=event, status__in=["queued", "running"]).exists():
        raise Conflict(_("The scheduler is already running for this event."),
                       code="scheduler_running")
    run = SchedulerRun.objects.create(event=event, started_by=actor)
    audit(actor=actor, action="events.scheduler.started", target=event)
    # Queued by name: tasks import services, never the other way round.
    transaction.on_commit(lambda: current_app.tasks[SCHEDULER_RUN_TASK].delay(run.pk))
    return run


SCHEDULER_RUN_TASK = "events.tasks.scheduler_run_task"


def scheduler_run(*, run_id: int, time_limit: float = 6.0) -> SchedulerRun:
    """Load the accepted meetings, schedule them (events.scheduling), write the result.
    Published meetings keep their slot and table; drafts of earlier runs are the start."""
    with transaction.atomic():
        run = SchedulerRun.objects.select_for_update().get(pk=run_id)
        if run.status != SchedulerRun.Status.QUEUED:
            return run
        run.status = SchedulerRun.Status.RUNNING
        run.save(update_fields=["status"])
    try:
        return _scheduler_compute(run, time_limit)
    except Exception as exc:
        logger.exception("Scheduler run %s failed", run_id)
        SchedulerRun.objects.filter(pk=run_id).update(
            status=SchedulerRun.Status.FAILED, finished_at=timezone.now(),
            message=f"{exc.__class__.__name__}: {exc}")
        raise


def _scheduler_compute(run: SchedulerRun, time_limit: float) -> SchedulerRun:
    event = run.event
    slots = list(MeetingSlot.objects.filter(session__event=event).select_related("session")
                 .order_by("starts_at", "id"))
    slot_index = {slot.pk: i for i, slot in enumerate(slots)}
    meetings = list(Meeting.objects.filter(event=event,
                                           request__status=MeetingRequest.Status.ACCEPTED)
                    .select_related("request").order_by("id"))
    people: dict[int, int] = {}
    pairs = []
    for meeting in meetings:
        a = people.setdefault(meeting.request.requester_id, len(people))
        b = people.setdefault(meeting.request.recipient_id, len(people))
        pairs.append((a, b))
    full = (1 << len(slots)) - 1
    availability = [full] * len(people)
    for user_id, slot_id in Unavailability.objects.filter(
            slot__session__event=event, user_id__in=list(people)).values_list("user_id",
                                                                               "slot_id"):
        availability[people[user_id]] &= ~(1 << slot_index[slot_id])
    fixed, hint = {}, {}
    for i, meeting in enumerate(meetings):
        if meeting.slot_id in slot_index:
            if meeting.published:
                fixed[i] = (slot_index[meeting.slot_id], meeting.table)
            else:
                hint[i] = slot_index[meeting.slot_id]
    problem = scheduling.Problem(
        participants=len(people), tables=[slot.session.tables for slot in slots],
        meetings=pairs, availability=availability, fixed=fixed, hint=hint)
    bound, _detail = scheduling.upper_bound(problem)

    def progress(done, total):
        SchedulerRun.objects.filter(pk=run.pk).update(progress=10 + int(80 * done / total))

    SchedulerRun.objects.filter(pk=run.pk).update(progress=10, meetings=len(meetings))
    result = scheduling.schedule(problem, time_limit=time_limit, progress=progress)
    with transaction.atomic():
        run = SchedulerRun.objects.select_for_update().get(pk=run.pk)
        locked = {m.pk: m for m in Meeting.objects.select_for_update(of=("self",)).filter(
            pk__in=[m.pk for m in meetings]).order_by("pk")}
        changed = []
        # Clear drafts first so the (slot, table) constraint never sees two at once.
        Meeting.objects.filter(pk__in=[m.pk for m in meetings if not m.published]).update(
            slot=None, table=None)
        unplaced = []
        for i, meeting in enumerate(meetings):
            row = locked.get(meeting.pk)
            if row is None or row.published:
                continue
            if result.slot[i] >= 0:
                row.slot, row.table, row.unplaced_reason = (slots[result.slot[i]],
                                                            result.table[i], "")
            else:
                reason = result.unplaced.get(i, scheduling.NO_FREE_SLOT)
                row.slot, row.table, row.unplaced_reason = None, None, reason
                unplaced.append({"meeting": row.pk, "request": meeting.request_id,
                                 "requester": meeting.request.requester_id,
                                 "recipient": meeting.request.recipient_id,
                                 "reason": reason})
            changed.append(row)
        Meeting.objects.bulk_update(changed, ["slot", "table", "unplaced_reason"],
                                    batch_size=1000)
        run.status, run.progress, run.finished_at = SchedulerRun.Status.DONE, 100, timezone.now()
        run.placed, run.bound, run.unplaced = result.placed, bound, unplaced
        run.message = _("%(placed)s of %(total)s meetings placed (upper bound %(bound)s).") % {
            "placed": result.placed, "total": len(meetings), "bound": bound}
        run.save()
        audit(actor=run.started_by, action="events.scheduler.finished", target=event,
              changes={"placed": result.placed, "bound": bound})
    return run


@transaction.atomic
def schedule_publish(*, event: Event, actor) -> int:
    """Publish the placed meetings: participants see them in their agenda and are told."""
    if not permissions.events_schedulable_by(actor).filter(pk=event.pk).exists():
        raise NotAllowed(_("Only portal staff publish the meeting schedule."))
    event = _lock_event(event)
    if SchedulerRun.objects.filter(event=event, status__in=["queued", "running"]).exists():
        raise Conflict(_("Wait until the scheduler has finished."), code="scheduler_running")
    to_publish = Meeting.objects.filter(
        event=event, published=False, slot__isnull=False,
        request__status=MeetingRequest.Status.ACCEPTED).order_by("pk")
    users = set()
    for requester, recipient in to_publish.select_for_update(of=("self",)).values_list(
            "request__requester_id", "request__recipient_id"):
        users.update((requester, recipient))
    count = to_publish.update(published=True)
    event.sequence += 1
    event.save(update_fields=["sequence", "updated_at"])
    audit(actor=actor, action="events.schedule.published", target=event,
          changes={"meetings": count})
    if users:
        notify(kind="events.agenda_published", target=event,
               recipients=list(get_user_model().objects.filter(pk__in=users, is_active=True)),
               actor=actor, dedupe_key=f"events.agenda_published:{event.pk}:{event.sequence}",
               context={"url": "/events/agenda/"})
    return count
