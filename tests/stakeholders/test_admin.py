"""The web admin is the staff's main tool: every page opens, verification is audited."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from ecosystem.models import AuditEntry
from stakeholders.models import City, Competence, Invitation, Membership, Organisation
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root@city.example", "pass-word-123")


@pytest.mark.parametrize("model", [Organisation, Membership, Invitation, City, Competence])
def test_every_model_is_registered(model):
    assert model in site._registry


@pytest.mark.parametrize("model", [Organisation, Membership, Invitation, City, Competence])
def test_changelists_search_and_filters_open(client, superuser, org_a, admin_a, model):
    CityFactory()
    Invitation.objects.create(organisation=org_a, email="x@example.org")
    client.force_login(superuser)
    url = reverse(f"admin:stakeholders_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "alpha"}).status_code == 200


def test_organisation_change_page_with_inlines(client, superuser, org_a, admin_a):
    client.force_login(superuser)
    response = client.get(reverse("admin:stakeholders_organisation_change", args=[org_a.pk]))
    assert response.status_code == 200
    assert str(admin_a) in response.content.decode()


@pytest.mark.parametrize(("action", "verified", "audit_action"), [
    ("verify", True, "stakeholders.organisation.verified"),
    ("unverify", False, "stakeholders.organisation.unverified"),
])
def test_verify_actions_go_through_the_service(client, superuser, org_a, org_b, action, verified, audit_action):
    Organisation.objects.update(verified=not verified)
    client.force_login(superuser)
    response = client.post(reverse("admin:stakeholders_organisation_changelist"),
                           {"action": action, "_selected_action": [org_a.pk, org_b.pk]})
    assert response.status_code == 302
    assert set(Organisation.objects.values_list("verified", flat=True)) == {verified}
    assert AuditEntry.objects.filter(action=audit_action, actor=superuser).count() == 2


def test_csv_export(client, superuser, org_a):
    client.force_login(superuser)
    response = client.post(reverse("admin:stakeholders_organisation_changelist"),
                           {"action": "export_csv", "_selected_action": [org_a.pk]})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Alpha Sensors" in content.splitlines()[1]


def test_audit_trail_is_read_only(client, superuser, org_a, staff):
    from stakeholders import services

    services.organisation_verify(organisation=org_a, actor=staff)
    entry = AuditEntry.objects.get()
    client.force_login(superuser)
    changelist = reverse("admin:ecosystem_auditentry_changelist")
    page = client.get(changelist, {"action": "stakeholders.organisation.verified"})
    assert page.status_code == 200 and "stakeholders.organisation.verified" in page.content.decode()
    assert client.get(reverse("admin:ecosystem_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:ecosystem_auditentry_delete", args=[entry.pk])).status_code == 403
    detail = client.get(reverse("admin:ecosystem_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200 and 'name="action"' not in detail.content.decode()
    client.post(reverse("admin:ecosystem_auditentry_change", args=[entry.pk]), {"action": "forged"})
    client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert entry.action == "stakeholders.organisation.verified"


def test_people_admin_uses_the_email(client, superuser):
    from django.contrib.auth import get_user_model

    client.force_login(superuser)
    assert client.get(reverse("admin:ecosystem_user_changelist"), {"q": "root"}).status_code == 200
    assert client.get(reverse("admin:ecosystem_user_change", args=[superuser.pk])).status_code == 200
    response = client.post(reverse("admin:ecosystem_user_add"), {
        "email": "evaluator@city.example", "usable_password": "true",
        "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_user_model().objects.get(email="evaluator@city.example").check_password("a-long-passphrase-2026")


def test_theme_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:ecosystem_theme_add"),
                           {"name_en": "Water management", "name_hr": "Upravljanje vodama",
                            "slug": "water-management", "group": "city"})
    assert response.status_code == 302
    from ecosystem.models import Theme

    assert Theme.objects.get(slug="water-management").name_hr == "Upravljanje vodama"
    assert client.get(reverse("admin:ecosystem_theme_changelist"), {"group": "city"}).status_code == 200


def test_staff_cannot_remove_the_last_admin_in_the_admin(client, superuser, org_a, admin_a, member_a):
    client.force_login(superuser)
    admin_membership = Membership.objects.get(user=admin_a)
    # Demoting the only admin on the membership page is refused.
    response = client.post(reverse("admin:stakeholders_membership_change", args=[admin_membership.pk]), {
        "user": admin_a.pk, "organisation": org_a.pk, "role": "member",
        "created_at_0": "2026-01-01", "created_at_1": "10:00:00",
    })
    assert response.status_code == 200 and "at least one administrator" in response.content.decode()
    # Deleting it is shown as protected, and nothing is deleted.
    response = client.post(reverse("admin:stakeholders_membership_changelist"), {
        "action": "delete_selected", "_selected_action": [admin_membership.pk], "post": "yes"})
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    # A member can be deleted.
    member_membership = Membership.objects.get(user=member_a)
    client.post(reverse("admin:stakeholders_membership_changelist"), {
        "action": "delete_selected", "_selected_action": [member_membership.pk], "post": "yes"})
    assert not Membership.objects.filter(pk=member_membership.pk).exists()
    assert Membership.objects.get(pk=admin_membership.pk).role == "admin"


def test_invitation_actions_go_through_the_services(client, superuser, org_a, admin_a, django_capture_on_commit_callbacks):
    from django.core import mail

    pending = Invitation.objects.create(organisation=org_a, email="a@example.org", invited_by=admin_a)
    client.force_login(superuser)
    url = reverse("admin:stakeholders_invitation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "resend", "_selected_action": [pending.pk]})
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    client.post(url, {"action": "revoke", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == "revoked"
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "stakeholders.invitation.resent", "stakeholders.invitation.revoked"}
    assert client.get(reverse("admin:stakeholders_invitation_add")).status_code == 403
