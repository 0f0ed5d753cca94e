from rest_framework import serializers

from ..models import Notification
from ..registry import Frequency


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(read_only=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    default_frequency = serializers.CharField(read_only=True)


class PreferencesUpdateSerializer(serializers.Serializer):
    preferences = serializers.DictField(
        child=serializers.ChoiceField(choices=Frequency.choices),
        help_text="Kind key to frequency, e.g. {\"events.new_event\": \"weekly\"}.",
    )
