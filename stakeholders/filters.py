import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme

from .models import City, Country, Helix, Organisation, OrganisationKind


class OrganisationFilter(django_filters.FilterSet):
    """The directory's filters, shared by /organisations/ and /api/v1/organisations/."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    helix = django_filters.ChoiceFilter(label=_("Helix"), choices=Helix.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=Country.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug", queryset=Theme.objects.all()
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"), to_field_name="slug", queryset=City.objects.all()
    )
    verified = django_filters.BooleanFilter(label=_("Verified only"))

    class Meta:
        model = Organisation
        fields = ["q", "helix", "kind", "country", "theme", "city", "verified"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(nuts_region__iexact=value)
        )
