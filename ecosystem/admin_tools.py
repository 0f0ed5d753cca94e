"""Admin helpers every app uses: CSV export of the selected rows."""

import csv

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class _Echo:
    def write(self, value):
        return value


def _cell(obj, name, modeladmin=None):
    column = getattr(modeladmin, name, None)
    if callable(column) and not hasattr(obj, name):
        value = column(obj)
    else:
        value = getattr(obj, f"get_{name}_display", None)
        value = value() if callable(value) else getattr(obj, name, "")
        if callable(value):
            value = value()
    text = "" if value is None else str(value)
    # Neutralise spreadsheet formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _header(modeladmin, name):
    if name in {f.name for f in modeladmin.model._meta.get_fields()}:
        return str(modeladmin.model._meta.get_field(name).verbose_name)
    column = getattr(modeladmin, name, None)
    return str(getattr(column, "short_description", name))


def csv_export_action(fields: list[str], *, filename: str | None = None, description=None):
    """An admin action that streams the selected rows as CSV with the given columns (model
    fields, or methods of the ModelAdmin such as a redacted column)."""

    @admin.action(description=description or _("Export selected rows as CSV"))
    def export_csv(modeladmin, request, queryset):
        writer = csv.writer(_Echo())
        header = [_header(modeladmin, name) for name in fields]

        def rows():
            yield writer.writerow(header)
            for obj in queryset.iterator(chunk_size=2000):
                yield writer.writerow([_cell(obj, name, modeladmin) for name in fields])

        name = filename or modeladmin.model._meta.model_name
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{timezone.now():%Y%m%d-%H%M}.csv"'
        )
        return response

    return export_csv


class SealedRecordsAdminMixin:
    """An admin of records that can point at a sealed object (``ecosystem.sealing``): lists,
    search, autocomplete, detail pages and CSV exports (all built on ``get_queryset``) leave
    out what the viewer may not see now. ``sealing_path`` leads from the row to the record
    holding ``target_type``/``target_id``; ``sealing_kind_field`` names its kind or action."""

    sealing_path = ""
    sealing_kind_field: str | None = None

    def get_queryset(self, request):
        from . import sealing

        return sealing.records_visible_to(super().get_queryset(request), request.user,
                                          path=self.sealing_path,
                                          kind_field=self.sealing_kind_field)


class ReadOnlyAdminMixin:
    """Evidence and history: staff read (and export) it, nobody adds, edits or deletes it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
