"""Choosing and keeping the language, content in several languages, formats per language
(README "Languages")."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import formats, translation

from ecosystem.i18n.content import localised
from ecosystem.models import Theme
from tests.events.factories import EventFactory
from tests.factories import UserFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _written_in_english():
    """Rows are written in English (the test client leaves the last request's language on)."""
    translation.activate("en")
    yield
    translation.activate("en")


def _html_lang(response) -> str:
    head = response.content.decode()[:400]
    return head.split('<html lang="', 1)[1].split('"', 1)[0]


# --- choosing and keeping ------------------------------------------------------------------

def test_first_visit_follows_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5")
    assert _html_lang(response) == "de"
    assert response["Content-Language"] == "de"


def test_every_page_has_hreflang_alternates_and_the_switcher_needs_no_javascript(client):
    body = client.get("/events/?kind=workshop").content.decode()
    for code in ("en", "hr", "de", "it"):
        assert (f'<link rel="alternate" hreflang="{code}" '
                f'href="{settings.SITE_URL}/events/?lang={code}&amp;kind=workshop">') in body
    assert f'hreflang="x-default" href="{settings.SITE_URL}/events/?kind=workshop"' in body
    # A plain form posting to set_language, with a submit button.
    assert 'action="/i18n/setlang/" method="post"' in body
    assert '<button type="submit" class="button button-small">' in body


def test_choice_is_kept_in_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "hr", "next": "/events/"})
    assert response.status_code == 302 and response["Location"] == "/events/"
    assert response.cookies[COOKIE].value == "hr"
    assert _html_lang(client.get("/events/", HTTP_ACCEPT_LANGUAGE="de")) == "hr"


def test_switcher_returns_to_the_page_without_its_lang_parameter(client):
    body = client.get("/events/?lang=it&kind=workshop").content.decode()
    assert '<input name="next" type="hidden" value="/events/?kind=workshop">' in body


def test_choice_of_a_signed_in_person_goes_to_the_profile(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "it", "next": "/"})
    user.refresh_from_db()
    assert user.language == "it"


def test_unknown_language_changes_nothing(client):
    user = UserFactory(language="hr")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "hr"


def test_a_new_browser_gets_the_profiles_language(client):
    user = UserFactory(language="hr")
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert _html_lang(response) == "hr"
    assert response.cookies[COOKIE].value == "hr"


def test_signing_in_keeps_the_language_chosen_before(client):
    user = UserFactory(email="sme@example.org", language="en")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.cookies[COOKIE] = "de"
    client.post("/accounts/login/", {"login": user.email, "password": "pass-word-123"})
    user.refresh_from_db()
    assert user.language == "de"


def test_registering_keeps_the_language_of_the_page(client):
    client.post("/accounts/signup/", {
        "email": "new@example.org", "password1": "a-Long-pass-2026", "password2": "a-Long-pass-2026",
        "full_name": "New Person",
    }, HTTP_ACCEPT_LANGUAGE="it")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email="new@example.org").first()
    assert user is not None, "signup failed"
    assert user.language == "it"


def test_javascript_catalogue_is_a_same_origin_script_per_language(client):
    body = client.get("/").content.decode()
    assert '<script src="/i18n/js/?lang=en" defer></script>' in body
    response = client.get("/i18n/js/?lang=hr")
    assert response["Content-Type"].startswith("text/javascript")
    assert "Va\\u0161e vrijeme" in response.content.decode() or "Vaše vrijeme" in response.content.decode()
    assert "max-age=3600" in response["Cache-Control"]


# --- content in several languages ----------------------------------------------------------

def test_reader_sees_their_language_or_the_original_with_a_note(client):
    event = EventFactory(title="Hackathon", description="Two days of code.")
    event.title_hr, event.description_hr = "Hackaton", "Dva dana koda."
    event.save()
    hr = client.get(event.get_absolute_url() + "?lang=hr").content.decode()
    assert "<h1>Hackaton</h1>" in hr and "translation-note" not in hr
    de = client.get(event.get_absolute_url() + "?lang=de").content.decode()
    assert '<h1 lang="en">Hackathon</h1>' in de
    assert 'class="translation-note" lang="de"' in de


def test_a_text_in_one_language_only_says_so():
    event = EventFactory(title="x")
    event.title_en, event.title_hr = None, "Radionica o pametnom parkiranju"
    text = localised(event, "title")
    assert (text.text, text.language, text.is_fallback) == (
        "Radionica o pametnom parkiranju", "hr", True)
    assert text.note == "Available in Croatian only"
    event.title_de = "Workshop"
    assert localised(event, "title").note == (
        "Not yet translated into your language; shown in Croatian")


def test_api_answers_in_the_requested_language_and_says_which(api):
    event = EventFactory(title="Code sprint")
    event.title_it = "Maratona di programmazione"
    event.save()
    response = api.get("/api/v1/events/?lang=it")
    assert response["Content-Language"] == "it"
    assert response.json()["results"][0]["title"] == "Maratona di programmazione"
    response = api.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="it")
    assert response["Content-Language"] == "it"
    assert response.json()["results"][0]["title"] == "Maratona di programmazione"
    # Missing in German: the text as it exists.
    response = api.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "de"
    assert response.json()["results"][0]["title"] == "Code sprint"


def test_openapi_documents_the_language_parameters(api):
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/events/"]["get"]
    names = {(p["name"], p["in"]) for p in operation["parameters"]}
    assert {("lang", "query"), ("Accept-Language", "header")} <= names
    assert "Content-Language" in operation["responses"]["200"]["headers"]


def test_search_finds_content_in_every_language(client):
    event = EventFactory(title="Parking sensors demo")
    event.title_hr = "Demonstracija senzora za parkiranje"
    event.save()
    from ecosystem.search import index
    from ecosystem.search.registry import kind_for_model

    index.refresh_now(kind_for_model(type(event)), [event.pk])  # the factory skips the service
    body = client.get("/events/?q=senzora&lang=de").content.decode()
    assert event.get_absolute_url() in body


def test_vocabularies_are_translated_rows(client):
    theme = Theme.objects.create(name="Mobility", slug="mobility", group=Theme.Group.CITY)
    theme.name_hr = "Mobilnost"
    theme.save()
    with translation.override("hr"):
        assert str(Theme.objects.get(pk=theme.pk)) == "Mobilnost"
    with translation.override("de"):
        assert str(Theme.objects.get(pk=theme.pk)) == "Mobility"


def test_the_admin_edits_every_language_side_by_side(client):
    from tests.factories import StaffFactory

    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    body = client.get("/admin/ecosystem/theme/add/").content.decode()
    for code in ("en", "hr", "de", "it"):
        assert f'name="name_{code}"' in body and f'name="description_{code}"' in body


# --- formats -------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "expected"), [
    ("hr", "2. prosinca 2026. u 14:00"),
    ("de", "2. Dezember 2026, 14:00 Uhr"),
    ("it", "2 dicembre 2026, 14:00"),
])
def test_dates_and_times_are_written_the_languages_way(language, expected):
    when = datetime(2026, 12, 2, 14, 0, tzinfo=ZoneInfo("Europe/Zagreb"))
    with translation.override(language):
        assert formats.date_format(when, "DATETIME_FORMAT") == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("hr", "1.234.567,50"), ("de", "1.234.567,50"), ("it", "1.234.567,50"), ("en", "1,234,567.50"),
])
def test_amounts_are_grouped_the_languages_way(language, expected):
    from django.template.defaultfilters import floatformat

    with translation.override(language):
        assert floatformat(1234567.5, "2g") == expected
