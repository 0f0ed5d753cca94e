"""The staff admin in Chromium: no WCAG 2.1 A/AA violation on the dashboard, the call form and
a list; the CPV lookup and the map picker fill the fields by clicking."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import DESKTOP, PHONE, describe
from tests.events.factories import EventFactory
from tests.factories import StaffFactory
from tests.procurement.factories import CallFactory
from tests.projects.factories import FeedbackFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workplace(db):
    staff = StaffFactory(email="officer@rijeka.example", full_name="Ivana Horvat")
    staff.user_permissions.set(Permission.objects.all())
    call = CallFactory(title="Smart street lighting for the old town", slug="smart-lighting")
    FeedbackFactory()
    EventFactory(starts_at=timezone.now() + timedelta(days=2), title="Open data breakfast")
    return {"staff": staff, "call": call}


@pytest.fixture(scope="session")
def axe_admin():
    """axe-core for WCAG 2.1 A/AA like the shared ``axe`` fixture, without its stylesheet
    preload: to read Django's ``forms.css`` (which ``@import``s ``widgets.css``) axe copies it
    into an inline <style>, which the portal's CSP blocks — a violation of axe's, not the
    page's. Only the css-orientation-lock rule needs the preload."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.conftest import WCAG_21_AA

    runner = Axe()

    def run(page) -> list[dict]:
        return runner.run(page, options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"],
            "preload": False}).response["violations"]

    return run


def _sign_in(page, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base}])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name, path", [
    ("index", lambda w: "/admin/"),
    ("call-change", lambda w: f"/admin/procurement/call/{w['call'].pk}/change/"),
    ("call-list", lambda w: "/admin/procurement/call/"),
    ("event-add", lambda w: "/admin/events/event/add/"),
])
def test_staff_admin_pages_have_no_wcag_violations(page, axe_admin, shot, workplace, viewport,
                                                   name, path):
    _sign_in(page, workplace["staff"])
    page.set_viewport_size(viewport)
    response = page.goto(page.base + path(workplace))
    assert response.status == 200
    shot(page, f"admin-{name}-{viewport['width']}")
    violations = axe_admin(page)
    assert not violations, describe(violations)


def test_dashboard_links_to_what_needs_staff(page, workplace):
    _sign_in(page, workplace["staff"])
    page.goto(page.base + "/admin/")
    page.get_by_role("link", name="Feedback to moderate").click()
    page.wait_for_url("**/admin/projects/feedback/?status__exact=pending")
    assert "1 feedback" in page.content().lower() or page.locator("#result_list tbody tr").count() == 1


def test_cpv_lookup_adds_a_code_by_name(page, shot, workplace):
    _sign_in(page, workplace["staff"])
    page.goto(page.base + f"/admin/procurement/call/{workplace['call'].pk}/change/")
    page.get_by_label("Find a CPV code by code or name").fill("road lights")
    page.get_by_role("button", name="34993000-4 — Road lights").click()
    assert page.locator("#id_cpv_codes").input_value() == "48000000-8, 73100000-3, 34993000-4"
    shot(page, "admin-call-cpv-lookup")


def test_map_picker_fills_the_coordinates(page, shot, workplace):
    _sign_in(page, workplace["staff"])
    page.goto(page.base + "/admin/events/event/add/")
    page.locator(".admin-map").click(position={"x": 200, "y": 150})
    assert page.locator("#id_latitude").input_value() != ""
    assert page.locator("#id_longitude").input_value() != ""
    shot(page, "admin-event-map-picker")
