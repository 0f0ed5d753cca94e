"""The OpenAPI schema tells the truth: schemathesis calls every operation of `/api/schema/`
in-process (WSGI, no server), anonymously and with a token for each role, and checks every
answer against the schema (status documented, body valid, headers, no 500).

A fixed seed and a bounded number of examples keep it deterministic and within minutes;
select it with ``-m contract``. ``CONTRACT_MAX_EXAMPLES`` raises the bound for a longer run.
"""

import io
import os
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from stakeholders.models import Membership, OrganisationKind
from tests.events.factories import EventFactory
from tests.factories import (
    CityFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    ThemeFactory,
    UserFactory,
)
from tests.procurement.factories import CallFactory
from tests.projects.factories import PartnerFactory, PilotFactory, ProgrammeFactory, ProjectFactory

pytestmark = [pytest.mark.contract, pytest.mark.django_db]


MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "8"))
SEED = 20261202

CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    # The coverage phase walks every boundary and every invalid value of each parameter; the
    # examples and fuzzing phases add positive and negative cases up to MAX_EXAMPLES.
    "phases": {"stateful": {"enabled": False}},
}


class InProcessApp(WSGIHandler):
    """The portal as a WSGI app that keeps the test's database connection (and so its
    transaction) open across requests, as Django's test client does."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return super().__call__(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _portal_data():
    """A small portal: every list has rows, every detail route has an object to find."""
    theme = ThemeFactory(slug="mobility", name="Mobility")
    city = CityFactory(slug="rijeka", name="Rijeka")
    sme = OrganisationFactory(name="Adriatic Sensors", slug="adriatic-sensors",
                              kind=OrganisationKind.SME, city=city)
    sme.themes.add(theme)
    buyer = OrganisationFactory(name="City of Rijeka", slug="city-of-rijeka",
                                kind=OrganisationKind.MUNICIPALITY, city=city)
    EventFactory(slug="mobility-days", organisers=[buyer])
    EventFactory(slug="online-webinar", mode="online", venue_name="", street_address="",
                 postal_code="", latitude=None, longitude=None,
                 starts_at=timezone.now() + timedelta(days=3))
    CallFactory(buyer=buyer, slug="smart-parking")
    project = ProjectFactory(slug="green-moves")
    PartnerFactory(project=project, organisation=sme)
    PilotFactory(slug="ev-charging", city=city, latitude="45.33", longitude="14.44")
    ProgrammeFactory(slug="cities-lab")
    return sme


def _token_for(role, sme):
    if role == "citizen":
        user = UserFactory(email="citizen@example.org")
    elif role == "sme_member":
        user = MembershipFactory(organisation=sme, role=Membership.Role.ADMIN,
                                 user=UserFactory(email="ana@adriatic-sensors.example")).user
    else:
        user = StaffFactory(email="staff@city.example")
    return Token.objects.create(user=user).key


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "#0b5394").save(buffer, "PNG")
    return buffer.getvalue()


# A file's content is checked for what it is (a logo must really be an image: the schema says
# so in the field's description), which arbitrary bytes under `format: binary` are not: the
# files schemathesis sends are real ones, a PNG. (The only other upload, an application's
# documents, needs an application of the caller's, which the generated ids never name.)
schemathesis.openapi.format("binary", st.just(_png()))


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw, config=SchemathesisConfig.from_dict(CONFIG))
    loaded.app = InProcessApp()
    return loaded


schema = _schema()
_current_token: dict[str, str | None] = {"key": None}


@schema.auth(refresh_interval=None)
class RoleToken:
    """The token of the role under test, given to schemathesis as the operation's credentials
    (not as extra headers): its auth checks then know the token is real, drop the credentials it
    would generate for the other scheme (the session cookie), and probe without it and with a
    wrong one. Anonymous: no credentials, so protected operations must refuse."""

    def get(self, case, ctx):
        return _current_token["key"]

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@pytest.fixture(params=["anonymous", "citizen", "sme_member", "staff"])
def role_token(request, db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    sme = _portal_data()
    _current_token["key"] = None if request.param == "anonymous" else _token_for(request.param, sme)
    yield request.param
    _current_token["key"] = None


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_its_schema_says(case, role_token):
    case.call_and_validate()
