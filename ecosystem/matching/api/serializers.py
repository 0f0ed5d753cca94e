from rest_framework import serializers

from ecosystem.api.serializers import Serializer

KIND_VALUES = ["call", "event", "partner", "offer", "project"]
KIND_CHOICES = [(value, value) for value in KIND_VALUES]
REASON_CODES = ["themes", "cpv", "text", "offers", "city", "region", "country", "behaviour",
                "helix_missing", "helix_new", "helix_other", "seeks_helix"]


# The API's one error format, one schema component for every operation.
from ecosystem.api.schema import ErrorSerializer  # noqa: E402, F401


class ReasonSerializer(Serializer):
    code = serializers.ChoiceField(choices=REASON_CODES)
    signal = serializers.CharField(help_text="The signal that scored and produced this reason.")
    params = serializers.DictField(help_text="The data of the reason (theme names, city, ...).")
    text = serializers.CharField(help_text="The reason in plain words, in your language.")


class TargetSerializer(Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)


class RecommendationSerializer(Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    kind_label = serializers.CharField()
    score = serializers.FloatField(min_value=0, max_value=1)
    organisation_id = serializers.IntegerField(
        allow_null=True,
        help_text="The organisation (one of yours) it is recommended to; null: recommended "
                  "to you yourself, as you act for no organisation (upcoming events).")
    target = TargetSerializer()
    reasons = ReasonSerializer(many=True)


class NotInterestedSerializer(Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    target_id = serializers.IntegerField(min_value=1)
    organisation_id = serializers.IntegerField(
        required=False, help_text="One of your organisations; default: your first, or you "
                                  "yourself if you act for no organisation.")


def reasons_out(reasons, texts=None) -> list[dict]:
    from ..reasons import render

    return [{"code": r.get("code", ""), "signal": r.get("signal", ""),
             "params": r.get("params", {}), "text": r["text"] if "text" in r else render(r)}
            for r in reasons or []]


def shown_out(item) -> dict:
    return {
        "kind": item.kind, "kind_label": item.kind_label, "score": item.score,
        "organisation_id": item.organisation_id,
        "target": {"id": item.target_id, "title": item.title, "url": item.url,
                   "detail": item.detail},
        "reasons": reasons_out(item.reasons),
    }
