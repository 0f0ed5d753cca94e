# Croatian: the month in the genitive (E: "prosinca"), "u" before the time.
from django.conf.locale.hr.formats import *  # noqa: F401,F403

DATE_FORMAT = "j. E Y."
DATETIME_FORMAT = r"j. E Y. \u H:i"
SHORT_DATETIME_FORMAT = "j.m.Y. H:i"
