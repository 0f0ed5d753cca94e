"""A consortium's suggested partners: per missing helix, verified and not opted out, with
reasons; one-click contact through the portal, no e-mail address disclosed."""

import json

import pytest

from ecosystem.notifications.models import Notification
from projects.matching import partner_suggestions
from stakeholders.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.projects.factories import PartnerFactory, ProjectFactory, ProjectMemberFactory


@pytest.fixture
def project(world):
    project = ProjectFactory(acronym="AIRMOB", slug="airmob", title="Air quality and mobility",
                             summary="Sensors for air quality and cycling mobility in Rijeka.")
    project.themes.set([world.mobility])
    PartnerFactory(project=project, organisation=world.sme, role="coordinator")
    PartnerFactory(project=project, organisation=world.buyer)
    return project


@pytest.fixture
def editor(project):
    return ProjectMemberFactory(project=project, user=UserFactory(email="lead@airmob.example")).user


def test_suggestions_fill_each_missing_helix_and_obey_the_hard_rules(world, project):
    found = partner_suggestions(project=project)
    assert set(found) == {"academia", "civil"}
    civil = [item.candidate.id for item in found["civil"]]
    assert civil == [world.ngo.pk]  # not the unverified one, not the opted-out one
    reasons = found["civil"][0].reasons
    assert {"code": "helix_missing", "params": {"helix": "civil"}, "signal": "helix"} in reasons
    assert any(r["code"] == "themes" and r["params"]["themes"] == ["Mobility"] for r in reasons)


def test_project_page_shows_suggestions_to_the_team_only(client, world, project, editor):
    client.force_login(editor)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Suggested partners" in page and "Zelena Rijeka" in page
    assert "Your consortium has no civil-society partner yet" in page
    client.force_login(world.large_member)
    assert "Suggested partners" not in client.get(project.get_absolute_url()).content.decode()


def test_contact_tells_the_partners_admins_once_without_disclosing_addresses(
        client, api, world, project, editor):
    admin = MembershipFactory(organisation=world.ngo, role=Membership.Role.ADMIN,
                              user=UserFactory(email="admin@zelena.example")).user
    client.force_login(editor)
    url = f"/projects/{project.slug}/partners/{world.ngo.pk}/contact/"
    assert client.post(url).status_code == 302
    client.post(url)
    told = Notification.objects.filter(kind="projects.partner_contact")
    assert list(told.values_list("recipient", flat=True)) == [admin.pk]  # admins only, once
    assert "lead@airmob.example" not in told[0].body + told[0].subject
    # Through the API too; an opted-out organisation cannot be contacted.
    api.force_authenticate(editor)
    response = api.post(f"/api/v1/projects/{project.slug}/partner-suggestions/"
                        f"{world.opted_out.pk}/contact/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_contactable"


def test_partner_suggestions_api(api, world, project, editor):
    url = f"/api/v1/projects/{project.slug}/partner-suggestions/"
    assert api.get(url).status_code in (401, 403)
    api.force_authenticate(world.large_member)  # not in the team
    assert api.get(url).status_code == 404
    api.force_authenticate(editor)
    body = api.get(url).json()
    civil = next(group for group in body if group["helix"] == "civil")
    assert civil["partners"][0]["organisation_id"] == world.ngo.pk
    assert "Your consortium has no civil-society partner yet" in [
        r["text"] for r in civil["partners"][0]["reasons"]]
    assert "@" not in json.dumps(body)
