"""Moments as the reader's language writes them: "2. prosinca 2026. u 14:00 CET",
"2. Dezember 2026, 14:00 Uhr CET", "2 dicembre 2026, 14:00 CET".

Templates never spell a date pattern of their own ("j M Y, H:i" is English word order and
Croatian needs the genitive month): they use the language's formats through ``moment`` (a
date and time) or ``date:"DATE_FORMAT"`` (a day). A deadline always carries its zone, so a
reader elsewhere cannot misread it; an event's time is shown in the event's zone
(``ecosystem.zones.in_zone``) with the zone named beside it, hence ``nozone``.
"""

from django import template
from django.utils import dateformat, formats, translation

register = template.Library()

# Languages that write the names of the days in lower case ("petak, 11. prosinca 2026."), where
# Django's catalogues capitalise them.
LOWER_CASE_DAYS = ("hr", "it", "sl", "fr", "es")


@register.filter(expects_localtime=True)
def moment(value, options=""):
    """``value`` in the active language's DATETIME_FORMAT, with its zone's abbreviation.

    ``options`` (comma-separated): ``weekday`` adds the day's name, ``short`` uses the short
    form, ``nozone`` leaves the zone out (the template names the event's zone itself)."""
    if not value:
        return ""
    flags = {flag.strip() for flag in options.split(",") if flag.strip()}
    text = formats.date_format(value, "SHORT_DATETIME_FORMAT" if "short" in flags
                               else "DATETIME_FORMAT")
    if "weekday" in flags:
        day = dateformat.format(value, "D" if "short" in flags else "l")
        if (translation.get_language() or "").split("-")[0] in LOWER_CASE_DAYS:
            day = day[:1].lower() + day[1:]
        text = f"{day}, {text}"
    if "nozone" not in flags and getattr(value, "tzinfo", None) is not None:
        text = f"{text} {dateformat.format(value, 'T')}"
    return text
