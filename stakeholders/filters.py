import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecosystem.i18n.content import in_any_language as any_language
from ecosystem.models import Theme

from .models import City, Country, Helix, Organisation, OrganisationKind

ANY = _("Any")


class OrganisationFilter(django_filters.FilterSet):
    """The directory's filters, shared by /organisations/ and /api/v1/organisations/."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, description or NUTS code")}),
    )
    helix = django_filters.ChoiceFilter(label=_("Helix"), choices=Helix.choices, empty_label=ANY)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, empty_label=ANY
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, empty_label=ANY
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug",
        queryset=Theme.objects.order_by("name"), empty_label=ANY,
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"), to_field_name="slug", queryset=City.objects.order_by("name"),
        empty_label=ANY,
    )
    verified = django_filters.BooleanFilter(
        label=_("Verification"),
        widget=forms.Select(choices=[
            ("", ANY), ("true", _("Verified only")), ("false", _("Not yet verified")),
        ]),
    )

    class Meta:
        model = Organisation
        fields = ["q", "helix", "kind", "country", "theme", "city", "verified"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | any_language(queryset.model, "description__icontains", value) | Q(nuts_region__iexact=value)
        )
