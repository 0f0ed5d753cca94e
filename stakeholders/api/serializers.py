from rest_framework import serializers

from ecosystem.models import Theme

from ..models import City, Competence, Membership, Organisation


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "slug", "group", "description"]


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = [
            "id", "name", "slug", "country", "nuts_region", "population", "is_mentor",
            "latitude", "longitude",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
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
        extra_kwargs = {"helix": {"required": False}}

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class OrganisationBriefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "helix", "kind", "verified", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class MyMembershipSerializer(serializers.ModelSerializer):
    """One of the signed-in person's memberships; only ``is_public`` can be changed."""

    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role", "is_public", "created_at"]
        read_only_fields = ["id", "organisation", "role", "created_at"]
