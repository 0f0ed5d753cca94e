"""The privacy, open-data and account data pages in headless Chromium: WCAG 2.1 AA (axe), no
horizontal scrolling on a phone, no CSP violation."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from ecosystem.privacy.models import DataExport
from tests.browser.conftest import PHONE, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base}])


@pytest.mark.parametrize("name,path,signed_in", [
    ("privacy", "/privacy/", False),
    ("open-data", "/open-data/", False),
    ("account-data", "/account/data/", True),
    ("account-erase", "/account/erase/", True),
])
def test_pages_are_accessible_and_fit_a_phone(world, page, axe, shot, name, path, signed_in):
    if signed_in:
        DataExport.objects.create(user=world.person, status=DataExport.Status.FAILED)
        _sign_in(page, world.person)
    assert page.goto(page.base + path).status == 200
    violations = axe(page)
    assert violations == [], describe(violations)
    page.set_viewport_size(PHONE)
    page.goto(page.base + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide on a phone"
    shot(page, f"privacy-{name}-phone")
