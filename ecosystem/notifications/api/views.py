"""The signed-in person's notifications and e-mail preferences. Only ever their own: every
query starts from ``selectors.notifications_of(request.user)`` (someone else's is a 404)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystem.filters import query_boolean

from .. import selectors, services
from ..registry import configurable_kinds
from .serializers import (
    MarkedSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    PreferencesUpdateSerializer,
    UnreadCountSerializer,
)


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    @extend_schema(
        summary="Your notifications, newest first",
        parameters=[OpenApiParameter("unread", bool, description="only unread ones")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = selectors.notifications_of(self.request.user)
        if query_boolean(self.request, "unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset


class NotificationReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Mark one of your notifications read", request=None,
                   responses={200: NotificationSerializer})
    def post(self, request, pk):
        notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
        notification = services.notification_mark_read(notification=notification,
                                                       user=request.user)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Mark all your notifications read", request=None,
                   responses={200: MarkedSerializer})
    def post(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


class UnreadCountApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="How many unread notifications you have (capped at 100)",
                   responses={200: UnreadCountSerializer})
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})


def _preferences(user) -> list[dict]:
    current = services.effective_preferences(user=user)
    return [
        {"kind": kind.key, "label": str(kind.label), "frequency": current[kind.key],
         "default_frequency": kind.default_frequency}
        for kind in configurable_kinds()
    ]


class PreferencesApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Your e-mail preference for every notification kind",
                   responses={200: PreferenceSerializer(many=True)})
    def get(self, request):
        return Response(_preferences(request.user))

    @extend_schema(summary="Change your e-mail preferences (only the kinds you send)",
                   request=PreferencesUpdateSerializer,
                   responses={200: PreferenceSerializer(many=True)})
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(summary="Change some of your e-mail preferences (only the kinds you send)",
                   request=PreferencesUpdateSerializer,
                   responses={200: PreferenceSerializer(many=True)})
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        data = PreferencesUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.preferences_update(user=request.user,
                                    frequencies=data.validated_data.get("preferences", {}))
        return Response(_preferences(request.user))
