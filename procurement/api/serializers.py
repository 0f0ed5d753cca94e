"""Shapes of procurement data in the API. Writes go through the services; no serializer
queries per row (everything it reads is prefetched by the view)."""

from rest_framework import serializers

from ecosystem.api.parsers import INTEGER_MAX
from ecosystem.api.serializers import ModelSerializer, Serializer

from ..models import (
    Amendment,
    Application,
    ApplicationDocument,
    Call,
    CallDocument,
    Criterion,
    Lot,
    Question,
    Score,
    Scoresheet,
)


class CriterionSerializer(ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight"]


class LotSerializer(ModelSerializer):
    class Meta:
        model = Lot
        fields = ["id", "number", "title", "description", "estimated_value"]


class CallDocumentSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = CallDocument
        fields = ["id", "title", "kind", "content_type", "size", "sha256", "uploaded_at", "url"]


class AmendmentSerializer(ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["id", "rationale", "changes", "invalidates_submissions", "created_at"]


class CallSerializer(ModelSerializer):
    buyer = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    status = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Call
        fields = [
            "id", "slug", "url", "ocid", "title", "buyer", "buyer_name", "procedure", "status",
            "cpv_codes", "themes", "nuts_region", "estimated_value", "currency", "smes_only",
            "allowed_helices", "allowed_countries", "publication_date", "clarification_deadline",
            "submission_deadline", "evaluation_end", "award_date", "standstill_days",
        ]

    def get_status(self, obj) -> str:
        """The effective status by the server clock (no query)."""
        return obj.effective_status()


class CallDetailSerializer(CallSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    lots = LotSerializer(many=True, read_only=True)
    documents = CallDocumentSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta(CallSerializer.Meta):
        fields = CallSerializer.Meta.fields + [
            "challenge", "eligibility_notes", "cancellation_reason", "criteria", "lots",
            "documents", "amendments",
        ]


class QuestionSerializer(ModelSerializer):
    """Never says who asked."""

    class Meta:
        model = Question
        fields = ["id", "text", "answer", "asked_at", "answered_at"]
        read_only_fields = ["id", "answer", "asked_at", "answered_at"]


class QuestionAskSerializer(Serializer):
    organisation = serializers.SlugField()
    text = serializers.CharField(max_length=4000)


class ApplicationDocumentSerializer(ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ApplicationDocument
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]


class ApplicationSerializer(ModelSerializer):
    call = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lots = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    documents = ApplicationDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "call", "organisation", "status", "answers", "lots", "documents",
            "created_at", "updated_at", "submitted_at", "receipt_sha256", "withdrawn_at",
            "outcome",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(Serializer):
    call = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX)
    organisation = serializers.SlugField()


class ApplicationUpdateSerializer(Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True,
                                                                max_length=20000),
                                    required=False)
    lots = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=32767),
                                 required=False, max_length=100)


class UploadSerializer(Serializer):
    file = serializers.FileField()


class ScoreSerializer(ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "value", "justification"]


class ScoresheetSerializer(ModelSerializer):
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Scoresheet
        fields = ["id", "application", "comment", "scores", "created_at", "submitted_at"]
        read_only_fields = fields


class ScoreInputSerializer(Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX)
    value = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=10)
    justification = serializers.CharField(max_length=5000)


class ScoresheetWriteSerializer(Serializer):
    application = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX)
    scores = ScoreInputSerializer(many=True, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DeclarationSerializer(Serializer):
    application = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX)
    has_conflict = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
