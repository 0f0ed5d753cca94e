from django.conf import settings
from rest_framework import serializers

from ecosystem.api.serializers import ModelSerializer, Serializer
from ecosystem.matching.api.serializers import ReasonSerializer
from stakeholders.models import Organisation

from ..models import Event, MeetingRequest, Registration


class EventSerializer(ModelSerializer):
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organisers = serializers.SerializerMethodField()
    places_left = serializers.SerializerMethodField()
    registration_state = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "slug", "url", "ics_url", "title", "summary", "description", "kind", "mode",
            "language", "venue_name", "street_address", "postal_code", "city", "latitude",
            "longitude", "starts_at", "ends_at", "time_zone", "organisers", "themes",
            "capacity", "places_left", "registration_required", "registration_opens_at",
            "registration_closes_at", "registration_state", "status", "status_reason",
            "matchmaking", "sequence", "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    def get_ics_url(self, obj) -> str:
        return f"{settings.SITE_URL}/events/{obj.slug}.ics"

    def get_organisers(self, obj) -> list[dict]:
        return [{"slug": o.slug, "name": o.name} for o in obj.organisers.all()]

    def get_places_left(self, obj) -> int | None:
        if obj.capacity is None:
            return None
        return max(obj.capacity - getattr(obj, "places_taken", 0), 0)

    def get_registration_state(self, obj) -> str:
        return obj.registration_state()


class RegistrationSerializer(ModelSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    online_url = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "event", "event_title", "organisation", "code", "status",
                  "queue_number", "created_at", "promoted_at", "cancelled_at", "checked_in_at",
                  "online_url"]
        read_only_fields = fields

    def get_online_url(self, obj) -> str:
        """Only for people holding a place."""
        return obj.event.online_url if obj.holds_place and obj.event.is_online else ""


class RegisterInputSerializer(Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True)


class MeetingRequestSerializer(ModelSerializer):
    slot_starts_at = serializers.SerializerMethodField()
    slot_ends_at = serializers.SerializerMethodField()
    table = serializers.SerializerMethodField()

    class Meta:
        model = MeetingRequest
        fields = ["id", "event", "requester", "recipient", "profile", "message", "status",
                  "created_at", "responded_at", "slot_starts_at", "slot_ends_at", "table"]
        read_only_fields = ["id", "requester", "status", "created_at", "responded_at"]

    def _meeting(self, obj):
        meeting = getattr(obj, "meeting", None)
        return meeting if meeting is not None and meeting.published and meeting.slot else None

    def get_slot_starts_at(self, obj) -> str | None:
        meeting = self._meeting(obj)
        return meeting.slot.starts_at.isoformat() if meeting else None

    def get_slot_ends_at(self, obj) -> str | None:
        meeting = self._meeting(obj)
        return meeting.slot.ends_at.isoformat() if meeting else None

    def get_table(self, obj) -> int | None:
        meeting = self._meeting(obj)
        return meeting.table if meeting else None


class PersonToMeetSerializer(Serializer):
    """A participant suggested to meet: name and organisation as the marketplace shows them,
    never an e-mail address."""

    user_id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    profile_id = serializers.IntegerField(help_text="Their cooperation profile: POST a meeting "
                                          "request about it to /api/v1/meeting-requests/.")
    score = serializers.FloatField(min_value=0, max_value=1)
    reasons = ReasonSerializer(many=True)
