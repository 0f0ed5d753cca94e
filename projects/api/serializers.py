"""Shapes of projects, pilots and programmes in the API. Reads only use prefetched data or
annotations (no per-row queries); writes are validated here and done by the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecosystem.api.serializers import ModelSerializer, Serializer
from ecosystem.models import Theme
from stakeholders.models import City, Helix, Organisation

from .. import selectors
from ..models import (
    COMMENT_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    Action,
    ExpectedResult,
    Feedback,
    Indicator,
    Measurement,
    Mentorship,
    Phase,
    PhaseKind,
    Pilot,
    PilotIndicator,
    PilotUpdate,
    Programme,
    ProgrammeCity,
    Project,
    ProjectPartner,
    Roadmap,
    RoadmapComment,
)


def _themes(**kwargs):
    return serializers.SlugRelatedField(many=True, slug_field="slug",
                                        queryset=Theme.objects.all(), required=False, **kwargs)


# --------------------------------------------------------------------------- projects


class PartnerSerializer(ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    helix = serializers.CharField(source="organisation.helix", read_only=True)
    country = serializers.CharField(source="organisation.country", read_only=True)

    class Meta:
        model = ProjectPartner
        fields = ["organisation", "name", "helix", "country", "role"]


class ResultSerializer(ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExpectedResult
        fields = ["id", "kind", "title", "description", "unit", "target", "achieved", "percent",
                  "progress_note", "updated_at"]


@extend_schema_field({
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "helices": {"type": "object", "additionalProperties": {
            "type": "object",
            "properties": {"count": {"type": "integer"}, "percent": {"type": "integer"}}}},
        "missing": {"type": "array", "items": {"type": "string"}},
    },
})
class HelixBalanceField(serializers.Field):
    """From the ``helix_<name>`` annotations of ``selectors.project_list``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, project):
        balance = selectors.helix_balance_from_counts(
            {helix: getattr(project, f"helix_{helix}", 0) for helix in selectors.HELICES}
        )
        return {
            "total": balance.total,
            "helices": {share.helix: {"count": share.count, "percent": share.percent}
                        for share in balance.shares},
            "missing": [share.helix for share in balance.missing],
        }


class ProjectSerializer(ModelSerializer):
    themes = _themes()
    partners = PartnerSerializer(many=True, read_only=True)
    results = ResultSerializer(many=True, read_only=True)
    helix_balance = HelixBalanceField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    coordinator = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), write_only=True
    )
    partner_helices_wanted = serializers.ListField(
        child=serializers.ChoiceField(choices=Helix.choices), required=False, max_length=4,
        help_text="The helices the call for partners reaches; empty: any helix.")
    looks_for_partners = serializers.BooleanField(
        read_only=True, help_text="Ongoing, a call for partners written and not closed.")

    class Meta:
        model = Project
        fields = ["id", "slug", "url", "acronym", "title", "summary", "funding_programme",
                  "start_date", "end_date", "budget", "eu_funding", "website", "themes", "status",
                  "partners", "helix_balance", "results", "looks_for_partners",
                  "partners_wanted", "partner_helices_wanted", "partners_wanted_until",
                  "coordinator", "created_at", "updated_at"]
        read_only_fields = ["id", "slug", "status", "created_at", "updated_at"]


class ProjectUpdateSerializer(ProjectSerializer):
    class Meta(ProjectSerializer.Meta):
        fields = [name for name in ProjectSerializer.Meta.fields if name != "coordinator"]


class ProjectStatusSerializer(Serializer):
    status = serializers.ChoiceField(choices=Project.Status.choices)


class ProgressSerializer(Serializer):
    achieved = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --------------------------------------------------------------------------- pilots


class PilotIndicatorSerializer(ModelSerializer):
    class Meta:
        model = PilotIndicator
        fields = ["id", "name", "unit", "baseline", "target", "value", "updated_at"]


class PilotSerializer(ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", queryset=City.objects.all())
    project = serializers.SlugRelatedField(
        slug_field="slug", queryset=Project.objects.all(), required=False, allow_null=True
    )
    themes = _themes()
    indicators = PilotIndicatorSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90,
                                        max_value=90, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180,
                                         max_value=180, required=False, allow_null=True)
    call = serializers.SerializerMethodField()

    class Meta:
        model = Pilot
        fields = ["id", "slug", "url", "title", "summary", "what_is_tested", "results", "status",
                  "start_date", "end_date", "address", "latitude", "longitude", "city",
                  "project", "call", "themes", "indicators", "created_at", "updated_at"]
        read_only_fields = ["id", "slug", "created_at", "updated_at"]


    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "slug": {"type": "string"}, "ocid": {"type": "string"}, "url": {"type": "string"}}})
    def get_call(self, obj):
        """The procurement call the pilot came from, once that call is public."""
        call = obj.call
        if call is None or call.status not in call.PUBLIC_STATES:
            return None
        return {"slug": call.slug, "ocid": call.ocid, "url": call.get_absolute_url()}


