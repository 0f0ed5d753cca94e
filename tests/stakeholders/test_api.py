import pytest

from stakeholders.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_directory(api, org_a, org_b):
    response = api.get("/api/v1/organisations/")
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["alpha-sensors", "beta-mobility"]


def test_registering_makes_the_author_admin(api, citizen):
    api.force_authenticate(citizen)
    response = api.post(
        "/api/v1/organisations/",
        {"name": "Kvarner Data", "kind": "sme", "country": "HR"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    organisation = Organisation.objects.get(slug=response.json()["slug"])
    assert organisation.helix == "industry"
    assert not organisation.verified
    assert Membership.objects.get(organisation=organisation).user == citizen


def test_admin_of_b_cannot_change_a(api, org_a, admin_b):
    api.force_authenticate(admin_b)
    response = api.patch(f"/api/v1/organisations/{org_a.slug}/", {"name": "Hijacked"}, format="json")
    assert response.status_code == 404
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Sensors"


def test_admin_of_a_changes_a(api, org_a, admin_a):
    api.force_authenticate(admin_a)
    response = api.patch(f"/api/v1/organisations/{org_a.slug}/", {"name": "Alpha Sensors d.o.o."}, format="json")
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Sensors d.o.o."


def test_nobody_verifies_themselves_through_the_api(api, org_a, admin_a):
    api.force_authenticate(admin_a)
    api.patch(f"/api/v1/organisations/{org_a.slug}/", {"verified": True}, format="json")
    org_a.refresh_from_db()
    assert org_a.verified is False
