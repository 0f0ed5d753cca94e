"""axe-core finds no WCAG 2.1 A/AA violation on the pages every visitor sees, on a desktop
and on a phone."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, describe
from tests.factories import CityFactory, MembershipFactory, OrganisationFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(db):
    rijeka = CityFactory(name="Rijeka", slug="rijeka")
    mobility = ThemeFactory(name="Mobility", slug="mobility")
    open_data = ThemeFactory(name="Open data", slug="open-data")
    sensors = OrganisationFactory(
        name="Adriatic Sensor Works d.o.o.", slug="adriatic-sensor-works", city=rijeka,
        verified=True, website="https://sensors.example",
        description="Low-power sensors for parking, air quality and traffic counting.",
    )
    sensors.themes.set([mobility, open_data])
    MembershipFactory(organisation=sensors, is_public=True)
    for kind, name in [("university", "University of Rijeka"), ("ngo", "Dolomiti Civic Tech"),
                       ("municipality", "City of Rijeka"), ("startup", "Kvarner Energy Lab")]:
        OrganisationFactory(name=name, kind=kind, city=rijeka).themes.set([mobility])
    return sensors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "name, path",
    [
        ("home", "/"),
        ("directory", "/organisations/"),
        ("directory-filtered", "/organisations/?q=rijeka&kind=university"),
        ("profile", "/organisations/adriatic-sensor-works/"),
        ("not-found", "/organisations/no-such-organisation/"),
    ],
)
def test_no_wcag_21_aa_violations(page, axe, shot, directory, viewport, name, path):
    page.set_viewport_size(viewport)
    response = page.goto(page.base + path)
    assert response.status in {200, 404}
    shot(page, f"axe-{name}-{viewport['width']}")
    violations = axe(page)
    assert not violations, describe(violations)


def test_the_audit_catches_a_violation(page, axe):
    """Guards the harness: an unlabelled field must be reported."""
    page.goto(page.base + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert "label" in {violation["id"] for violation in axe(page)}
