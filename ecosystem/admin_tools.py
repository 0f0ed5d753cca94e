"""Admin helpers every app uses: CSV export of the selected rows, the form defaults."""

import csv

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
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
    holding ``target_type``/``target_id``; ``sealing_kind_field`` names its kind or action
    (``sealing_kind`` gives it for a model that has none: every follow is a "follow")."""

    sealing_path = ""
    sealing_kind_field: str | None = None
    sealing_kind: str | None = None  # the kind of every row, for a model without a kind field

    def get_queryset(self, request):
        from . import sealing

        return sealing.records_visible_to(super().get_queryset(request), request.user,
                                          path=self.sealing_path,
                                          kind_field=self.sealing_kind_field,
                                          kind=self.sealing_kind)


class ReadOnlyAdminMixin:
    """Evidence and history: staff read (and export) it, nobody adds, edits or deletes it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The browser's own date and time pickers: one labelled input each (the admin's split
# date/time inputs have no labels of their own and need inline styles).
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AUTO_DATE_FIELDS = ("created_at", "uploaded_at", "asked_at", "recorded_at", "assigned_at",
                    "declared_at", "decided_at")


class StaffFormDefaults:
    """What every admin form gets, so no form asks staff for what the portal knows:

    - "created"-type dates (``created_at`` with ``default=timezone.now``) are set, not asked;
    - a ``slug`` is prepopulated from the title (or name) unless the admin says otherwise;
    - a ``time_zone`` text field becomes a choice of the IANA zones, Europe's first;
    - a ``latitude``/``longitude`` pair gets a map to click on (the number inputs stay);
    - web addresses typed without a scheme are https;
    - dates and times use the browser's pickers, many-to-many choices are checkboxes (the
      admin's split inputs and two-box selector fail the accessibility audit and the CSP).

    The staff admin site (``ecosystem.admin_site``) mixes this into every registered admin.
    """

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        names = {field.name: field for field in self.model._meta.fields}
        for name in AUTO_DATE_FIELDS:
            field = names.get(name)
            if field is not None and field.has_default() and name not in readonly:
                readonly.append(name)
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        prepopulated = dict(super().get_prepopulated_fields(request, obj))
        if "slug" in prepopulated or obj is not None:
            return prepopulated
        shown = set(flatten_fieldsets(self.get_fieldsets(request, obj)))
        shown -= set(self.get_readonly_fields(request, obj))
        source = next((name for name in ("title", "name") if name in shown), None)
        if "slug" in shown and source:
            prepopulated["slug"] = [source]
        return prepopulated

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from .fields import TimeZoneField

        if db_field.name == "time_zone" and not db_field.choices:
            return TimeZoneField(label=capfirst(db_field.verbose_name),
                                 required=not db_field.blank, initial=db_field.get_default(),
                                 help_text=db_field.help_text)
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        if isinstance(db_field, models.DateTimeField) and not db_field.choices:
            kwargs.setdefault("form_class", forms.DateTimeField)
            kwargs.setdefault("widget", DATETIME_INPUT)
        elif isinstance(db_field, models.DateField) and not db_field.choices:
            kwargs.setdefault("widget", DATE_INPUT)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "latitude" and field is not None and self._has_map():
            field.widget.attrs.update({
                "data-map-picker": "id_longitude",
                "data-map-label": _("Click the map to place it; the latitude and longitude "
                                    "fields are filled in."),
                "data-tile-url": settings.MAP_TILE_URL,
                "data-tile-attribution": settings.MAP_TILE_ATTRIBUTION,
            })
        return field

    def _has_map(self) -> bool:
        names = {field.name for field in self.model._meta.fields}
        return {"latitude", "longitude"} <= names

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in (*self.filter_horizontal, *self.filter_vertical):
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @property
    def media(self):
        media = super().media + forms.Media(js=["js/admin_a11y.js"])
        if self._has_map():
            media += forms.Media(
                css={"all": ["projects/vendor/leaflet/leaflet.css", "css/admin_map.css"]},
                js=["projects/vendor/leaflet/leaflet.js", "js/admin_map_picker.js"])
        return media
