"""Swagger UI renders the schema offline: every asset from /static/, nothing blocked by the CSP
(the page fixture fails the test on any CSP violation or JavaScript error)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_offline_under_the_csp(page, shot):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page.base + "/api/docs/")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Smart City Innovation Ecosystem API" in title.inner_text()
    page.get_by_text("/api/v1/organisations/", exact=True).first.wait_for()
    shot(page, "api-docs")
    foreign = [url for url in requested if not url.startswith(page.base) and not url.startswith("data:")]
    assert not foreign, f"loaded from elsewhere: {foreign}"
