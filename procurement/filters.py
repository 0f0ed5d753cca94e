import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.filters import FilterSet, ReferenceFilter
from ecosystem.models import Theme
from ecosystem.search.selectors import filter_queryset as search_filter
from stakeholders.filters import OrganisationChoiceFilter
from stakeholders.models import Helix, Organisation

from .models import Call


class CallFilter(FilterSet):
    """Filters of /calls/ and /api/v1/calls/. ``status`` is the effective status by the server
    clock: a published call past its submission deadline is listed as under evaluation."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    # Drafts are never listed publicly, so the filter does not offer them.
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=[(value, label) for value, label in Call.Status.choices
                 if value != Call.Status.DRAFT],
        empty_label=_("Any status"),
    )
    procedure = django_filters.ChoiceFilter(label=_("Procedure"), choices=Call.Procedure.choices,
                                            empty_label=_("Any procedure"))
    theme = ReferenceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug", queryset=Theme.objects.all(),
        empty_label=_("Any theme"),
    )
    cpv = django_filters.CharFilter(
        label=_("CPV code (or its first digits)"), method="filter_cpv", max_length=10
    )
    buyer = OrganisationChoiceFilter(
        label=_("Buyer"), helix=Helix.PUBLIC,
        queryset=Organisation.objects.filter(helix=Helix.PUBLIC).order_by("name"),
        empty_label=_("Any buyer"),
    )
    deadline_after = django_filters.DateFilter(
        label=_("Deadline from"), field_name="submission_deadline", lookup_expr="date__gte"
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline until"), field_name="submission_deadline", lookup_expr="date__lte"
    )

    class Meta:
        model = Call
        fields = ["q", "status", "procedure", "theme", "cpv", "buyer", "deadline_after",
                  "deadline_before"]

    def search(self, queryset, name, value):
        """Matches from the portal's search index (accents, typos, stems, every
        language), restricted to this list's rows."""
        return search_filter(queryset, value)

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        past = Q(submission_deadline__lte=now)
        if value == Call.Status.PUBLISHED:
            return queryset.filter(Q(status=value) & ~past)
        if value == Call.Status.EVALUATION:
            return queryset.filter(Q(status=value) | (Q(status=Call.Status.PUBLISHED) & past))
        return queryset.filter(status=value)

    def filter_cpv(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit() or ch == "-")[:10]
        if not digits:
            return queryset
        # cpv_codes is a JSON list of strings: match a code that starts with the digits.
        return queryset.filter(cpv_codes__icontains=f'"{digits}')
