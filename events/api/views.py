from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ecosystem.errors import InvalidInput, InvalidTransition
from ecosystem.matching.api.serializers import ErrorSerializer, reasons_out

from .. import permissions as rules
from .. import selectors, services
from ..filters import EventFilter
from ..models import CooperationProfile
from .serializers import (
    EventSerializer,
    MeetingRequestSerializer,
    PersonToMeetSerializer,
    RegisterInputSerializer,
    RegistrationSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List events (filters as on /events/; default: upcoming)"),
    retrieve=extend_schema(summary="One event"),
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["starts_at", "title"]

    def get_queryset(self):
        return selectors.event_list(viewer=self.request.user)

    @extend_schema(
        summary="People to meet at a matchmaking event, with reasons (participants only)",
        responses={200: PersonToMeetSerializer(many=True), 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["get"], url_path="people-to-meet", filter_backends=[],
            pagination_class=None, permission_classes=[permissions.IsAuthenticated])
    def people_to_meet(self, request, pk=None):
        from ecosystem.errors import NotAllowed

        from ..matching import people_to_meet

        event = self.get_object()
        if not event.matchmaking:
            raise InvalidTransition(_("This event has no B2B matchmaking."))
        if not selectors.registration_of(user=request.user, event=event) or not (
                selectors.registration_of(user=request.user, event=event).holds_place):
            raise NotAllowed(_("Only confirmed participants take part in the matchmaking."))
        return Response([
            {"user_id": item.candidate.id, "name": item.candidate.title,
             "organisation": item.candidate.rules.get("organisation", ""),
             "profile_id": item.candidate.rules["profile_id"], "score": item.score,
             "reasons": reasons_out(item.reasons)}
            for item in people_to_meet(event=event, user=request.user)
        ])

    @extend_schema(summary="Register the signed-in person (waiting list when full)",
                   request=RegisterInputSerializer, responses={201: RegistrationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def register(self, request, pk=None):
        event = self.get_object()
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.registration_create(
            event=event, user=request.user, organisation=data.validated_data.get("organisation"))
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Cancel the signed-in person's registration",
                   request=None, responses={200: RegistrationSerializer})
    @action(detail=True, methods=["post"], url_path="cancel-registration",
            permission_classes=[permissions.IsAuthenticated])
    def cancel_registration(self, request, pk=None):
        event = self.get_object()
        registration = selectors.registration_of(user=request.user, event=event)
        if registration is None:
            raise InvalidTransition(_("You are not registered for this event."),
                                    code="not_registered")
        registration = services.registration_cancel(registration=registration,
                                                    actor=request.user)
        return Response(RegistrationSerializer(registration).data)


@extend_schema_view(
    list=extend_schema(summary="My registrations"),
    retrieve=extend_schema(summary="One of my registrations"),
    destroy=extend_schema(summary="Cancel one of my registrations"),
)
class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status", "event"]

    def get_queryset(self):
        return rules.registrations_of(self.request.user).select_related(
            "event", "organisation").order_by("-created_at", "-id")

    def destroy(self, request, *args, **kwargs):
        registration = services.registration_cancel(registration=self.get_object(),
                                                    actor=request.user)
        return Response(RegistrationSerializer(registration).data)


@extend_schema_view(
    list=extend_schema(summary="Meeting requests I asked or was asked"),
    retrieve=extend_schema(summary="One of my meeting requests"),
    create=extend_schema(summary="Ask another participant of a matchmaking event for a meeting"),
)
class MeetingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = MeetingRequestSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status", "event"]

    def get_queryset(self):
        return selectors.meeting_requests_of(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = get_object_or_404(rules.events_visible_to(request.user), pk=data["event"].pk)
        recipient = get_object_or_404(get_user_model(), pk=data["recipient"].pk, is_active=True)
        profile = data.get("profile")
        if profile is not None and not CooperationProfile.objects.filter(
                pk=profile.pk, event=event, is_active=True).exists():
            raise InvalidInput(_("Unknown profile."), fields={"profile": [_("Unknown profile.")]})
        meeting_request = services.meeting_request_create(
            event=event, requester=request.user, recipient=recipient, profile=profile,
            message=data["message"])
        return Response(self.get_serializer(meeting_request).data,
                        status=status.HTTP_201_CREATED)

    def _transition(self, service):
        meeting_request = self.get_object()
        meeting_request = service(request=meeting_request, actor=self.request.user)
        return Response(self.get_serializer(meeting_request).data)

    @extend_schema(summary="Accept (the person asked)", request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(services.meeting_request_accept)

    @extend_schema(summary="Decline (the person asked)", request=None)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._transition(services.meeting_request_decline)

    @extend_schema(summary="Cancel (either of the two)", request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(services.meeting_request_cancel)

