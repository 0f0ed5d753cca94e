# Italian: "2 dicembre 2026, 14:00" (month names in lower case, as Italian writes them).
from django.conf.locale.it.formats import *  # noqa: F401,F403

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i"
