"""Every stakeholders route (web and API) for every role: one table, one expected status each.

"login" means: redirected to the sign-in page. Denied access to an organisation someone does
not administer is a 404 (it must not even reveal that the page exists for them).
"""

import pytest

from stakeholders import selectors
from stakeholders.models import Invitation, Membership
from tests.factories import CityFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "member_a", "admin_a", "admin_b", "staff"]


def expect(anonymous, citizen, member_a, admin_a, admin_b, staff):
    return dict(zip(ROLES, [anonymous, citizen, member_a, admin_a, admin_b, staff], strict=True))


EVERYONE = expect(200, 200, 200, 200, 200, 200)
SIGNED_IN = expect("login", 200, 200, 200, 200, 200)
ADMINS_OF_A = expect("login", 404, 404, 200, 404, 200)
ADMIN_ACTION_ON_A = expect("login", 404, 404, 302, 404, 302)
OWN_MEMBERSHIP = expect("login", 404, 302, 404, 404, 404)

ORG_FORM = {"name": "Matrix Labs", "kind": "sme", "country": "HR"}

WEB = [
    ("GET", "/organisations/", None, EVERYONE),
    ("GET", "/organisations/?helix=industry&verified=true&q=alpha", None, EVERYONE),
    ("GET", "/organisations/new/", None, SIGNED_IN),
    ("POST", "/organisations/new/", ORG_FORM, expect("login", 302, 302, 302, 302, 302)),
    ("GET", "/organisations/mine/", None, SIGNED_IN),
    ("GET", "/organisations/alpha-sensors/", None, EVERYONE),
    ("GET", "/organisations/alpha-sensors/edit/", None, ADMINS_OF_A),
    ("POST", "/organisations/alpha-sensors/edit/", {**ORG_FORM, "name": "Alpha Sensors"}, ADMIN_ACTION_ON_A),
    ("GET", "/organisations/alpha-sensors/members/", None, ADMINS_OF_A),
    ("POST", "/organisations/alpha-sensors/members/invite/", {"email": "x@alpha.example", "role": "member"}, ADMIN_ACTION_ON_A),
    ("POST", "/organisations/alpha-sensors/members/{member_a_membership}/role/", {"role": "admin"}, ADMIN_ACTION_ON_A),
    ("POST", "/organisations/alpha-sensors/members/{member_a_membership}/handover/", None, ADMIN_ACTION_ON_A),
    ("POST", "/organisations/alpha-sensors/members/{member_a_membership}/remove/", None, ADMIN_ACTION_ON_A),
    ("POST", "/organisations/alpha-sensors/invitations/{invitation}/resend/", None, ADMIN_ACTION_ON_A),
    ("POST", "/organisations/alpha-sensors/invitations/{invitation}/revoke/", None, ADMIN_ACTION_ON_A),
    ("POST", "/memberships/{member_a_membership}/visibility/", {"is_public": "on"}, OWN_MEMBERSHIP),
    ("POST", "/memberships/{member_a_membership}/leave/", None, OWN_MEMBERSHIP),
    # The invitation went to invitee@alpha.example: anyone with the link sees what it is,
    # nobody else can accept it.
    ("GET", "/invitations/{token}/", None, expect(200, 200, 302, 302, 200, 200)),
    ("POST", "/invitations/{token}/", None, expect("login", 403, 302, 302, 403, 403)),
    ("POST", "/invitations/{token}/decline/", None, expect("login", 403, 403, 403, 403, 403)),
    ("GET", "/invitations/not-a-valid-token/", None, expect(400, 400, 400, 400, 400, 400)),
]

API = [
    ("GET", "/api/v1/organisations/", None, EVERYONE),
    ("GET", "/api/v1/organisations/alpha-sensors/", None, EVERYONE),
    ("POST", "/api/v1/organisations/", ORG_FORM, expect(401, 201, 201, 201, 201, 201)),
    ("PATCH", "/api/v1/organisations/alpha-sensors/", {"description": "Changed"}, expect(401, 404, 404, 200, 404, 200)),
    ("PUT", "/api/v1/organisations/alpha-sensors/", ORG_FORM, expect(401, 405, 405, 405, 405, 405)),
    ("DELETE", "/api/v1/organisations/alpha-sensors/", None, expect(401, 405, 405, 405, 405, 405)),
    ("GET", "/api/v1/themes/", None, EVERYONE),
    ("GET", "/api/v1/themes/mobility/", None, EVERYONE),
    ("GET", "/api/v1/cities/", None, EVERYONE),
    ("GET", "/api/v1/cities/rijeka/", None, EVERYONE),
    ("GET", "/api/v1/me/memberships/", None, expect(401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/me/memberships/{member_a_membership}/", None, expect(401, 404, 200, 404, 404, 404)),
    ("PATCH", "/api/v1/me/memberships/{member_a_membership}/", {"is_public": True}, expect(401, 404, 200, 404, 404, 404)),
    ("DELETE", "/api/v1/me/memberships/{member_a_membership}/", None, expect(401, 404, 204, 404, 404, 404)),
]


@pytest.fixture
def world(citizen, staff, org_a, admin_a, member_a, org_b, admin_b):
    ThemeFactory(slug="mobility", name="Mobility")
    CityFactory(slug="rijeka", name="Rijeka")
    invitation = Invitation.objects.create(organisation=org_a, email="invitee@alpha.example", invited_by=admin_a)
    users = {"anonymous": None, "citizen": citizen, "member_a": member_a, "admin_a": admin_a,
             "admin_b": admin_b, "staff": staff}
    ids = {
        "member_a_membership": Membership.objects.get(user=member_a).pk,
        "invitation": invitation.pk,
        "token": selectors.invitation_token(invitation),
    }
    return users, ids


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, getattr(response, "content", b"")[:300])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "expected"), WEB, ids=[f"{m} {u}" for m, u, _, _ in WEB])
def test_web_matrix(client, world, role, method, url, data, expected):
    users, ids = world
    if users[role] is not None:
        client.force_login(users[role])
    response = getattr(client, method.lower())(url.format(**ids), data or {})
    _check(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "expected"), API, ids=[f"{m} {u}" for m, u, _, _ in API])
def test_api_matrix(api, world, role, method, url, data, expected):
    users, ids = world
    if users[role] is not None:
        api.force_authenticate(users[role])
    response = getattr(api, method.lower())(url.format(**ids), data, format="json")
    _check(response, expected[role])
    if response.status_code >= 400:
        assert set(response.json()) == {"message", "code", "fields"}
