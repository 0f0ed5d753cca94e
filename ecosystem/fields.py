"""Form fields every app shares."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

# The zones of the cities taking part first; every other zone follows.
COMMON_TIME_ZONES = [
    "Europe/Zagreb", "Europe/Ljubljana", "Europe/Rome", "Europe/Vienna", "Europe/Berlin",
    "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam", "Europe/Madrid", "Europe/Lisbon",
    "Europe/Dublin", "Europe/London", "Europe/Athens", "Europe/Helsinki", "Europe/Warsaw",
    "Europe/Budapest", "Europe/Bucharest", "Europe/Sofia", "UTC",
]


def time_zone_choices() -> list:
    available = zoneinfo.available_timezones()
    common = [name for name in COMMON_TIME_ZONES if name in available or name == "UTC"]
    others = sorted(available - set(common))
    return [(_("Common in Europe"), [(name, name.replace("_", " ")) for name in common]),
            (_("All time zones"), [(name, name.replace("_", " ")) for name in others])]


class TimeZoneField(forms.ChoiceField):
    """A choice of the IANA time zones (``zoneinfo.available_timezones()``), Europe's first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", time_zone_choices)
        kwargs.setdefault("label", _("Time zone"))
        super().__init__(**kwargs)


class AutocompleteChoiceField(forms.ModelChoiceField):
    """Chooses one row by its slug (what the autocomplete sends) or by its exact name (what a
    person types without JavaScript, case ignored), rendered as an autocomplete, never as one
    ``<option>`` per row. Subclasses say where suggestions come from (``suggest_url``), which
    field people type (``name_field``) and what to say when that name is not unique."""

    suggest_url = ""
    name_field = "name"
    ambiguous_message = None  # a sentence naming the kind of row; the invalid choice otherwise

    def __init__(self, queryset, *, params=None, **kwargs):
        from django.urls import reverse_lazy

        from .widgets import AutocompleteInput

        kwargs.setdefault("widget", AutocompleteInput(
            url=reverse_lazy(self.suggest_url), params=params or {}, label_for=self._name_of))
        kwargs["to_field_name"] = "slug"
        super().__init__(queryset, **kwargs)

    def _name_of(self, value):
        names = self.queryset.values_list(self.name_field, flat=True)
        return (names.filter(slug=value).first()
                or names.filter(**{f"{self.name_field}__iexact": value}).first())

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        match = self.queryset.filter(slug=value).first()
        if match is None:
            named = list(self.queryset.filter(**{f"{self.name_field}__iexact": value})[:2])
            if len(named) > 1:
                raise forms.ValidationError(
                    self.ambiguous_message or self.error_messages["invalid_choice"],
                    code="ambiguous")
            match = named[0] if named else None
        if match is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")
        return match
