import pytest

from ecosystem.search.index import rebuild as rebuild_search_index
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


def test_directory_filters_match_the_web(api, org_a, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(verified=True, kind="university", helix="academia")
    assert [row["slug"] for row in api.get("/api/v1/organisations/?verified=true").json()["results"]] == ["beta-mobility"]
    assert [row["slug"] for row in api.get("/api/v1/organisations/?helix=industry").json()["results"]] == ["alpha-sensors"]
    rebuild_search_index()  # factories write rows directly, not through services
    assert [row["slug"] for row in api.get("/api/v1/organisations/?q=beta").json()["results"]] == ["beta-mobility"]


def test_bad_filter_value_is_a_400_in_the_one_format(api):
    response = api.get("/api/v1/organisations/?helix=martian")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "helix" in body["fields"]


def test_member_patch_gets_404_in_the_one_format(api, org_a, member_a):
    api.force_authenticate(member_a)
    response = api.patch(f"/api/v1/organisations/{org_a.slug}/", {"name": "Mine now"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"message": response.json()["message"], "code": "not_found", "fields": {}}


def test_invalid_patch_lists_the_fields(api, org_a, admin_a):
    api.force_authenticate(admin_a)
    response = api.patch(f"/api/v1/organisations/{org_a.slug}/", {"kind": "spaceship", "website": "no url"}, format="json")
    assert response.status_code == 400
    assert {"kind", "website"} <= set(response.json()["fields"])


def test_logo_upload_is_validated(api, org_a, admin_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(admin_a)
    fake = SimpleUploadedFile("logo.png", b"plain text", content_type="image/png")
    response = api.patch(f"/api/v1/organisations/{org_a.slug}/", {"logo": fake}, format="multipart")
    assert response.status_code == 400 and "logo" in response.json()["fields"]


def test_my_memberships(api, org_a, org_b, member_a, admin_a):
    api.force_authenticate(member_a)
    body = api.get("/api/v1/me/memberships/").json()
    assert [row["organisation"]["slug"] for row in body["results"]] == ["alpha-sensors"]
    membership_id = body["results"][0]["id"]
    response = api.patch(f"/api/v1/me/memberships/{membership_id}/", {"is_public": True, "role": "admin"}, format="json")
    assert response.status_code == 200 and response.json()["is_public"] is True
    assert Membership.objects.get(pk=membership_id).role == "member"
    assert api.delete(f"/api/v1/me/memberships/{membership_id}/").status_code == 204
    assert not Membership.objects.filter(pk=membership_id).exists()


def test_last_admin_leaving_through_the_api_is_a_409(api, org_a, admin_a):
    api.force_authenticate(admin_a)
    membership = Membership.objects.get(user=admin_a)
    response = api.delete(f"/api/v1/me/memberships/{membership.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"
    assert Membership.objects.filter(pk=membership.pk).exists()
