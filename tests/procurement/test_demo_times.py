"""The demo calls' deadlines are at times a city would choose: noon or 23:59 in the buyer's
own time zone, never the hour the demo happened to be loaded at."""

import io
from zoneinfo import ZoneInfo

import pytest

from ecosystem import demo as ecosystem_demo
from ecosystem.management.commands.seed_demo import Demo
from procurement import demo as procurement_demo
from procurement.models import Call
from stakeholders import demo as stakeholders_demo

ZONES = {"HR": "Europe/Zagreb", "DE": "Europe/Berlin", "IT": "Europe/Rome", "ES": "Europe/Madrid"}


@pytest.mark.django_db
def test_demo_deadlines_are_at_noon_or_end_of_day_local_time(settings):
    settings.TIME_ZONE = "UTC"  # the server's zone must not matter
    run = Demo(out=io.StringIO())
    for module in (ecosystem_demo, stakeholders_demo, procurement_demo):
        module.seed(run)
    calls = list(Call.objects.select_related("buyer"))
    assert len(calls) >= 6
    for call in calls:
        zone = ZoneInfo(ZONES[call.buyer.country])
        for deadline in (call.clarification_deadline, call.submission_deadline):
            local = deadline.astimezone(zone)
            assert (local.hour, local.minute) in {(12, 0), (23, 59)}, (call.title, local)
        if call.publication_date:
            assert 8 <= call.publication_date.astimezone(zone).hour <= 17, call.title
