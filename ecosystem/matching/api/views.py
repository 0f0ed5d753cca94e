"""The signed-in person's recommendations (read from stored rows, constant queries)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import registry, services
from ..selectors import recommendations_for, viewer_organisation_ids
from .serializers import (
    KIND_VALUES,
    ErrorSerializer,
    NotInterestedSerializer,
    RecommendationSerializer,
    shown_out,
)


def _kind_choices() -> list[str]:
    return [kind.key for kind in registry.all_kinds()] or KIND_VALUES


class MyRecommendationsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="What the portal recommends to your organisations (or to you, if you act for "
                "none), with reasons and scores",
        parameters=[
            OpenApiParameter("kind", str, enum=KIND_VALUES,
                             description="only this kind; default: every kind"),
            OpenApiParameter("organisation", int,
                             description="only for this one of your organisations"),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 50},
                             description="at most this many (1-50, default 20)"),
        ],
        responses={200: RecommendationSerializer(many=True), 400: ErrorSerializer,
                   401: ErrorSerializer, 403: ErrorSerializer},
    )
    def get(self, request):
        kind = request.query_params.get("kind")
        errors = {}
        if kind and kind not in _kind_choices():
            errors["kind"] = [f"Choose one of: {', '.join(_kind_choices())}."]
        # An empty value is no value, as on every list (the schema's allowEmptyValue).
        organisation = request.query_params.get("organisation") or None
        try:
            limit = int(request.query_params.get("limit") or 20)
            if not 1 <= limit <= 50:
                raise ValueError
        except ValueError:
            errors["limit"] = ["A number from 1 to 50."]
        organisation_ids = None
        if organisation is not None:
            try:
                organisation_ids = [int(organisation)]
            except ValueError:
                errors["organisation"] = ["An organisation id."]
        if errors:
            raise ValidationError(errors)
        if organisation_ids and organisation_ids[0] not in viewer_organisation_ids(request.user):
            raise NotFound()
        items = recommendations_for(viewer=request.user, kinds=[kind] if kind else None,
                                    organisation_ids=organisation_ids, limit=limit)
        return Response([shown_out(item) for item in items])


class NotInterestedApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Not interested: hide an item for one of your organisations (or for you, if "
                "you act for none), see fewer like it",
        request=NotInterestedSerializer,
        responses={204: None, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request):
        serializer = NotInterestedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dismiss(viewer=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
