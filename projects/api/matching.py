"""Partner suggestions for a consortium, with reasons and scores; one-click contact."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystem.api.serializers import Serializer
from ecosystem.matching.api.serializers import ErrorSerializer, ReasonSerializer, reasons_out
from stakeholders.models import Helix, Organisation

from .. import permissions, services
from ..matching import partner_suggestions


class SuggestedPartnerSerializer(Serializer):
    organisation_id = serializers.IntegerField()
    name = serializers.CharField()
    helix = serializers.ChoiceField(choices=Helix.choices)
    score = serializers.FloatField(min_value=0, max_value=1)
    reasons = ReasonSerializer(many=True)


class HelixSuggestionsSerializer(Serializer):
    helix = serializers.ChoiceField(choices=Helix.choices, help_text="A helix the consortium lacks.")
    partners = SuggestedPartnerSerializer(many=True)


class ContactSerializer(Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ContactedSerializer(Serializer):
    notified = serializers.IntegerField(help_text="How many administrators were told.")


class ProjectPartnerSuggestionsApi(APIView):
    permission_classes = [drf_permissions.IsAuthenticated]

    @extend_schema(
        summary="Suggested partners for each helix the consortium lacks (project team only)",
        responses={200: HelixSuggestionsSerializer(many=True), 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request, slug):
        project = get_object_or_404(permissions.projects_editable_by(request.user), slug=slug)
        return Response([
            {"helix": helix, "partners": [
                {"organisation_id": item.candidate.id, "name": item.candidate.title,
                 "helix": item.candidate.helix, "score": item.score,
                 "reasons": reasons_out(item.reasons)} for item in items]}
            for helix, items in partner_suggestions(project=project).items()
        ])


class ProjectPartnerContactApi(APIView):
    permission_classes = [drf_permissions.IsAuthenticated]

    @extend_schema(
        summary="Contact a suggested partner through the portal (its administrators are told)",
        request=ContactSerializer,
        responses={201: ContactedSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, slug, organisation_id):
        project = get_object_or_404(permissions.projects_editable_by(request.user), slug=slug)
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        serializer = ContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notified = services.project_partner_contact(
            project=project, organisation=organisation, actor=request.user,
            message=serializer.validated_data.get("message", ""))
        return Response({"notified": notified}, status=status.HTTP_201_CREATED)
