import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.filters import FilterSet, ReferenceFilter
from ecosystem.models import Theme
from ecosystem.search.selectors import filter_queryset as search_filter
from stakeholders.models import City

from .models import CooperationProfile, Event


class EventFilter(FilterSet):
    """The list's filters, shared by /events/, /events/feed.ics and /api/v1/events/."""

    WHEN = (("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All")))

    q = django_filters.CharFilter(label=_("Search"), method="search")
    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN, method="filter_when",
                                       empty_label=_("Upcoming"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices,
                                       empty_label=_("Any kind"))
    mode = django_filters.ChoiceFilter(label=_("Attendance"), choices=Event.Mode.choices,
                                       empty_label=_("In person or online"))
    theme = ReferenceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug",
        queryset=Theme.objects.order_by("name"), method="filter_theme", empty_label=_("Any theme"))
    city = ReferenceFilter(label=_("City"), to_field_name="slug",
                                            queryset=City.objects.order_by("name"),
                                            empty_label=_("Any city"))
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(
        label=_("Until"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Event
        fields = ["q", "when", "kind", "mode", "theme", "city", "date_from", "date_to"]

    def __init__(self, data=None, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)

    @property
    def qs(self):
        queryset = super().qs
        # No "when" given means upcoming, unless a date range is asked for.
        data = self.form.cleaned_data if self.form.is_bound and self.is_valid() else {}
        if not data.get("when") and not data.get("date_from") and not data.get("date_to"):
            queryset = queryset.filter(ends_at__gte=self.now)
        return queryset

    def search(self, queryset, name, value):
        """Matches from the portal's search index (accents, typos, stems, every
        language), restricted to this list's rows."""
        return search_filter(queryset, value)

    def filter_when(self, queryset, name, value):
        if value == "past":
            return queryset.filter(ends_at__lt=self.now).order_by("-starts_at", "-id")
        if value == "upcoming":
            return queryset.filter(ends_at__gte=self.now)
        return queryset

    def filter_theme(self, queryset, name, value):
        return queryset.filter(pk__in=Event.objects.filter(themes=value).values("pk"))

    def filter_from(self, queryset, name, value):
        return queryset.filter(ends_at__date__gte=value)

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__date__lte=value)


class ProfileFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    direction = django_filters.ChoiceFilter(label=_("Offer or request"),
                                            choices=CooperationProfile.Direction.choices,
                                            empty_label=_("Both"))
    type = django_filters.ChoiceFilter(label=_("Type"), choices=CooperationProfile.Type.choices,
                                       empty_label=_("Any type"))
    theme = ReferenceFilter(
        label=_("Theme"), to_field_name="slug", queryset=Theme.objects.order_by("name"),
        method="filter_theme", empty_label=_("Any theme"))

    class Meta:
        model = CooperationProfile
        fields = ["q", "direction", "type", "theme"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(organisation__name__icontains=value))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(
            pk__in=CooperationProfile.objects.filter(themes=value).values("pk"))
