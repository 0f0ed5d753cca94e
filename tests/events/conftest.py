from tests.browser.conftest import axe, browser, page, shot  # noqa: F401 (fixtures)
