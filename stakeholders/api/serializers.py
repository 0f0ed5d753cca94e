from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from ecosystem.api.serializers import ModelSerializer
from ecosystem.models import Theme

from ..models import City, Competence, Membership, Organisation


class ThemeSerializer(ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "slug", "group", "description"]


class CitySerializer(ModelSerializer):
    class Meta:
        model = City
        fields = [
            "id", "name", "slug", "country", "nuts_region", "population", "is_mentor",
            "latitude", "longitude",
        ]


_DATETIME = serializers.DateTimeField(read_only=True)
_UNSET = object()


def _iso_datetime(value, zone):
    """``DateTimeField().to_representation(value)`` (ISO 8601, the default format) for an
    aware datetime, with the time zone given; anything else goes through DRF itself."""
    if (not value or zone is None or value.tzinfo is None
            or api_settings.DATETIME_FORMAT.lower() != ISO_8601):
        return _DATETIME.to_representation(value)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class OrganisationSerializer(ModelSerializer):
    """Read and write shape of an organisation. Writes go through the services."""

    themes = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Theme.objects.all(), required=False
    )
    competences = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Competence.objects.all(), required=False
    )
    city = serializers.SlugRelatedField(
        slug_field="slug", queryset=City.objects.all(), required=False, allow_null=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id", "slug", "url", "name", "helix", "kind", "country", "nuts_region", "city",
            "website", "description", "logo", "size", "employees", "themes", "competences", "verified",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "slug", "verified", "created_at", "updated_at"]
        extra_kwargs = {"helix": {"required": False}, "logo": {"help_text": _(
            "A PNG, JPEG, WebP or GIF image under 2 MB, checked by its content (multipart).")}}

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    # Reading is the hot path (the directory API): the generic ModelSerializer builds its
    # fields on every request and walks them per row, which costs more than the queries.
    # This writes the very same dict directly; tests/stakeholders/test_queries.py checks
    # it equals super().to_representation(), and it falls back to that if Meta.fields changes.
    _FAST_FIELDS = (
        "id", "slug", "url", "name", "helix", "kind", "country", "nuts_region", "city",
        "website", "description", "logo", "size", "employees", "themes", "competences",
        "verified", "created_at", "updated_at",
    )

    def to_representation(self, instance):
        if tuple(self.Meta.fields) != self._FAST_FIELDS:
            return super().to_representation(instance)
        url_template = self.__dict__.get("_url_template")
        if url_template is None:
            url_template = self._url_template = reverse(
                "stakeholders:organisation-detail", kwargs={"slug": "__slug__"}
            )
        slug = instance.slug
        request = self.context.get("request")
        logo = instance.logo
        if logo:
            logo = request.build_absolute_uri(logo.url) if request is not None else logo.url
        else:
            logo = None
        theme_slugs = getattr(instance, "theme_slugs", None)
        competence_slugs = getattr(instance, "competence_slugs", None)
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        themes = prefetched.get("themes")
        competences = prefetched.get("competences")
        # DateTimeField.to_representation looks the current time zone up twice per row
        # (a context-local read each); the zone cannot change during the page.
        zone = self.__dict__.get("_zone", _UNSET)
        if zone is _UNSET:
            zone = self._zone = _DATETIME.default_timezone()
        city = getattr(instance, "city_slug", _UNSET)
        if city is _UNSET:
            city = instance.city.slug if instance.city_id is not None else None
        return {
            "id": instance.pk,
            "slug": slug,
            "url": (url_template.replace("__slug__", slug) if slug.isascii()
                    else instance.get_absolute_url()),
            "name": instance.name,
            "helix": instance.helix,
            "kind": instance.kind,
            "country": instance.country,
            "nuts_region": instance.nuts_region,
            "city": city,
            "website": instance.website,
            "description": instance.description,
            "logo": logo,
            "size": instance.size,
            "employees": instance.employees,
            "themes": theme_slugs if theme_slugs is not None else [
                theme.slug for theme in (themes if themes is not None else instance.themes.all())
            ],
            "competences": competence_slugs if competence_slugs is not None else [
                competence.slug for competence in
                (competences if competences is not None else instance.competences.all())
            ],
            "verified": instance.verified,
            "created_at": _iso_datetime(instance.created_at, zone),
            "updated_at": _iso_datetime(instance.updated_at, zone),
        }


class OrganisationBriefSerializer(ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "helix", "kind", "verified", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class MyMembershipSerializer(ModelSerializer):
    """One of the signed-in person's memberships; only ``is_public`` can be changed."""

    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role", "is_public", "created_at"]
        read_only_fields = ["id", "organisation", "role", "created_at"]
