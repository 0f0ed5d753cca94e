"""Times shown in the zone of the thing they belong to (an event, a call's buyer), never the viewer's.

Django's templates convert every aware datetime to the current time zone before formatting it.
An event's time belongs to the event's zone: ``in_zone`` returns the moment in that zone, marked
so that templates (pages, e-mails rendered by a worker, exports) format it there as it is.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.templatetags.tz import do_timezone


def in_zone(value: datetime | None, zone: tzinfo | str) -> datetime | None:
    """``value`` expressed in ``zone``; templates render it there, not in the active zone."""
    if value is None:
        return None
    return do_timezone(value, zone)
