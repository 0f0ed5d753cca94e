"""Every public page and the main signed-in pages (SME, citizen, staff) in hr, de and it show
no interface string in English.

For each page the test reads the visible text nodes of the English rendering and of the
translated one. A text node is an *interface string left in English* when it appears in both
renderings, is a msgid of the portal's catalogue (so it is a string we wrote, not data such as
a name, a title or a number) and the catalogue does not translate it to itself on purpose.
IDENTICAL lists the few words that are the same in English and the other languages.

Fails until the translations are merged (README "Languages"). Run alone:
``pytest -m browser tests/browser/test_languages.py``."""

import io

import polib
import pytest
from django.core.management import call_command

from ecosystem.i18n.catalogues import catalogue_path
from stakeholders.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("hr", "de", "it")
# Words written the same in English and in hr/de/it (brand names, acronyms, loanwords).
IDENTICAL = {"API", "OpenAPI", "REST", "OCDS", "CPV", "NUTS", "ICT", "RSS", "Atom", "iCal",
             "Start-up", "Hackathon", "Workshop", "Webinar", "Online", "OK", "B2B", "Info",
             "Design", "Software", "Cluster", "Smart city", "E-mail", "Status", "Name",
             "Total", "Minimum", "Maximum"}
PUBLIC = ["/", "/events/", "/events/calendar/", "/calls/", "/projects/", "/pilots/",
          "/pilots/map/", "/programmes/", "/organisations/", "/accounts/login/",
          "/accounts/signup/", "/accounts/password/reset/", "/no-such-page/"]
# Detail pages: the first link of each list.
DETAILS = {"/events/": "/events/", "/calls/": "/calls/", "/projects/": "/projects/",
           "/pilots/": "/pilots/", "/programmes/": "/programmes/",
           "/organisations/": "/organisations/"}
SIGNED_IN = {
    "ana@adriatic-sensors.example": [  # SME
        "/organisations/mine/", "/applications/", "/events/registrations/",
        "/events/meetings/", "/notifications/", "/notifications/preferences/"],
    "citizen@example.org": ["/events/registrations/", "/notifications/",
                            "/notifications/preferences/"],
    "staff@rijeka.example": ["/admin/", "/calls/new/", "/evaluation/",
                             "/pilots/feedback/moderation/", "/notifications/"],
}

VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, [hidden], [lang]:not(html)")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    texts.push(text);
  }
  document.querySelectorAll("[aria-label], [title], img[alt], input[placeholder]").forEach(el => {
    ["aria-label", "title", "alt", "placeholder"].forEach(name => {
      const value = el.getAttribute(name);
      if (value) texts.push(value.trim());
    });
  });
  return texts;
}"""


def _catalogue_texts(language):
    """msgid -> msgstr of the portal's catalogue (what counts as an interface string)."""
    path = catalogue_path(language, "django")
    if not path.exists():
        pytest.fail(f"{path} is missing: the translations are not merged yet")
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))
            if not entry.obsolete and not entry.msgid_plural}


def _with_lang(url, language):
    return url + ("&" if "?" in url else "?") + f"lang={language}"


def _texts(page, url, language):
    page.goto(_with_lang(url, language))
    if f"lang={language}" not in page.url:  # a redirect (/pilots/ -> /pilots/map/) drops it
        page.goto(_with_lang(page.url, language))
    return page.evaluate(VISIBLE_TEXTS)


def _sign_in(page, email):
    page.context.clear_cookies()
    page.goto(page.base + "/accounts/login/?lang=en")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit], main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _first_detail(page, list_path):
    page.goto(page.base + list_path + "?lang=en")
    links = page.eval_on_selector_all(
        "main a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in links:
        if href.startswith(list_path) and href.rstrip("/") != list_path.rstrip("/") and (
            "?" not in href and href.count("/") >= 3 and "/map" not in href
            and "/calendar" not in href and "/new" not in href and "/mine" not in href
            and "/feed" not in href and "/propose" not in href
        ):
            return href
    return None


def test_no_interface_string_is_left_in_english(page):
    call_command("seed_demo", "--quiet-accounts", stdout=io.StringIO())
    catalogues = {language: _catalogue_texts(language) for language in LANGUAGES}
    pages = [(None, path) for path in PUBLIC]
    pages += [(None, _first_detail(page, path)) for path in DETAILS]
    pages += [(email, path) for email, paths in SIGNED_IN.items() for path in paths]
    pages = [(who, path) for who, path in pages if path]
    left, checked, signed_in_as = [], 0, None
    for who, path in pages:
        if who != signed_in_as:
            if who:
                _sign_in(page, who)
            else:
                page.context.clear_cookies()
            signed_in_as = who
        english = set(_texts(page, page.base + path, "en"))
        for language in LANGUAGES:
            msgstrs = catalogues[language]
            for text in set(_texts(page, page.base + path, language)) & english:
                if text in IDENTICAL or text not in msgstrs or msgstrs[text] == text:
                    continue
                left.append(f"{language} {path} ({who or 'anonymous'}): {text!r}")
            checked += 1
    print(f"checked {len(pages)} pages x {len(LANGUAGES)} languages = {checked} renderings")
    assert len(pages) >= 30
    assert not left, f"{len(left)} interface strings still in English:\n" + "\n".join(left[:80])
