"""What the events app stores about people (the privacy registry) and for how long."""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.errors import DomainError
from ecosystem.privacy import registry
from ecosystem.privacy.registry import KEEP, PersonalData, RetentionRule

from .models import (
    AgendaToken,
    CooperationProfile,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSession,
    Registration,
    SchedulerRun,
    Unavailability,
)

CLEARED_CODE_PREFIX = "~"  # never produced by new_registration_code()


def _erase_registrations(user) -> int:
    """Places at upcoming events are cancelled first (the waiting list moves up)."""
    from .services import registration_cancel

    upcoming = Registration.objects.filter(
        user=user, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
        event__ends_at__gt=timezone.now())
    for registration in upcoming:
        try:
            registration_cancel(registration=registration, actor=user)
        except DomainError:
            pass
    deleted, _per_model = Registration.objects.filter(user=user).delete()
    return deleted


def _meetings_of(user):
    return Meeting.objects.filter(
        Q(request__requester=user) | Q(request__recipient=user)).order_by("pk")


def _clear_codes(queryset) -> int:
    return queryset.update(code=Concat(Value(CLEARED_CODE_PREFIX),
                                       Cast("pk", output_field=CharField())))


def register():
    registry.register_not_personal(
        [MeetingSession], _("The name of a meeting session at an event, not of a person."))
    registry.register(PersonalData(
        model=Event, fields=("proposed_by",), erase=KEEP,
        export_fields=("id", "title", "slug", "starts_at", "publication", "created_at"),
        purpose=_("Events you proposed."),
        seen_by=_("Portal staff (who proposed an event is never shown publicly)."),
        kept=_("The event stays: it belongs to its organisers; it no longer records who "
               "proposed it."),
        kept_for=_("Until the event is deleted."),
    ))
    registry.register(PersonalData(
        model=Registration, fields=("user", "organisation", "code", "checked_in_at",
                                    "checked_in_by"),
        person=("user",), erase=_erase_registrations,
        export_fields=("id", "event_id", "event__title", "event__starts_at", "organisation_id",
                       "status", "code", "queue_number", "checked_in_at", "created_at",
                       "promoted_at", "cancelled_at"),
        purpose=_("Your registrations for events, the waiting list and your check-in at the "
                  "door."),
        seen_by=_("You, the event's organisers and portal staff."),
        retention=_("Check-in codes are cleared after the check-in code period; attendee "
                    "lists of past events are deleted after the attendee period (EU-funded "
                    "projects must keep attendance evidence for years)."),
    ))
    registry.register(PersonalData(
        model=CooperationProfile, fields=("user", "organisation", "title", "description"),
        person=("user",),
        export_fields=("id", "event_id", "organisation_id", "direction", "type", "title",
                       "description", "is_active", "created_at", "updated_at"),
        purpose=_("Your cooperation offers and requests at matchmaking events."),
        seen_by=_("Participants of the event."),
    ))
    registry.register(PersonalData(
        model=MeetingRequest, fields=("requester", "recipient", "message", "cancelled_by"),
        person=("requester", "recipient"),
        export_fields=("id", "event_id", "requester_id", "recipient_id", "profile_id",
                       "message", "status", "created_at", "responded_at"),
        scrub=("message",),
        purpose=_("B2B meeting requests you sent or received."),
        seen_by=_("You and the other participant; the event's organisers."),
    ))
    registry.register(PersonalData(
        model=Meeting, fields=(), rows=_meetings_of,
        export_fields=("id", "request_id", "event_id", "slot__starts_at", "slot__ends_at",
                       "table", "published"),
        purpose=_("Your agenda of B2B meetings (time slot and table)."),
        seen_by=_("You, the other participant and the event's organisers."),
    ))
    registry.register(PersonalData(
        model=Unavailability, fields=("user",),
        export_fields=("id", "slot_id", "slot__starts_at"),
        purpose=_("Time slots in which you said you are not available for meetings."),
        seen_by=_("The event's organisers."),
    ))
    registry.register(PersonalData(
        model=AgendaToken, fields=("user",), export_fields=("id", "created_at"),
        purpose=_("The secret address of your agenda's calendar feed (not exported)."),
        seen_by=_("Nobody but you."),
    ))
    registry.register(PersonalData(
        model=SchedulerRun, fields=("started_by",), erase=KEEP,
        export_fields=("id", "event_id", "status", "created_at"),
        purpose=_("Meeting schedules you computed as an organiser."),
        seen_by=_("The event's organisers."),
        kept=_("The record of how an event's agenda was made; it no longer names you."),
        kept_for=_("Until the event is deleted."),
    ))
    registry.register_retention(RetentionRule(
        key="checkin_codes", label=_("Check-in codes of past events"), default_days=30,
        expired=lambda cutoff: Registration.objects.filter(event__ends_at__lt=cutoff).exclude(
            code__startswith=CLEARED_CODE_PREFIX),
        apply=_clear_codes,
        description=_("The code that opens a registration and its QR code, counted from the "
                      "end of the event."),
    ))
    registry.register_retention(RetentionRule(
        key="past_event_attendees", label=_("Attendee lists of past events"),
        default_days=1825,
        expired=lambda cutoff: Registration.objects.filter(event__ends_at__lt=cutoff),
        description=_("Registrations, counted from the end of the event."),
    ))
