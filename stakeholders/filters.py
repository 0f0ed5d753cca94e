import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ecosystem.filters import BooleanFilter, FilterSet, ReferenceFilter
from ecosystem.models import Theme
from ecosystem.search.selectors import filter_queryset as search_filter

from .forms import OrganisationChoiceField
from .models import City, Country, Helix, Organisation, OrganisationKind


class OrganisationFilter(FilterSet):
    """The directory's filters, shared by /organisations/ and /api/v1/organisations/."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, description or NUTS code")}),
    )
    helix = django_filters.ChoiceFilter(label=_("Helix"), choices=Helix.choices,
                                   empty_label=_("Any helix"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("Any kind")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, empty_label=_("Any country")
    )
    theme = ReferenceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug",
        queryset=Theme.objects.order_by("name"), empty_label=_("Any theme"),
    )
    city = ReferenceFilter(
        label=_("City"), to_field_name="slug", queryset=City.objects.order_by("name"),
        empty_label=_("Any city"),
    )
    verified = BooleanFilter(
        label=_("Verification"),
        widget=forms.Select(choices=[
            ("", _("Verified or not")), ("true", _("Verified only")), ("false", _("Not yet verified")),
        ]),
    )

    class Meta:
        model = Organisation
        fields = ["q", "helix", "kind", "country", "theme", "city", "verified"]

    def search(self, queryset, name, value):
        """Matches from the portal's search index (accents, typos, stems, every
        language), restricted to this list's rows."""
        return search_filter(queryset, value)


@extend_schema_field(OpenApiTypes.STR)
class OrganisationChoiceFilter(ReferenceFilter):
    """One organisation by slug or exact name, through an autocomplete (``helix=`` narrows the
    suggestions)."""

    field_class = OrganisationChoiceField
