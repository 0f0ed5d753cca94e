"""Filters shared by the web lists, the map and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecosystem.filters import FilterSet, ReferenceFilter
from ecosystem.models import Theme
from ecosystem.search.selectors import filter_queryset as search_filter
from stakeholders.models import City, Helix

from .forms import ProjectChoiceField
from .models import FundingProgramme, Pilot, Programme, Project


class ProjectFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = ReferenceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug",
        queryset=Theme.objects.order_by("name"), empty_label=_("Any theme"),
    )
    programme = django_filters.ChoiceFilter(
        label=_("Funding programme"), field_name="funding_programme",
        choices=FundingProgramme.choices, empty_label=_("Any funding programme"),
    )
    city = ReferenceFilter(
        label=_("City"), field_name="pilots__city", to_field_name="slug",
        queryset=City.objects.order_by("name"), method="in_city", empty_label=_("Any city"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices,
                                         empty_label=_("Any status"))
    helix = django_filters.ChoiceFilter(
        label=_("Has a partner from"), choices=Helix.choices, method="with_helix",
        empty_label=_("Any helix"),
    )

    class Meta:
        model = Project
        fields = ["q", "theme", "programme", "city", "status", "helix"]

    def search(self, queryset, name, value):
        """Matches from the portal's search index (accents, typos, stems, every
        language), restricted to this list's rows."""
        return search_filter(queryset, value)

    def in_city(self, queryset, name, value):
        """Projects with a pilot in the city or a partner based there."""
        return queryset.filter(
            Q(pk__in=Pilot.objects.filter(city=value).values("project_id"))
            | Q(pk__in=Project.objects.filter(partners__organisation__city=value).values("pk"))
        )

    def with_helix(self, queryset, name, value):
        return queryset.filter(
            pk__in=Project.objects.filter(partners__organisation__helix=value).values("pk")
        )


class ProjectChoiceFilter(ReferenceFilter):
    """One project by slug or acronym, through an autocomplete (an unknown one matches
    nothing, as every reference filter)."""

    field_class = ProjectChoiceField


class PilotFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = ReferenceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug",
        queryset=Theme.objects.order_by("name"), method="with_theme", empty_label=_("Any theme"),
    )
    city = ReferenceFilter(
        label=_("City"), to_field_name="slug", queryset=City.objects.order_by("name"),
        empty_label=_("Any city"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Pilot.Status.choices,
                                         empty_label=_("Any status"))
    # An autocomplete: a <select> would render one option per project.
    project = ProjectChoiceFilter(label=_("Project"), to_field_name="slug",
                                  queryset=Project.objects.order_by("acronym"))

    class Meta:
        model = Pilot
        fields = ["q", "theme", "city", "status", "project"]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .permissions import projects_visible_to

        if viewer is None and self.request is not None:
            viewer = self.request.user

        self.filters["project"].queryset = projects_visible_to(viewer).order_by("acronym")

    def search(self, queryset, name, value):
        """Matches from the portal's search index (accents, typos, stems, every
        language), restricted to this list's rows."""
        return search_filter(queryset, value)

    def with_theme(self, queryset, name, value):
        return queryset.filter(pk__in=Pilot.themes.through.objects.filter(theme=value)
                               .values("pilot_id"))


class ProgrammeFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Programme.Status.choices,
                                         empty_label=_("Any status"))
    funding_programme = django_filters.ChoiceFilter(
        label=_("Funding programme"), choices=FundingProgramme.choices,
        empty_label=_("Any funding programme"),
    )

    class Meta:
        model = Programme
        fields = ["status", "funding_programme"]
