"""The journeys through the web pages: SME self-registration, invitations, profile, directory."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ecosystem.models import AuditEntry
from ecosystem.search.index import rebuild as rebuild_search_index
from stakeholders.models import Invitation, Membership, Organisation
from tests.factories import (
    CityFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5394").save(buffer, "PNG")
    return buffer.getvalue()


def _link(body: str, path: str) -> str:
    return re.search(rf"https?://[^\s]+({re.escape(path)}[^\s]+)", body).group(1)


def test_sme_journey_signup_verify_create_and_find_it_unverified(client, django_capture_on_commit_callbacks):
    ThemeFactory(slug="mobility", name="Mobility")
    response = client.post("/accounts/signup/", {
        "email": "founder@kvarner-data.example", "full_name": "Nika Founder",
        "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026",
    })
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    # Verification is mandatory: nothing is reachable before the e-mail is confirmed.
    assert client.get("/organisations/new/").status_code == 302
    assert len(mail.outbox) == 1
    confirm = _link(mail.outbox[0].body, "/accounts/confirm-email/")
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    # Signed in, without an organisation: My portal guides them to create one.
    assert response.status_code == 302 and response["Location"] == "/me/"
    page = client.get("/me/").content.decode()
    assert "Register your organisation" in page and 'href="/organisations/new/"' in page

    form = client.get("/organisations/new/").content.decode()
    for field in ("id_name", "id_kind", "id_country", "id_city", "id_nuts_region", "id_website",
                  "id_description", "id_size", "id_logo"):
        assert f'id="{field}"' in form
    assert "Create organisation" in form
    response = client.post("/organisations/new/", {
        "name": "Kvarner Data j.d.o.o.", "kind": "startup", "country": "HR", "nuts_region": "hr031",
        "website": "kvarner-data.example", "description": "Open data for the port city.",
        "size": "micro", "themes": [ThemeFactory(slug="mobility").pk],
        "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
    })
    organisation = Organisation.objects.get(name="Kvarner Data j.d.o.o.")
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert organisation.helix == "industry" and organisation.nuts_region == "HR031"
    assert organisation.website == "https://kvarner-data.example"
    assert organisation.logo.name.startswith("logos/")
    assert Membership.objects.get(organisation=organisation).user.full_name == "Nika Founder"
    profile = client.get(response["Location"]).content.decode()
    assert "Unverified" in profile and "Edit profile" in profile
    rebuild_search_index()  # factories write rows directly, not through services
    directory = client.get("/organisations/", {"q": "Kvarner", "verified": "false"}).content.decode()
    assert organisation.get_absolute_url() in directory and "Unverified" in directory
    assert organisation.get_absolute_url() not in client.get("/organisations/", {"verified": "true"}).content.decode()


def test_a_text_file_renamed_png_is_refused_as_logo(client, citizen):
    client.force_login(citizen)
    response = client.post("/organisations/new/", {
        "name": "Fake Logo Ltd", "kind": "sme", "country": "HR",
        "logo": SimpleUploadedFile("logo.png", b"this is not an image", content_type="image/png"),
    })
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Fake Logo Ltd").exists()


def test_an_oversized_logo_is_refused(client, citizen):
    from stakeholders.validators import MAX_LOGO_BYTES

    client.force_login(citizen)
    big = _png() + b"\0" * (MAX_LOGO_BYTES + 1)
    response = client.post("/organisations/new/", {
        "name": "Big Logo Ltd", "kind": "sme", "country": "HR",
        "logo": SimpleUploadedFile("logo.png", big, content_type="image/png"),
    })
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_form_errors_are_shown_and_nothing_is_written(client, citizen):
    client.force_login(citizen)
    rijeka = CityFactory(country="HR")
    response = client.post("/organisations/new/", {
        "name": "", "kind": "spaceship", "country": "DE", "nuts_region": "HR031", "city": rijeka.pk,
    })
    form = response.context["form"]
    assert {"name", "kind", "nuts_region", "city"} <= set(form.errors)
    assert 'role="alert"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_edit_by_admin_changes_the_profile_and_audits(client, org_a, admin_a):
    client.force_login(admin_a)
    response = client.post(f"/organisations/{org_a.slug}/edit/", {
        "name": "Alpha Sensors d.o.o.", "kind": "sme", "country": "HR", "description": "Sensors.",
    })
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Sensors d.o.o." and org_a.slug == "alpha-sensors"
    assert AuditEntry.objects.filter(action="stakeholders.organisation.updated").exists()


def test_profile_shows_only_public_members_clusters_city_and_sections(client, org_a, admin_a, member_a):
    Membership.objects.filter(user=admin_a).update(is_public=True)
    cluster = OrganisationFactory(name="Adriatic ICT Cluster", kind="cluster")
    cluster.cluster_members.add(org_a)
    org_a.city = CityFactory(name="Rijeka", country="HR")
    org_a.save()
    page = client.get(org_a.get_absolute_url()).content.decode()
    assert admin_a.full_name in page
    assert member_a.full_name not in page
    assert "Adriatic ICT Cluster" in page and "In the portal" in page and "Rijeka" in page
    cluster_page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Cluster members" in cluster_page and "Alpha Sensors" in cluster_page


def test_profile_sections_from_other_apps_are_rendered(client, org_a, monkeypatch):
    from stakeholders import profile

    monkeypatch.setattr(profile._registry, "_builders", dict(profile._registry._builders))
    profile.register_profile_section("test.nothing", lambda **kwargs: None)
    profile.register_profile_section("test.events", lambda *, organisation, viewer: profile.ProfileSection(
        title="Events attended", template="stakeholders/sections/membership.html", order=5))
    page = client.get(org_a.get_absolute_url()).content.decode()
    assert page.index("Events attended") < page.index("In the portal")


def test_invitation_journey_for_a_newcomer(client, org_a, admin_a, django_capture_on_commit_callbacks):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organisations/{org_a.slug}/members/invite/",
                               {"email": "newcomer@alpha.example", "role": "member"})
    assert response.status_code == 302
    assert "newcomer@alpha.example" in client.get(f"/organisations/{org_a.slug}/members/").content.decode()
    invitation_path = _link(mail.outbox[0].body, "/invitations/")
    client.logout()

    page = client.get(invitation_path)
    assert page.status_code == 200 and "Sign in to accept" in page.content.decode()
    response = client.post("/accounts/signup/?next=" + invitation_path, {
        "email": "newcomer@alpha.example", "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026", "next": invitation_path,
    })
    assert response.status_code == 302
    confirm = _link(mail.outbox[-1].body, "/accounts/confirm-email/")
    response = client.post(confirm)
    assert response["Location"] == invitation_path
    response = client.post(invitation_path)
    assert response.status_code == 302 and response["Location"] == org_a.get_absolute_url()
    assert Membership.objects.filter(organisation=org_a, user__email="newcomer@alpha.example").exists()
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED


def test_a_duplicate_invitation_shows_the_reason(client, org_a, admin_a):
    client.force_login(admin_a)
    client.post(f"/organisations/{org_a.slug}/members/invite/", {"email": "dup@alpha.example", "role": "member"})
    response = client.post(f"/organisations/{org_a.slug}/members/invite/", {"email": "dup@alpha.example", "role": "member"})
    assert response.status_code == 409
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(("change", "status", "text"), [
    ("revoke", 409, "withdrawn"),
    ("expire", 409, "expired"),
    ("tamper", 400, "not valid"),
])
def test_unusable_invitation_links_get_a_clear_page(client, org_a, admin_a, change, status, text):
    from datetime import timedelta

    from django.utils import timezone

    from stakeholders import selectors

    invitation = Invitation.objects.create(organisation=org_a, email="late@alpha.example", invited_by=admin_a)
    token = selectors.invitation_token(invitation)
    if change == "revoke":
        Invitation.objects.filter(pk=invitation.pk).update(status="revoked")
    elif change == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        token = token[:-1] + ("x" if token[-1] != "x" else "y")
    client.force_login(UserFactory(email="late@alpha.example"))
    for method in (client.get, client.post):
        response = method(f"/invitations/{token}/")
        assert response.status_code == status
        assert text in response.content.decode()
    assert not Membership.objects.filter(user__email="late@alpha.example").exists()


def test_wrong_account_sees_why_it_cannot_accept(client, org_a, admin_a, citizen):
    from stakeholders import selectors

    invitation = Invitation.objects.create(organisation=org_a, email="someone@alpha.example", invited_by=admin_a)
    client.force_login(citizen)
    path = f"/invitations/{selectors.invitation_token(invitation)}/"
    assert "another e-mail address" in client.get(path).content.decode()
    assert client.post(path).status_code == 403


def test_members_page_actions(client, org_a, admin_a, member_a):
    client.force_login(admin_a)
    membership = Membership.objects.get(user=member_a)
    client.post(f"/organisations/{org_a.slug}/members/{membership.pk}/handover/")
    assert dict(org_a.memberships.values_list("user__email", "role")) == {admin_a.email: "member", member_a.email: "admin"}
    # No longer an admin: the members page is gone for them.
    assert client.get(f"/organisations/{org_a.slug}/members/").status_code == 404


def test_the_last_admin_cannot_leave_through_the_page(client, org_a, admin_a):
    client.force_login(admin_a)
    membership = Membership.objects.get(user=admin_a)
    response = client.post(f"/memberships/{membership.pk}/leave/", follow=True)
    assert "last administrator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_member_chooses_visibility_and_leaves(client, org_a, member_a):
    client.force_login(member_a)
    membership = Membership.objects.get(user=member_a)
    client.post(f"/memberships/{membership.pk}/visibility/", {"is_public": "on"})
    assert member_a.full_name in client.get(org_a.get_absolute_url()).content.decode()
    client.post(f"/memberships/{membership.pk}/visibility/", {"is_public": ""})
    assert member_a.full_name not in client.get(org_a.get_absolute_url()).content.decode()
    client.post(f"/memberships/{membership.pk}/leave/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_my_organisations_lists_invitations_for_me(client, org_a, admin_a):
    person = UserFactory(email="colleague@example.org")
    Invitation.objects.create(organisation=org_a, email="colleague@example.org", invited_by=admin_a)
    client.force_login(person)
    page = client.get("/organisations/mine/").content.decode()
    assert "Invitations for you" in page and "/invitations/" in page


def test_directory_filters_and_empty_state(client):
    CityFactory(slug="rijeka", name="Rijeka")
    OrganisationFactory(name="Uni Research", kind="university", helix="academia", country="IT")
    OrganisationFactory(name="Kvarner Start", kind="startup", country="HR", verified=True)
    page = client.get("/organisations/", {"helix": "academia"}).content.decode()
    assert "Uni Research" in page and "Kvarner Start" not in page and "1 organisation" in page
    assert "Kvarner Start" in client.get("/organisations/", {"country": "HR", "kind": "startup"}).content.decode()
    rebuild_search_index()  # factories write rows directly, not through services
    empty = client.get("/organisations/", {"q": "nothing-like-this"})
    assert "No organisation matches these filters." in empty.content.decode()
    # Bad filter values are ignored gracefully, never a 500.
    assert client.get("/organisations/", {"helix": "martian", "page": "abc", "city": "nowhere"}).status_code == 200


@pytest.mark.parametrize("url", ["/organisations/", "/api/v1/organisations/"])
def test_directory_query_count_does_not_grow_with_rows(client, django_assert_num_queries, url):
    theme = ThemeFactory()
    city = CityFactory()

    def make(count):
        for _ in range(count):
            organisation = OrganisationFactory(city=city)
            organisation.themes.add(theme)

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    make(18)
    with django_assert_num_queries(len(two.captured_queries)):
        assert client.get(url).status_code == 200


def test_profile_query_count_does_not_grow_with_members(client, org_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        MembershipFactory(organisation=org_a, is_public=True)
    with CaptureQueriesContext(connection) as few:
        client.get(org_a.get_absolute_url())
    for _ in range(18):
        MembershipFactory(organisation=org_a, is_public=True)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(org_a.get_absolute_url())


def test_members_page_query_count_does_not_grow(client, org_a, admin_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_a)
    url = f"/organisations/{org_a.slug}/members/"

    def grow(count):
        for _ in range(count):
            MembershipFactory(organisation=org_a)
            Invitation.objects.create(organisation=org_a, email=f"{UserFactory.build().email}", invited_by=admin_a)

    grow(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(18)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_logo_can_be_cleared(client, org_a, admin_a):
    client.force_login(admin_a)
    base = {"name": org_a.name, "kind": "sme", "country": "HR"}
    client.post(f"/organisations/{org_a.slug}/edit/", {**base, "logo": SimpleUploadedFile("l.png", _png(), content_type="image/png")})
    org_a.refresh_from_db()
    assert org_a.logo
    assert 'class="logo"' in client.get(org_a.get_absolute_url()).content.decode()
    client.post(f"/organisations/{org_a.slug}/edit/", {**base, "logo-clear": "on"})
    org_a.refresh_from_db()
    assert not org_a.logo


def test_the_invitation_email_speaks_the_inviters_language(org_a, admin_a, django_capture_on_commit_callbacks):
    from stakeholders import services

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(organisation=org_a, actor=admin_a, email="x@alpha.example", role="admin")
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Administrator" in message.body and str(admin_a) in message.body
    assert "/invitations/" in html and "<a href=" in html


def test_directory_shows_the_helix_mix_of_the_results(client):
    OrganisationFactory(name="Uni", kind="university", helix="academia", country="IT")
    OrganisationFactory(name="Start", kind="startup", country="HR")
    OrganisationFactory(name="NGO", kind="ngo", helix="civil", country="HR")
    response = client.get("/organisations/", {"country": "HR", "helix": "civil"})
    counts = {row["value"]: row["count"] for row in response.context["helix_counts"]}
    # The helix filter itself is ignored so the other helices stay one click away.
    assert counts == {"industry": 1, "academia": 0, "public": 0, "civil": 1}
    selected = [row for row in response.context["helix_counts"] if row["selected"]]
    assert [row["value"] for row in selected] == ["civil"]
    assert "country=HR" in selected[0]["query"]


def test_the_helix_mix_is_counted_up_to_the_lists_cap(client, monkeypatch):
    """Each helix is counted only up to the cap of the list (here lowered to 3 rows), and the
    page says "more than" past it instead of counting the whole directory."""
    from stakeholders import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(views, "MAX_PAGES", 3)
    for number in range(5):
        OrganisationFactory(name=f"Start {number}", kind="startup")
    OrganisationFactory(name="Uni", kind="university", helix="academia")
    response = client.get("/organisations/")
    rows = {row["value"]: row for row in response.context["helix_counts"]}
    assert (rows["industry"]["count"], rows["industry"]["capped"]) == (3, True)
    assert (rows["academia"]["count"], rows["academia"]["capped"]) == (1, False)
    assert "more than 3" in response.content.decode()
