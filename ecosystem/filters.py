"""The filters every list shares (web pages and API): the base ``FilterSet`` and the filters
whose meaning is the platform's, not one app's.

- ``ReferenceFilter`` names a row by its slug or id (``?theme=mobility``, ``?event=12``). A
  well-formed value that names no row (or none the viewer may see) matches nothing: the list is
  empty, as for any other filter nothing matches. Only a malformed value (``?event=abc``) is bad
  input (400). The OpenAPI schema can say "a slug" or "an integer", never "an existing one", so
  this is the only answer the schema can describe truthfully.
- ``BooleanFilter`` takes ``true`` or ``false`` (empty: no filter); anything else is bad input
  rather than silently ignored (django-filter's own treats ``?verified=null`` as no filter).
"""

from functools import cache

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from ecosystem.errors import InvalidInput


class _NoMatch:
    """The cleaned value of a reference to no row: the filter matches nothing."""

    def __repr__(self):
        return "NO_MATCH"


NO_MATCH = _NoMatch()


class _UnknownMatchesNothing:
    """Form-field mixin for a ``ModelChoiceField``: an unknown but well-formed value cleans to
    ``NO_MATCH`` instead of failing with ``invalid_choice``."""

    def to_python(self, value):
        if isinstance(value, str):
            ProhibitNullCharactersValidator()(value)  # before any query: PostgreSQL refuses NUL
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid_choice" or not self._well_formed(value):
                raise
            return NO_MATCH

    def _well_formed(self, value) -> bool:
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        try:
            key.to_python(value)
        except ValidationError:
            return False
        return True


@cache
def _reference_field_class(field_class):
    return type(field_class.__name__, (_UnknownMatchesNothing, field_class), {})


class ReferenceFilter(django_filters.ModelChoiceFilter):
    """One row by slug or id; an unknown one matches nothing (see the module docstring). A
    subclass keeps its own form field (``field_class``): the behaviour is mixed into it."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            field_class = self.field_class
            self.field_class = _reference_field_class(field_class)
            try:
                super().field  # noqa: B018 -- builds and caches self._field
            finally:
                self.field_class = field_class
        return self._field


class BooleanSelect(forms.Select):
    """Passes the raw value on (Django's ``NullBooleanSelect`` turns any unknown one into
    None, so ``?is_mentor=null`` would be no filter instead of bad input)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])


class StrictBooleanField(forms.NullBooleanField):
    widget = BooleanSelect
    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in (True, False):
            return value
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text == "true":
            return True
        if text == "false":
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    """Base of every FilterSet: model foreign keys and booleans get the filters above, and a
    reference to no row empties the list before any other filter runs."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        **{field: {**spec, "filter_class": ReferenceFilter}
           for field, spec in django_filters.FilterSet.FILTER_DEFAULTS.items()
           if spec.get("filter_class") is django_filters.ModelChoiceFilter},
        **{field: {**spec, "filter_class": BooleanFilter}
           for field, spec in django_filters.FilterSet.FILTER_DEFAULTS.items()
           if spec.get("filter_class") is django_filters.BooleanFilter},
    }

    def filter_queryset(self, queryset):
        if any(value is NO_MATCH for value in self.form.cleaned_data.values()):
            return queryset.none()
        return super().filter_queryset(queryset)


def query_boolean(request, name: str) -> bool | None:
    """``?name=true|false`` of a view without a FilterSet, as ``BooleanFilter`` reads it:
    empty or absent is None, anything else is bad input (400)."""
    try:
        return StrictBooleanField().clean(request.query_params.get(name))
    except ValidationError as error:
        raise InvalidInput(_("Invalid input."), fields={name: error.messages}) from None
