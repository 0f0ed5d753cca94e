"""Who may see and do what with events, registrations and B2B meetings. Each rule answers
as a QuerySet so lists, details, the API and the feeds never disagree."""

from django.db.models import Q, QuerySet

from stakeholders.permissions import organisations_administered_by

from .models import CooperationProfile, Event, MeetingRequest, Registration


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _is_staff(user) -> bool:
    return _signed_in(user) and user.is_staff


def events_public() -> QuerySet[Event]:
    """What the public, the feeds and search engines see."""
    return Event.objects.filter(publication=Event.Publication.PUBLISHED)


def events_visible_to(user) -> QuerySet[Event]:
    """Published events; staff see every event; organisation admins also see the drafts and
    proposals of events their organisations organise or that they proposed."""
    if _is_staff(user):
        return Event.objects.all()
    if not _signed_in(user):
        return events_public()
    organised = Event.objects.filter(
        organisers__in=organisations_administered_by(user)).values("pk")
    return Event.objects.filter(
        Q(publication=Event.Publication.PUBLISHED) | Q(proposed_by=user) | Q(pk__in=organised)
    )


def events_managed_by(user) -> QuerySet[Event]:
    """Check-in and attendance lists: staff, and the admins of an organising organisation."""
    if _is_staff(user):
        return Event.objects.all()
    if not _signed_in(user):
        return Event.objects.none()
    return Event.objects.filter(
        pk__in=Event.objects.filter(
            organisers__in=organisations_administered_by(user)).values("pk")
    )


def events_schedulable_by(user) -> QuerySet[Event]:
    """The B2B scheduler is run by portal staff."""
    if _is_staff(user):
        return Event.objects.filter(matchmaking=True)
    return Event.objects.none()


def can_propose_event(user) -> bool:
    return _signed_in(user) and organisations_administered_by(user).exists()


def can_publish_event(user, event: Event | None = None) -> bool:
    return _is_staff(user)


def can_manage_event(user, event: Event) -> bool:
    return events_managed_by(user).filter(pk=event.pk).exists()


def registrations_of(user) -> QuerySet[Registration]:
    """A person's own registrations: nobody else's, staff included (they use the admin)."""
    if not _signed_in(user):
        return Registration.objects.none()
    return Registration.objects.filter(user=user)


def meeting_requests_of(user) -> QuerySet[MeetingRequest]:
    """Meeting requests the person asked or was asked: never anyone else's."""
    if not _signed_in(user):
        return MeetingRequest.objects.none()
    return MeetingRequest.objects.filter(Q(requester=user) | Q(recipient=user))


def profiles_visible_to(user) -> QuerySet[CooperationProfile]:
    """Cooperation offers and requests shown in a marketplace: to the people who hold a place
    at the event and to those who manage it; hidden (inactive) profiles never."""
    if not _signed_in(user):
        return CooperationProfile.objects.none()
    holding = Registration.objects.filter(
        user=user, status__in=Registration.HOLDS_PLACE).values("event_id")
    return CooperationProfile.objects.filter(
        Q(event_id__in=holding) | Q(event_id__in=events_managed_by(user).values("pk")),
        is_active=True, event__matchmaking=True,
        event_id__in=events_visible_to(user).values("pk"),
    )
