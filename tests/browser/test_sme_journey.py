"""An SME registers in a real browser: sign up, confirm the e-mail address from the message it
received, create the organisation profile and find it in the directory, marked Unverified."""

import re

import pytest
from django.core import mail

from stakeholders.models import Membership, Organisation
from tests.browser.conftest import PHONE, describe
from tests.factories import CityFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Kvarner Smart Parking d.o.o."
EMAIL = "ivo@kvarner-parking.example"


@pytest.fixture
def taxonomy(db):
    ThemeFactory(name="Mobility", slug="mobility")
    ThemeFactory(name="Open data", slug="open-data")
    CityFactory(name="Rijeka", slug="rijeka")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_sme_signs_up_verifies_registers_and_is_listed_unverified(
    page, shot, axe, taxonomy, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    suffix = "" if viewport is None else "-phone"

    # 1. Sign up.
    page.goto(page.base + "/")
    page.get_by_role("link", name="Register your organisation").click()
    assert "/accounts/signup/" in page.url
    assert not axe(page), describe(axe(page))
    page.fill("#id_email", EMAIL)
    page.fill("#id_full_name", "Ivo Kvarner-Demo")
    page.fill("#id_password1", "parking-sensors-2026")
    page.fill("#id_password2", "parking-sensors-2026")
    shot(page, f"sme-1-signup{suffix}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    shot(page, f"sme-2-verification-sent{suffix}")
    assert "/accounts/confirm-email/" in page.url
    assert not axe(page), describe(axe(page))

    # 2. The confirmation e-mail (locmem backend, shared with the live server's thread).
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert link.startswith(page.base)

    # 3. Open the link and confirm: signed in, guided to create the organisation.
    page.goto(link)
    shot(page, f"sme-3-confirm{suffix}")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    assert page.locator(".user-nav").get_by_role("button", name="Sign out").count() == 1

    # 4. Create the organisation.
    page.goto(page.base + "/organisations/new/")
    assert page.locator("h1").inner_text() == "Register your organisation"
    assert not axe(page), describe(axe(page))
    page.fill("#id_name", NAME)
    page.select_option("#id_kind", "sme")
    page.select_option("#id_country", "HR")
    page.get_by_label("Mobility").check()
    shot(page, f"sme-4-create{suffix}")
    with page.expect_navigation():
        page.get_by_role("button", name="Create organisation").click()
    shot(page, f"sme-5-profile{suffix}")
    organisation = Organisation.objects.get(name=NAME)
    assert page.url == page.base + organisation.get_absolute_url()
    assert "Unverified" in page.locator("main").inner_text()
    assert not axe(page), describe(axe(page))
    assert organisation.verified is False and organisation.helix == "industry"
    assert Membership.objects.get(organisation=organisation).user.email == EMAIL

    # 5. Find it in the directory, marked Unverified.
    page.goto(page.base + "/organisations/?q=" + "Kvarner Smart Parking")
    shot(page, f"sme-6-directory{suffix}")
    card = page.locator(".card", has=page.get_by_role("link", name=NAME))
    assert card.count() == 1
    assert "Unverified" in card.inner_text()
    card.get_by_role("link", name=NAME).click()
    assert page.url == page.base + organisation.get_absolute_url()
