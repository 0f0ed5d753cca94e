import pytest
from rest_framework.test import APIClient

from stakeholders.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """The .mo files as `make install` builds them (only those older than their .po)."""
    from ecosystem.i18n.catalogues import catalogues, compile_catalogue

    for path in catalogues():
        compile_catalogue(path)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def citizen(db):
    return UserFactory(email="citizen@example.org")


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@city.example")


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Alpha Sensors", slug="alpha-sensors")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Beta Mobility", slug="beta-mobility")


@pytest.fixture
def member_a(org_a):
    return MembershipFactory(organisation=org_a, user=UserFactory(email="member@alpha.example")).user


@pytest.fixture
def admin_a(org_a):
    return MembershipFactory(
        organisation=org_a, role=Membership.Role.ADMIN, user=UserFactory(email="admin@alpha.example")
    ).user


@pytest.fixture
def admin_b(org_b):
    return MembershipFactory(
        organisation=org_b, role=Membership.Role.ADMIN, user=UserFactory(email="admin@beta.example")
    ).user
