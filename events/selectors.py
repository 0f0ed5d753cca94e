"""Reads of events, registrations and meetings, shared by pages, the API and the feeds."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ecosystem.models import Theme
from stakeholders.models import Organisation

from . import permissions
from .models import (
    AgendaToken,
    CooperationProfile,
    Event,
    Meeting,
    MeetingRequest,
    Registration,
)


def _with_listing(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return (
        queryset.select_related("city")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch("organisers", queryset=Organisation.objects.order_by("name")),
        )
        # A correlated subquery, not Count() over a join: a GROUP BY over every event would
        # be computed before the LIMIT, so a page would cost the whole table.
        .annotate(places_taken=Coalesce(Subquery(
            Registration.objects.filter(event=OuterRef("pk"), status__in=Registration.HOLDS_PLACE)
            .order_by().values("event").annotate(count=Count("pk")).values("count")[:1]
        ), 0))
    )


def event_list(*, viewer) -> QuerySet[Event]:
    return _with_listing(permissions.events_visible_to(viewer)).order_by("starts_at", "id")


def event_public_list() -> QuerySet[Event]:
    return _with_listing(permissions.events_public()).order_by("starts_at", "id")


def event_upcoming(*, now=None) -> QuerySet[Event]:
    now = now or timezone.now()
    return event_public_list().filter(ends_at__gte=now)


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    taken = getattr(event, "places_taken", None)
    if taken is None:
        taken = event.registrations.filter(status__in=Registration.HOLDS_PLACE).count()
    return max(event.capacity - taken, 0)


def registration_of(*, user, event: Event) -> Registration | None:
    return (
        permissions.registrations_of(user)
        .filter(event=event, status__in=Registration.ACTIVE)
        .select_related("organisation")
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITING,
        queue_number__lt=registration.queue_number,
    ).count() + 1


def my_registrations(*, user) -> QuerySet[Registration]:
    return (
        permissions.registrations_of(user)
        .select_related("event", "event__city", "organisation")
        .order_by("-event__starts_at", "-id")
    )


def attendance(*, event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "organisation")
        .order_by("status", "user__full_name", "user__email")
    )


def attendance_counts(*, event: Event) -> dict:
    counts = event.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        attended=Count("id", filter=Q(status=Registration.Status.ATTENDED)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITING)),
    )
    counts["expected"] = counts["confirmed"] + counts["attended"]
    return counts


def profile_list(*, event: Event) -> QuerySet[CooperationProfile]:
    return (
        event.profiles.filter(is_active=True)
        .select_related("user", "organisation")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("-created_at", "id")
    )


def meeting_requests_of(*, user, event: Event | None = None) -> QuerySet[MeetingRequest]:
    queryset = permissions.meeting_requests_of(user).select_related(
        "event", "requester", "recipient", "profile", "meeting", "meeting__slot"
    )
    if event is not None:
        queryset = queryset.filter(event=event)
    return queryset.order_by("-created_at", "-id")


def agenda_meetings(*, user, published_only: bool = True) -> QuerySet[Meeting]:
    queryset = Meeting.objects.filter(
        Q(request__requester=user) | Q(request__recipient=user),
        request__status=MeetingRequest.Status.ACCEPTED,
        slot__isnull=False,
    ).select_related("slot", "slot__session", "event", "request__requester",
                     "request__recipient")
    if published_only:
        queryset = queryset.filter(published=True)
    return queryset.order_by("slot__starts_at", "id")


def agenda_registrations(*, user) -> QuerySet[Registration]:
    return (
        permissions.registrations_of(user)
        .filter(status__in=Registration.ACTIVE)
        .select_related("event", "event__city")
        .order_by("event__starts_at", "id")
    )


def agenda_token_user(token: str):
    found = AgendaToken.objects.select_related("user").filter(token=token,
                                                              user__is_active=True).first()
    return found.user if found else None