class PilotUpdateSerializer(ModelSerializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)

    class Meta:
        model = PilotUpdate
        fields = ["id", "title", "body", "created_at"]
        read_only_fields = ["id", "created_at"]


class FeedbackSerializer(ModelSerializer):
    body = serializers.CharField(max_length=FEEDBACK_MAX_LENGTH, trim_whitespace=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90,
                                        max_value=90, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180,
                                         max_value=180, required=False, allow_null=True)
    author = serializers.SerializerMethodField()
    pilot = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "pilot", "kind", "body", "latitude", "longitude", "status",
                  "rejection_reason", "author", "created_at"]
        read_only_fields = ["id", "pilot", "status", "rejection_reason", "author", "created_at"]

    def get_author(self, obj) -> str:
        return obj.author.get_short_name() if obj.author_id else ""


class RejectSerializer(Serializer):
    reason = serializers.CharField(max_length=500)


# --------------------------------------------------------------------------- programmes


class PhaseSerializer(ModelSerializer):
    label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Phase
        fields = ["kind", "label", "start_date", "end_date", "description"]


class CohortSerializer(ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="city.name", read_only=True)
    country = serializers.CharField(source="city.country", read_only=True)

    class Meta:
        model = ProgrammeCity
        fields = ["city", "name", "country", "role", "stage"]


class ProgrammeSerializer(ModelSerializer):
    themes = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    cohort = CohortSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "slug", "url", "name", "acronym", "summary", "funding_programme",
                  "start_date", "end_date", "website", "status", "themes", "phases", "cohort"]


class MentorshipSerializer(ModelSerializer):
    mentor_city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    participants = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Mentorship
        fields = ["mentor_city", "participants", "contacts", "note"]

    def get_contacts(self, obj) -> list[str]:
        return [user.get_full_name() for user in obj.contacts.all()]


class ActionSerializer(ModelSerializer):
    themes = _themes()

    class Meta:
        model = Action
        fields = ["id", "title", "description", "owner", "themes", "status", "due_date",
                  "position", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class MeasurementSerializer(ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["date", "value", "note"]


class IndicatorSerializer(ModelSerializer):
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "baseline", "baseline_date", "target", "target_date",
                  "direction", "measurements"]


class RoadmapSummarySerializer(ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="city.name", read_only=True)
    actions = serializers.IntegerField(source="action_count", read_only=True)
    actions_done = serializers.IntegerField(source="done_count", read_only=True)
    indicators = serializers.IntegerField(source="indicator_count", read_only=True)

    class Meta:
        model = Roadmap
        fields = ["city", "name", "actions", "actions_done", "indicators", "updated_at"]


class RoadmapSerializer(ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actions = ActionSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    stage = serializers.SerializerMethodField()

    class Meta:
        model = Roadmap
        fields = ["programme", "city", "vision", "stage", "actions", "indicators", "updated_at"]

    def get_stage(self, obj) -> str:
        return self.context.get("stage", "")


class RoadmapUpdateSerializer(Serializer):
    vision = serializers.CharField(max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True)
    stage = serializers.ChoiceField(choices=PhaseKind.choices, required=False)


class MeasurementWriteSerializer(Serializer):
    indicator = serializers.SlugField()
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=3)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CommentSerializer(ModelSerializer):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
    author = serializers.SerializerMethodField()

    class Meta:
        model = RoadmapComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]

    def get_author(self, obj) -> str:
        return obj.author.get_full_name() if obj.author_id else ""


class ComparisonSerializer(ModelSerializer):
    city = serializers.CharField(source="roadmap.city.slug")
    city_name = serializers.CharField()
    latest_value = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    latest_date = serializers.DateField(allow_null=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["city", "city_name", "code", "name", "unit", "baseline", "target", "direction",
                  "latest_value", "latest_date", "progress"]

    def get_progress(self, obj) -> int | None:
        return selectors.indicator_progress(obj, obj.latest_value)
