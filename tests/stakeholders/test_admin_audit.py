"""Membership edits made by staff in the admin are on the organisation's audit trail."""

import pytest
from django.test import Client

from ecosystem.models import AuditEntry
from stakeholders.models import Membership
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_adding_changing_and_deleting_a_membership_in_the_admin_is_audited(
        staff_client, org_a, admin_a):
    colleague = UserFactory(email="new.colleague@alpha.example")
    response = staff_client.post("/admin/stakeholders/membership/add/", {
        "user": colleague.pk, "organisation": org_a.pk, "role": "member",
        "created_at_0": "2026-12-01", "created_at_1": "10:00:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=colleague, organisation=org_a)
    staff_client.post(f"/admin/stakeholders/membership/{membership.pk}/change/", {
        "user": colleague.pk, "organisation": org_a.pk, "role": "admin", "is_public": "on",
        "created_at_0": "2026-12-01", "created_at_1": "10:00:00"})
    staff_client.post(f"/admin/stakeholders/membership/{membership.pk}/delete/", {"post": "yes"})
    entries = list(AuditEntry.objects.filter(action__startswith="stakeholders.membership.")
                   .order_by("id").values_list("action", "changes"))
    assert [action for action, _ in entries] == [
        "stakeholders.membership.added", "stakeholders.membership.changed",
        "stakeholders.membership.deleted"]
    assert {"is_public", "role"} <= set(entries[1][1]["fields"])
    assert all(changes["user"] == colleague.pk for _, changes in entries)
