# German: "2. Dezember 2026, 14:00 Uhr".
from django.conf.locale.de.formats import *  # noqa: F401,F403

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y, H:i \U\h\r"
SHORT_DATETIME_FORMAT = r"d.m.Y, H:i \U\h\r"
