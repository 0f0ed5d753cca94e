from django_filters.rest_framework import DjangoFilterBackend


class QueryFilterBackend(DjangoFilterBackend):
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
