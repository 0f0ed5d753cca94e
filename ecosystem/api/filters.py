from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import get_view_model
from rest_framework import filters

from ecosystem.errors import InvalidInput
from ecosystem.filters import FilterSet


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose FilterSets built from ``filterset_fields`` have the platform's
    base (``ecosystem.filters.FilterSet``), as the declared ones do."""

    filterset_base = FilterSet


class QueryFilterBackend(FilterBackend):
    """DjangoFilterBackend that builds the FilterSet only when the request names one of its
    filters. Building the FilterSet's form deep-copies every field and its choices, which is
    the largest cost of a plain list request. Only for FilterSets whose filters do nothing
    when absent (no default values)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = filterset_class.base_filters.keys()
        if not any(name in request.query_params for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=`` that names its choices in the schema and answers 400 for any other value
    (DRF's own ignores an unknown field silently)."""

    def get_valid_fields(self, queryset, view, context=None):
        """Only what the database can order by: DRF's default offers every serializer field,
        computed ones too, which would fail in the query."""
        meta = queryset.model._meta
        valid = []
        for name, label in super().get_valid_fields(queryset, view, context or {}):
            try:
                field = meta.get_field(name.split("__")[0])
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many:
                valid.append((name, label))
        return valid

    def choices(self, view) -> list[str]:
        model = get_view_model(view)
        if model is None:
            return []
        fields = [name for name, _label in self.get_valid_fields(
            model._default_manager.none(), view, {"request": None})]
        return [value for name in fields for value in (name, f"-{name}")]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw:  # empty means the default order
            allowed = {name for name, _label in self.get_valid_fields(
                queryset, view, {"request": request})}
            terms = [term.strip() for term in raw.split(",")]
            wrong = [term for term in terms if term.lstrip("-") not in allowed]
            if wrong or not all(terms):
                raise InvalidInput(
                    _("You cannot order this list by %(terms)s.") % {"terms": raw},
                    code="invalid_ordering",
                    fields={self.ordering_param: [_("One of: %(choices)s.") % {
                        "choices": ", ".join(sorted(allowed))}]})
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": self.choices(view)}
            parameter["description"] = "Order by this field; a leading - reverses it."
        return parameters
