"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's
live server, which serves static files the way the portal does (whitenoise, finders).

Fixtures:
- ``browser``: one Chromium per test module (skipped with a reason when Chromium is missing).
  Module scope matters: Playwright's sync API keeps an event loop in the main thread while it
  runs, so only one may run at a time, and other apps' conftests import these fixtures
  (``from tests.browser.conftest import axe, browser, page, shot``), which makes each import a
  fixture of its own; each module's Chromium stops before the next module starts.
- ``page``: a fresh context and page per test, ``page.base`` is the live server's URL. Every
  Content-Security-Policy violation, JavaScript error or failed same-origin request fails the test.
- ``shot(page, name)``: saves a full-page screenshot under ``BROWSER_SCREENSHOTS``
  (default: /tmp/browser-screenshots) and returns its path.
- ``axe``: runs axe-core (bundled by axe-playwright-python) for WCAG 2.1 A and AA.
- ``sign_in(page, user)``: signs a factory user in through the login form (address verified).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp/browser-screenshots"))
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests
    # themselves stay synchronous and safe. Only while browser tests run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = live_server.url
    problems = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or message.type == "error" and "404" not in text:
            problems.append(f"console {message.type}: {text}")

    def on_response(response):
        if response.url.startswith(live_server.url) and response.status >= 500:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", on_response)
    yield page
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def run(page) -> list[dict]:
        results = runner.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                           "resultTypes": ["violations"]},
        )
        return results.response["violations"]

    return run


def describe(violations: list[dict]) -> str:
    """Readable axe violations for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


PASSWORD = "pass-word-123"  # the factories' password


def sign_in(page, user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email,
                                       defaults={"verified": True, "primary": True})
    page.goto(page.base + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
