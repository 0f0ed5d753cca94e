"""The shared layout in a real browser: styles load under the CSP, it fits a phone, the skip
link and the language switcher work."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_styles_load_from_static_under_the_csp(page, shot):
    response = page.goto(page.base + "/")
    assert response.status == 200
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(7, 55, 99)"
    assert page.locator("h1").inner_text() == "Innovate with your city"
    shot(page, "home-desktop")


@pytest.mark.parametrize("path", ["/", "/organisations/", "/accounts/signup/", "/no-such-page/"])
def test_pages_fit_a_phone_without_horizontal_scrolling(page, shot, path):
    page.set_viewport_size(PHONE)
    page.goto(page.base + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
    shot(page, "phone" + (path.rstrip("/").replace("/", "-") or "-home"))


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto(page.base + "/organisations/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_links_and_buttons(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_language_switcher_changes_the_language(page):
    page.set_viewport_size(DESKTOP)
    page.goto(page.base + "/organisations/")
    page.select_option("#language-select", "de")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    assert page.url == page.base + "/organisations/"
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("#language-select").input_value() == "de"
