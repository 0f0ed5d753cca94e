"""Event pages in headless Chromium: no WCAG 2.1 A/AA violation (axe-core), no CSP
violation or script error, on a desktop and on a phone; check-in at the door works by
typing the code and the live counter follows."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from events import services
from events.models import MeetingRequest
from tests.browser.conftest import DESKTOP, PHONE, describe
from tests.factories import (
    CityFactory,
    OrganisationFactory,
    StaffFactory,
    ThemeFactory,
    UserFactory,
)

from .factories import EventFactory, MeetingSessionFactory, ProfileFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def b2b(db):
    staff = StaffFactory(email="staff@rijeka.example", full_name="Ivana Staff")
    city = CityFactory(name="Rijeka", slug="rijeka")
    organiser = OrganisationFactory(name="CEKOM", slug="cekom")
    event = EventFactory(title="B2B matchmaking at the innovation week", slug="b2b-week",
                         kind="matchmaking", matchmaking=True, capacity=50, city=city,
                         organisers=[organiser],
                         starts_at=timezone.now() + timedelta(days=3))
    event.themes.set([ThemeFactory(name="Mobility", slug="mobility")])
    EventFactory(title="Code sprint", slug="code-sprint", kind="hackathon", city=city,
                 starts_at=timezone.now() + timedelta(days=1))
    ana = UserFactory(email="ana@example.org", full_name="Ana Marić")
    jonas = UserFactory(email="jonas@example.org", full_name="Jonas Berger")
    registration = RegistrationFactory(event=event, user=ana)
    RegistrationFactory(event=event, user=jonas)
    services.session_save(session=MeetingSessionFactory.build(event=event, slot_count=4),
                          actor=staff)
    ProfileFactory(event=event, user=jonas, title="eBike sharing")
    request = MeetingRequest.objects.create(event=event, requester=ana, recipient=jonas,
                                            message="Pilot?")
    services.meeting_request_accept(request=request, actor=jonas)
    run = services.scheduler_start(event=event, actor=staff)
    services.scheduler_run(run_id=run.pk, time_limit=1)
    services.schedule_publish(event=event, actor=staff)
    return {"event": event, "staff": staff, "ana": ana, "registration": registration}


def _sign_in(page, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base}])


PAGES = [
    ("list", None, lambda w: "/events/"),
    ("calendar", None, lambda w: "/events/calendar/"),
    ("detail", None, lambda w: "/events/b2b-week/"),
    ("detail-registered", "ana", lambda w: "/events/b2b-week/"),
    ("my-registration", "ana", lambda w: f"/events/registrations/{w['registration'].code}/"),
    ("my-meetings", "ana", lambda w: "/events/meetings/"),
    ("agenda", "ana", lambda w: "/events/agenda/"),
    ("marketplace", "ana", lambda w: "/events/b2b-week/marketplace/"),
    ("availability", "ana", lambda w: "/events/b2b-week/availability/"),
    ("check-in", "staff", lambda w: "/events/b2b-week/check-in/"),
    ("scheduler", "staff", lambda w: "/events/b2b-week/scheduler/"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_wcag_21_aa_violations(page, axe, shot, b2b, settings, viewport, name, who, path):
    settings.MAP_TILE_URL = ""
    page.set_viewport_size(viewport)
    if who:
        _sign_in(page, b2b[who])
    response = page.goto(page.base + path(b2b))
    assert response.status == 200
    shot(page, f"events-{name}-{viewport['width']}")
    violations = axe(page)
    assert not violations, describe(violations)


def test_check_in_at_the_door_by_typing_the_code(page, b2b, settings):
    settings.CHECKIN_OPENS_BEFORE = timedelta(days=4)  # the week starts in three days
    page.set_viewport_size(PHONE)
    _sign_in(page, b2b["staff"])
    page.goto(page.base + "/events/b2b-week/check-in/")
    assert page.locator('[data-counter="attended"]').inner_text() == "0"
    page.fill("#id_code", b2b["registration"].code.lower())
    page.click("form.checkin-form button[type=submit]")
    page.wait_for_load_state()
    assert "Checked in: Ana Marić" in page.locator(".messages").inner_text()
    assert page.locator('[data-counter="attended"]').inner_text() == "1"
