"""The privacy page is generated from the registry: every entry appears with why, who and how
long, and every right links to where it is used."""

import pytest
from django.test import Client
from django.utils import translation

from ecosystem.privacy import registry

pytestmark = pytest.mark.django_db


def test_privacy_page_lists_every_registered_kind_of_data(db):
    response = Client().get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    for entry in registry.personal_data():
        assert str(entry.model._meta.verbose_name_plural).capitalize() in page, entry.label
        assert str(entry.purpose).replace('"', "&quot;").replace("'", "&#x27;") in page
    for rule in registry.retention_rules():
        assert str(rule.label) in page
    for link in ("/account/data/", "/account/erase/", "/notifications/preferences/",
                 "/open-data/"):
        assert f'href="{link}"' in page


def test_privacy_page_shows_the_configured_periods(settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "read_notifications": 42}
    assert "After 42 days." in Client().get("/privacy/").content.decode()


def test_registry_texts_are_translatable():
    """Lazy translations: the page renders them in the reader's language."""
    from django.utils.functional import Promise

    for entry in registry.personal_data():
        assert isinstance(entry.purpose, Promise) and isinstance(entry.seen_by, Promise), (
            entry.label)
    for rule in registry.retention_rules():
        assert isinstance(rule.label, Promise)
    with translation.override("de"):
        assert Client().get("/privacy/", HTTP_ACCEPT_LANGUAGE="de").status_code == 200


def test_footer_links_privacy_and_open_data(db):
    page = Client().get("/").content.decode()
    assert 'href="/privacy/"' in page and 'href="/open-data/"' in page
