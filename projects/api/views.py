"""The API of projects, pilots and programmes: the same permission QuerySets and services as
the pages, answering in JSON (errors in the one format of ecosystem.api.errors)."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from ecosystem.api.filters import OrderingFilter
from ecosystem.notifications.services import is_following

from .. import permissions, selectors, services
from ..filters import PilotFilter, ProgrammeFilter, ProjectFilter
from ..models import (
    ExpectedResult,
    Phase,
    PilotIndicator,
    ProgrammeCity,
    ProjectPartner,
)
from . import serializers as s


class GeoJSONRenderer(renderers.BaseRenderer):
    media_type = "application/geo+json"
    format = "geojson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return renderers.JSONRenderer().render(data)


def _string(nullable=False):
    return {"type": "string", "nullable": True} if nullable else {"type": "string"}


FEATURE_COLLECTION = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection (RFC 7946): one Point per pilot, [lon, lat].",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {
            "type": "object",
            "required": ["type", "id", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer"},
                "geometry": {
                    "type": "object",
                    "required": ["type", "coordinates"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Point"]},
                        "coordinates": {"type": "array", "items": {"type": "number"},
                                        "minItems": 2, "maxItems": 2},
                    },
                },
                "properties": {
                    "type": "object",
                    "properties": {
                        **{name: _string() for name in (
                            "slug", "title", "status", "status_label", "city", "city_slug",
                            "address", "url")},
                        "project": _string(nullable=True),
                        "themes": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        }},
    },
}


def _follow_response(request, target):
    if request.method == "DELETE":
        services.target_unfollow(user=request.user, target=target)
    else:
        services.target_follow(user=request.user, target=target)
    return Response({"following": is_following(user=request.user, target=target)})


# --------------------------------------------------------------------------- projects


@extend_schema_view(
    list=extend_schema(summary="List projects (drafts only for their editors)"),
    retrieve=extend_schema(summary="One project with partners, helix balance and results"),
    create=extend_schema(summary="Add a project as a draft (administrators of the coordinator)"),
    partial_update=extend_schema(summary="Change a project (its editors)"),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    filterset_class = ProjectFilter
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    ordering_fields = ["acronym", "start_date", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.ProjectUpdateSerializer
        return s.ProjectSerializer

    def get_queryset(self):
        queryset = selectors.project_list(viewer=self.request.user).prefetch_related(
            Prefetch("partners", queryset=ProjectPartner.objects.select_related("organisation")
                     .order_by(selectors.PARTNER_ORDER, "organisation__name")),
            Prefetch("results", queryset=ExpectedResult.objects.order_by("position", "id")),
        )
        if self.request.method not in SAFE_METHODS and self.action == "partial_update":
            return queryset.filter(pk__in=permissions.projects_editable_by(self.request.user)
                                   .values("pk"))
        return queryset

    def perform_create(self, serializer):
        project = services.project_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer):
        services.project_update(project=serializer.instance, actor=self.request.user,
                                **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(request=s.ProjectStatusSerializer, summary="Publish, complete or unpublish")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def status(self, request, slug=None):
        project = get_object_or_404(permissions.projects_managed_by(request.user), slug=slug)
        data = s.ProjectStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.project_set_status(project=project, actor=request.user, **data.validated_data)
        return Response(s.ProjectSerializer(self.get_queryset().get(pk=project.pk)).data)

    @extend_schema(request=s.ProgressSerializer, responses=s.ResultSerializer,
                   summary="Report progress on an expected result (project editors)")
    @action(detail=True, methods=["post"], url_path=r"results/(?P<result_pk>\d+)/progress",
            permission_classes=[IsAuthenticated])
    def progress(self, request, slug=None, result_pk=None):
        project = get_object_or_404(permissions.projects_editable_by(request.user), slug=slug)
        result = get_object_or_404(project.results, pk=result_pk)
        data = s.ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.result_update_progress(result=result, actor=request.user,
                                                 **data.validated_data)
        return Response(s.ResultSerializer(result).data)

    @extend_schema(request=None, summary="Follow (POST) or unfollow (DELETE) a project")
    @action(detail=True, methods=["post", "delete"], permission_classes=[IsAuthenticated])
    def follow(self, request, slug=None):
        project = get_object_or_404(permissions.projects_visible_to(request.user), slug=slug)
        return _follow_response(request, project)


# --------------------------------------------------------------------------- pilots


@extend_schema_view(
    list=extend_schema(summary="List pilots; ?format=geojson for a GeoJSON FeatureCollection"),
    retrieve=extend_schema(summary="One pilot"),
    create=extend_schema(summary="Add a pilot (city staff, project editors)"),
    partial_update=extend_schema(summary="Change a pilot; followers are told (its editors)"),
)
class PilotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PilotSerializer
    filterset_class = PilotFilter
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    ordering_fields = ["title", "start_date", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # The list and the map answer GeoJSON too (documented by ecosystem.api.schema).
    media_type_schemas = {GeoJSONRenderer.media_type: FEATURE_COLLECTION}

    def get_renderers(self):
        renderers = super().get_renderers()
        # No action: a method the route does not take, answered 405 after the content
        # negotiation, which must not fail first (404) on ?format=geojson.
        if self.action in ("list", "geojson", None):
            renderers.append(GeoJSONRenderer())
        return renderers

    def get_queryset(self):
        queryset = selectors.pilot_list(viewer=self.request.user).prefetch_related(
            Prefetch("indicators", queryset=PilotIndicator.objects.order_by("position", "id"))
        )
        if self.action == "partial_update":
            return queryset.filter(pk__in=permissions.pilots_editable_by(self.request.user)
                                   .values("pk"))
        return queryset

    def handle_exception(self, exc):
        # An error is the one JSON error body, also when GeoJSON was asked for.
        if getattr(self.request, "accepted_renderer", None) is not None and \
                self.request.accepted_renderer.format == GeoJSONRenderer.format:
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)

    def _geojson(self, request):
        base = permissions.pilots_visible_to(request.user)
        filterset = PilotFilter(request.query_params, queryset=base, request=request)
        if not filterset.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(filterset.errors)
        # The whole collection, unpaged and unordered; the list's other parameters are still
        # checked as for JSON, so a bad one is the same 400 (or 404 for a foreign cursor).
        OrderingFilter().get_ordering(request, base, self)
        self.paginate_queryset(base.order_by("title", "id"))
        return HttpResponse(selectors.pilot_geojson(pilots=filterset.qs),
                            content_type="application/geo+json; charset=utf-8")

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == GeoJSONRenderer.format:
            return self._geojson(request)
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="All visible pilots as a GeoJSON FeatureCollection ([lon, lat])",
                   responses={(200, GeoJSONRenderer.media_type): OpenApiResponse(
                       FEATURE_COLLECTION)})
    @action(detail=False, methods=["get"], url_path="geojson", url_name="geojson",
            filter_backends=[], pagination_class=None)
    def geojson(self, request):
        return self._geojson(request)

    def perform_create(self, serializer):
        pilot = services.pilot_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=pilot.pk)

    def perform_update(self, serializer):
        services.pilot_update(pilot=serializer.instance, actor=self.request.user,
                              **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(methods=["GET"], operation_id="pilots_feedback_published",
                   responses=s.FeedbackSerializer(many=True), summary="Published feedback")
    @extend_schema(methods=["POST"], operation_id="pilots_feedback_submit",
                   request=s.FeedbackSerializer, responses=s.FeedbackSerializer,
                   summary="Send a comment or idea (moderated; 5 an hour)")
    @action(detail=True, methods=["get", "post"], serializer_class=s.FeedbackSerializer,
            filter_backends=[])
    def feedback(self, request, slug=None):
        pilot = selectors.pilot_detail(viewer=request.user, slug=slug)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.pilot_published_feedback(pilot=pilot))
            return self.get_paginated_response(s.FeedbackSerializer(page, many=True).data)
        data = s.FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.feedback_submit(pilot=pilot, author=request.user, **data.validated_data)
        return Response(s.FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], operation_id="pilots_news_list",
                   responses=s.PilotUpdateSerializer(many=True), summary="News from the pilot")
    @extend_schema(methods=["POST"], operation_id="pilots_news_create",
                   request=s.PilotUpdateSerializer, responses={201: s.PilotUpdateSerializer},
                   summary="Post news to the pilot's followers (its editors)")
    @action(detail=True, methods=["get", "post"], serializer_class=s.PilotUpdateSerializer,
            filter_backends=[])
    def news(self, request, slug=None):
        if request.method == "GET":
            pilot = selectors.pilot_detail(viewer=request.user, slug=slug)
            page = self.paginate_queryset(selectors.pilot_updates(pilot=pilot))
            return self.get_paginated_response(s.PilotUpdateSerializer(page, many=True).data)
        pilot = get_object_or_404(permissions.pilots_editable_by(request.user), slug=slug)
        data = s.PilotUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.pilot_update(pilot=pilot, actor=request.user,
                              news_title=data.validated_data["title"],
                              news_body=data.validated_data["body"])
        latest = selectors.pilot_updates(pilot=pilot).first()
        return Response(s.PilotUpdateSerializer(latest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, summary="Follow (POST) or unfollow (DELETE) a pilot")
    @action(detail=True, methods=["post", "delete"], permission_classes=[IsAuthenticated],
            filter_backends=[])
    def follow(self, request, slug=None):
        pilot = selectors.pilot_detail(viewer=request.user, slug=slug)
        return _follow_response(request, pilot)


@extend_schema_view(
    list=extend_schema(summary="Feedback you may moderate (?status=pending|published|rejected)"),
    retrieve=extend_schema(summary="One feedback you may moderate"),
)
class FeedbackModerationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FeedbackSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "kind"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return (permissions.feedback_moderatable_by(self.request.user)
                .select_related("pilot", "author").order_by("created_at", "id"))

    @extend_schema(request=None, summary="Publish pending feedback; the author is told")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        feedback = services.feedback_publish(feedback=self.get_object(), actor=request.user)
        return Response(s.FeedbackSerializer(feedback).data)

    @extend_schema(request=s.RejectSerializer, summary="Reject feedback with a reason")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        feedback = self.get_object()
        data = s.RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.feedback_reject(feedback=feedback, actor=request.user,
                                            **data.validated_data)
        return Response(s.FeedbackSerializer(feedback).data)


# --------------------------------------------------------------------------- programmes

CITY = r"cities/(?P<city_slug>[-\w]+)"


@extend_schema_view(
    list=extend_schema(summary="List mentor-city programmes with phases and cohort"),
    retrieve=extend_schema(summary="One programme"),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProgrammeSerializer
    filterset_class = ProgrammeFilter
    lookup_field = "slug"
    ordering_fields = ["start_date", "name"]

    def get_queryset(self):
        return selectors.programme_list(viewer=self.request.user).prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start_date", "id")),
            Prefetch("cohort", queryset=ProgrammeCity.objects.select_related("city")
                     .order_by("role", "city__name")),
        )

    def _programme(self, slug):
        return selectors.programme_detail(viewer=self.request.user, slug=slug)

    def _roadmap(self, slug, city_slug):
        programme = self._programme(slug)
        return selectors.roadmap_for(viewer=self.request.user, programme=programme,
                                     city_slug=city_slug)

    def _editable(self, slug, city_slug):
        self._programme(slug)
        return get_object_or_404(permissions.roadmaps_editable_by(self.request.user),
                                 programme__slug=slug, city__slug=city_slug)

    @extend_schema(responses=s.MentorshipSerializer(many=True), summary="Mentor-city pairings")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def mentorships(self, request, slug=None):
        programme = self._programme(slug)
        return Response(s.MentorshipSerializer(
            selectors.programme_mentorships(programme=programme), many=True).data)

    @extend_schema(responses=s.RoadmapSummarySerializer(many=True),
                   summary="The participating cities' roadmaps, summarised")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def cities(self, request, slug=None):
        programme = self._programme(slug)
        return Response(s.RoadmapSummarySerializer(
            selectors.roadmap_list(viewer=request.user, programme=programme), many=True).data)

    @extend_schema(request=s.RoadmapUpdateSerializer, responses=s.RoadmapSerializer,
                   summary="A city's roadmap: actions and indicator series (PATCH: city staff)")
    @action(detail=True, methods=["get", "patch"], url_path=CITY, url_name="roadmap")
    def roadmap(self, request, slug=None, city_slug=None):
        if request.method == "PATCH":
            roadmap = self._editable(slug, city_slug)
            data = s.RoadmapUpdateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.roadmap_update(roadmap=roadmap, actor=request.user, **data.validated_data)
        roadmap = self._roadmap(slug, city_slug)
        entry = roadmap.programme.cohort.filter(city=roadmap.city).first()
        stage = (entry.stage if entry and entry.stage else "") or selectors.current_phase(
            roadmap.programme.phases.all())
        return Response(s.RoadmapSerializer(roadmap, context={"stage": stage}).data)

    @extend_schema(request=s.ActionSerializer, responses=s.ActionSerializer,
                   summary="Add an action to a city's roadmap (city staff)")
    @action(detail=True, methods=["post"], url_path=f"{CITY}/actions",
            permission_classes=[IsAuthenticated])
    def add_action(self, request, slug=None, city_slug=None):
        roadmap = self._editable(slug, city_slug)
        data = s.ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.action_create(roadmap=roadmap, actor=request.user, **data.validated_data)
        return Response(s.ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActionSerializer, responses=s.ActionSerializer,
                   summary="Change an action of a city's roadmap (city staff)")
    @action(detail=True, methods=["patch"], url_path=rf"{CITY}/actions/(?P<action_pk>\d+)",
            permission_classes=[IsAuthenticated])
    def change_action(self, request, slug=None, city_slug=None, action_pk=None):
        roadmap = self._editable(slug, city_slug)
        target = get_object_or_404(roadmap.actions, pk=action_pk)
        data = s.ActionSerializer(target, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changed = services.action_update(action=target, actor=request.user, **data.validated_data)
        return Response(s.ActionSerializer(changed).data)

    @extend_schema(request=s.MeasurementWriteSerializer, responses=s.MeasurementSerializer,
                   summary="Record a measured value of an indicator (city staff)")
    @action(detail=True, methods=["post"], url_path=f"{CITY}/measurements",
            permission_classes=[IsAuthenticated])
    def measurements(self, request, slug=None, city_slug=None):
        roadmap = self._editable(slug, city_slug)
        data = s.MeasurementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        indicator = get_object_or_404(roadmap.indicators, code=values.pop("indicator"))
        measurement = services.measurement_record(indicator=indicator, actor=request.user,
                                                  **values)
        return Response(s.MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CommentSerializer, responses=s.CommentSerializer(many=True),
                   summary="Mentors' comments on a roadmap (mentors, the city's staff)")
    @action(detail=True, methods=["get", "post"], url_path=f"{CITY}/comments",
            permission_classes=[IsAuthenticated], pagination_class=None, filter_backends=[])
    def comments(self, request, slug=None, city_slug=None):
        programme = self._programme(slug)
        roadmap = get_object_or_404(permissions.roadmaps_commentable_by(request.user),
                                    programme=programme, city__slug=city_slug)
        if request.method == "POST":
            data = s.CommentSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = services.roadmap_comment_post(roadmap=roadmap, actor=request.user,
                                                    **data.validated_data)
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(s.CommentSerializer(
            roadmap.comments.select_related("author").order_by("created_at", "id"), many=True
        ).data)

    @extend_schema(responses=s.ComparisonSerializer(many=True),
                   summary="Compare the cities on one indicator (by code)")
    @action(detail=True, methods=["get"], url_path=r"indicators/(?P<code>[-\w]+)",
            pagination_class=None, filter_backends=[])
    def indicator(self, request, slug=None, code=None):
        programme = self._programme(slug)
        rows = selectors.indicator_comparison(viewer=request.user, programme=programme, code=code)
        return Response(s.ComparisonSerializer(rows, many=True).data)



