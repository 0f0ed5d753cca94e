# English as a European public body writes it: "2 December 2026, 14:00" (day first, 24-hour
# clock), not Django's American default ("Dec. 2, 2026, 2 p.m.").
from django.conf.locale.en_GB.formats import *  # noqa: F401,F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
