"""The everyday journeys in a real browser, from the home page by clicking, on a desktop
(1280 px) and a 360 px phone: every page visited has no horizontal overflow on the phone and
no axe-core (WCAG 2.1 A/AA) violation.

- A new citizen: home → register → confirm the e-mail → Events → an event → register → the
  registration page with the door code → My registrations → back to the registration.
- A new SME: home → "Register your organisation" → sign up → confirm → create the organisation
  → Calls → a call → apply with a document → receipt.

The screenshots (``BROWSER_SCREENSHOTS``, default /tmp/browser-screenshots) are named
``journey-<who>-<step>-<width>.png``.
"""

import re

import pytest
from django.core import mail

from events.models import Registration
from procurement import services as call_services
from procurement.models import Application
from stakeholders.models import Membership, Organisation
from tests.browser.conftest import DESKTOP, describe
from tests.events.factories import EventFactory
from tests.factories import CityFactory, MembershipFactory, ThemeFactory, UserFactory
from tests.procurement.factories import MINIMAL_PDF, BuyerFactory, CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 780}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE_360], ids=["desktop", "phone"])
PASSWORD = "a-long-passphrase-2026"


class Journey:
    def __init__(self, page, axe, shot, who, viewport):
        self.page, self.axe, self.shot = page, axe, shot
        self.who, self.width = who, viewport["width"]
        self.step = 0
        page.set_viewport_size(viewport)

    def check(self, name):
        """The page as a person sees it: screenshot, no sideways scrolling, axe clean."""
        page = self.page
        page.wait_for_load_state("networkidle")
        self.step += 1
        self.shot(page, f"journey-{self.who}-{self.step}-{name}-{self.width}")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= self.width, f"{name}: {overflow} px wide on a {self.width} px screen"
        violations = self.axe(page)
        assert not violations, f"{name}:\n{describe(violations)}"

    def click(self, locator):
        with self.page.expect_navigation():
            locator.click()

    def main_nav(self, name):
        self.click(self.page.locator("nav.main-nav").get_by_role("link", name=name))


def _sign_up(journey, email, full_name):
    page = journey.page
    page.fill("#id_email", email)
    page.fill("#id_full_name", full_name)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    journey.click(page.locator("main form button[type=submit]"))
    assert "/accounts/confirm-email/" in page.url
    journey.check("confirmation-sent")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)  # the link from the e-mail, opened in the same browser
    journey.check("confirm")
    journey.click(page.get_by_role("button", name="Confirm"))
    assert page.locator(".user-nav").get_by_role("button", name="Sign out").count() == 1


@pytest.fixture
def event(db):
    ThemeFactory(name="Mobility", slug="mobility")
    return EventFactory(title="Open data breakfast for citizens", slug="open-data-breakfast",
                        capacity=30)


@VIEWPORTS
def test_new_citizen_registers_for_an_event(page, axe, shot, event, viewport):
    journey = Journey(page, axe, shot, "citizen", viewport)
    page.goto(page.base + "/")
    journey.check("home")
    journey.click(page.locator(".user-nav").get_by_role("link", name="Register"))
    journey.check("signup")
    _sign_up(journey, "marta@example.org", "Marta Horvat-Demo")

    journey.main_nav("Events")
    journey.check("events")
    journey.click(page.get_by_role("link", name=event.title).first)
    journey.check("event")
    journey.click(page.get_by_role("button", name="Register"))
    registration = Registration.objects.get(event=event, user__email="marta@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    assert page.url == page.base + registration.get_absolute_url()
    assert page.get_by_role("heading", name="Show this at the door").count() == 1
    journey.check("registered")
    # Later: the person's registrations, then back to this one and its door code.
    journey.click(page.get_by_role("link", name="My registrations"))
    journey.check("my-registrations")
    journey.click(page.get_by_role("link", name=registration.code))
    assert page.url == page.base + registration.get_absolute_url()
    assert registration.code in page.locator("main").inner_text().replace(" ", "")
    journey.check("registration")


@pytest.fixture
def open_call(db):
    CityFactory(name="Rijeka", slug="rijeka")
    buyer = BuyerFactory(name="City of Rijeka", slug="city-of-rijeka", country="HR")
    officer = MembershipFactory(organisation=buyer, role=Membership.Role.ADMIN,
                                user=UserFactory(email="officer@rijeka.example")).user
    call = CallFactory(buyer=buyer, title="Smart parking sensors for the old town",
                       slug="smart-parking-old-town")
    return call_services.call_publish(call=call, actor=officer)


@VIEWPORTS
def test_new_sme_registers_and_applies_with_a_document(page, axe, shot, open_call, viewport,
                                                       tmp_path):
    ThemeFactory(name="Mobility", slug="mobility")
    journey = Journey(page, axe, shot, "sme", viewport)
    page.goto(page.base + "/")
    journey.check("home")
    journey.click(page.get_by_role("link", name="Register your organisation").first)
    journey.check("signup")
    _sign_up(journey, "ivo@kvarner-parking.example", "Ivo Kvarner-Demo")

    if "/organisations/new/" not in page.url:
        page.goto(page.base + "/organisations/new/")
    journey.check("organisation-form")
    page.fill("#id_name", "Kvarner Smart Parking d.o.o.")
    page.select_option("#id_kind", "sme")
    page.select_option("#id_country", "HR")
    journey.click(page.get_by_role("button", name="Create organisation"))
    organisation = Organisation.objects.get(name="Kvarner Smart Parking d.o.o.")
    journey.check("organisation")

    journey.main_nav("Calls")
    journey.check("calls")
    journey.click(page.get_by_role("link", name=open_call.title).first)
    journey.check("call")
    journey.click(page.get_by_role("button", name="Start an application"))
    application = Application.objects.get(call=open_call, organisation=organisation)
    for criterion in open_call.criteria.all():
        page.fill(f"#id_answer_{criterion.pk}", f"Our sensors on {criterion.name.lower()}.")
    journey.click(page.get_by_role("button", name="Save draft"))
    offer = tmp_path / "offer.pdf"
    offer.write_bytes(MINIMAL_PDF)
    page.set_input_files("#id_file", str(offer))
    journey.click(page.get_by_role("button", name="Upload"))
    journey.check("application")
    journey.click(page.get_by_role("button", name="Submit the application"))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.documents.count() == 1
    journey.check("receipt")
