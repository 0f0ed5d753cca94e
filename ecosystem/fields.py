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
