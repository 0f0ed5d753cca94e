import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.i18n.content import in_any_language as any_language
from ecosystem.models import Theme
from stakeholders.models import Helix, Organisation

from .models import Call


class CallFilter(django_filters.FilterSet):
    """Filters of /calls/ and /api/v1/calls/. ``status`` is the effective status by the server
    clock: a published call past its submission deadline is listed as under evaluation."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Call.Status.choices, method="filter_status"
    )
    procedure = django_filters.ChoiceFilter(label=_("Procedure"), choices=Call.Procedure.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug", queryset=Theme.objects.all()
    )
    cpv = django_filters.CharFilter(
        label=_("CPV code (or its first digits)"), method="filter_cpv", max_length=10
    )
    buyer = django_filters.ModelChoiceFilter(
        label=_("Buyer"), to_field_name="slug",
        queryset=Organisation.objects.filter(helix=Helix.PUBLIC).order_by("name"),
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
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(any_language(queryset.model, "title__icontains", value)
                               | any_language(queryset.model, "challenge__icontains", value))

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
