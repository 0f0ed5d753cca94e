from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from ecosystem.api.filters import OrderingFilter, QueryFilterBackend
from ecosystem.api.parsers import JSONParser
from ecosystem.models import Theme

from .. import selectors, services
from ..filters import OrganisationFilter
from ..models import City, Competence
from ..permissions import organisations_administered_by
from .serializers import (
    CitySerializer,
    MyMembershipSerializer,
    OrganisationSerializer,
    ThemeSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List organisations (the quadruple-helix directory)"),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(summary="Register an organisation; you become its administrator"),
    partial_update=extend_schema(summary="Change an organisation (its administrators only)"),
)
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    filter_backends = [QueryFilterBackend, OrderingFilter]
    parser_classes = [JSONParser, MultiPartParser]  # multipart: to send a logo
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.organisation_api_list(viewer=self.request.user)
        if self.request.method in permissions.SAFE_METHODS:
            queryset = selectors.organisation_list(viewer=self.request.user)
        else:
            queryset = organisations_administered_by(self.request.user)
        return queryset.prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("name"))
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.attach_tag_slugs(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer):
        serializer.instance = services.organisation_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organisation_update(
            organisation=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Theme.objects.order_by("name")
    serializer_class = ThemeSerializer
    filterset_fields = ["group"]
    lookup_field = "slug"


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = City.objects.order_by("name")
    serializer_class = CitySerializer
    filterset_fields = ["country", "is_mentor"]
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="Your own memberships in organisations"),
    retrieve=extend_schema(summary="One of your memberships"),
    partial_update=extend_schema(summary="Choose whether you are shown on the public profile"),
    destroy=extend_schema(summary="Leave the organisation (never as its last administrator)"),
)
class MyMembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MyMembershipSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "delete", "head", "options"]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.memberships_of(user=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.membership_set_visibility(
            membership=serializer.instance,
            actor=self.request.user,
            is_public=serializer.validated_data.get("is_public", serializer.instance.is_public),
        )

    def destroy(self, request, *args, **kwargs):
        services.membership_remove(membership=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
