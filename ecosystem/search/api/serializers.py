from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from ecosystem.api.serializers import ModelSerializer, QuerySerializer, Serializer

from ..models import SavedSearch
from ..registry import all_kinds


def kind_choices():
    return [(kind.key, str(kind.label)) for kind in all_kinds()]


class SearchQuerySerializer(QuerySerializer):
    q = serializers.CharField(max_length=200, help_text="What to search for (accents, case and "
                              "small typos do not matter).")
    kind = serializers.ChoiceField(choices=(), required=False, allow_blank=True)
    theme = serializers.SlugField(required=False, allow_blank=True, help_text="theme slug")
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2,
                                    help_text="ISO 3166 code, e.g. HR")
    helix = serializers.CharField(required=False, allow_blank=True, max_length=10)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
    page = serializers.IntegerField(required=False, min_value=1, max_value=50, default=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()


class SuggestionQuerySerializer(QuerySerializer):
    q = serializers.CharField(max_length=200, help_text="What has been typed so far.")


class HitSerializer(Serializer):
    kind = serializers.ChoiceField(choices=(), help_text="searchable kind")
    kind_label = serializers.CharField()
    object_id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="the page of the item, relative to the site")
    title_html = serializers.CharField(help_text="the title, HTML-escaped, matched words "
                                       "in <mark>")
    snippet_html = serializers.CharField(help_text="part of the text around the first match, "
                                         "HTML-escaped, matched words in <mark>")
    city = serializers.CharField()
    country = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    rank = serializers.FloatField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()


class FacetValueSerializer(Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(Serializer):
    kind = FacetValueSerializer(many=True)
    theme = FacetValueSerializer(many=True)
    city = FacetValueSerializer(many=True)
    country = FacetValueSerializer(many=True)
    helix = FacetValueSerializer(many=True)
    year = FacetValueSerializer(many=True)


class SearchResultSerializer(Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField(source="total")
    count_capped = serializers.BooleanField(
        source="capped", help_text="more than `count` matched: the search read the first `count` "
        "matches, ranked the pages among them and counted the facets over them")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    corrections = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                        help_text="query words that matched nothing -> the "
                                        "similar words searched instead")
    results = HitSerializer(many=True, source="hits")
    facets = FacetsSerializer()

    # The search answers in tens of milliseconds, and walking these nested fields for 20 hits
    # and up to a hundred facet values took a tenth of it. This writes the very same dict
    # (tests/search/test_views.py checks it against the generic representation); it falls
    # back to that when the fields change or dates are not ISO 8601.
    _FAST_FIELDS = ("query", "count", "count_capped", "page", "pages", "corrections", "results",
                    "facets")

    def to_representation(self, instance):
        if (tuple(self.fields) != self._FAST_FIELDS
                or str(api_settings.DATE_FORMAT).lower() != ISO_8601):
            return super().to_representation(instance)
        return {
            "query": str(instance.query), "count": int(instance.total),
            "count_capped": bool(instance.capped), "page": int(instance.page),
            "pages": int(instance.pages),
            "corrections": {str(word): [str(fix) for fix in fixes]
                            for word, fixes in instance.corrections.items()},
            "results": [{
                "kind": hit.kind, "kind_label": str(hit.kind_label),
                "object_id": int(hit.object_id), "title": str(hit.title), "url": str(hit.url),
                "title_html": str(hit.title_html), "snippet_html": str(hit.snippet_html),
                "city": str(hit.city), "country": str(hit.country),
                "date": hit.date.isoformat() if hit.date else None, "rank": float(hit.rank),
            } for hit in instance.hits],
            "facets": {name: [{"value": str(value.value), "label": str(value.label),
                               "count": int(value.count), "selected": bool(value.selected)}
                              for value in instance.facets[name]]
                       for name in FacetsSerializer._declared_fields},
        }


class SuggestionSerializer(Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()


class SuggestionsSerializer(Serializer):
    query = serializers.CharField()
    results = SuggestionSerializer(many=True)


def saveable_paths() -> list[str]:
    """The pages a search can be saved from: the search page and every registered list."""
    return [reverse("search:page")] + [
        reverse(kind.list_url_name) for kind in all_kinds()
        if kind.list_url_name and kind.list_filter is not None]


class SaveablePathField(serializers.CharField):
    """The page a saved search belongs to (the server also accepts it with its query)."""


class SaveablePathFieldSchema(OpenApiSerializerFieldExtension):
    target_class = SaveablePathField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": saveable_paths(),
                "description": "/search/ for a global search, or the path of a list such as "
                               "/calls/"}


class SavedSearchSerializer(ModelSerializer):
    path = SaveablePathField(max_length=200, help_text="/search/ for a global search, or the "
                             "path of a list such as /calls/")

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "path", "query_string", "frequency", "created_at", "last_run_at"]
        read_only_fields = ["id", "created_at", "last_run_at"]
        extra_kwargs = {
            "query_string": {"help_text": "the list's filters, e.g. q=energy&theme=mobility",
                             "required": False},
        }


class SavedSearchUpdateSerializer(Serializer):
    name = serializers.CharField(max_length=120, required=False)
    frequency = serializers.ChoiceField(choices=SavedSearch.Frequency.choices, required=False)


# The API's one error format, one schema component for every operation.
from ecosystem.api.schema import ErrorSerializer  # noqa: E402, F401
