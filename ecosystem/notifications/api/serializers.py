from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from ecosystem.api.serializers import ModelSerializer, Serializer

from ..models import Notification
from ..registry import Frequency, configurable_kinds


class NotificationSerializer(ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class UnreadCountSerializer(Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(read_only=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    default_frequency = serializers.CharField(read_only=True)


class PreferencesField(serializers.DictField):
    """Kind key to frequency; the keys are the kinds a person may set (registered by the apps,
    so the schema lists them when it is generated)."""


class PreferencesFieldSchema(OpenApiSerializerFieldExtension):
    target_class = PreferencesField

    def map_serializer_field(self, auto_schema, direction):
        frequency = {"type": "string", "enum": list(Frequency.values)}
        return {"type": "object", "additionalProperties": False,
                "properties": {kind.key: frequency for kind in configurable_kinds()},
                "description": "Kind key to frequency, e.g. {\"events.new_event\": \"weekly\"}."}


class PreferencesUpdateSerializer(Serializer):
    preferences = PreferencesField(
        child=serializers.ChoiceField(choices=Frequency.choices),
        help_text="Kind key to frequency, e.g. {\"events.new_event\": \"weekly\"}.",
    )
