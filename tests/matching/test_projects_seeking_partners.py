"""Projects looking for partners as recommendations: who they reach, why, and answering them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ecosystem.matching.models import Recommendation
from ecosystem.matching.reasons import render_all
from ecosystem.matching.selectors import recommendations_for
from ecosystem.matching.services import recommendations_refresh
from ecosystem.notifications.models import Notification
from projects import services
from projects.models import Project
from projects.selectors import projects_looking_for_partners
from stakeholders.models import Helix
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _rows(organisation):
    return list(Recommendation.objects.filter(organisation=organisation, kind="project"))


def _refresh(world):
    recommendations_refresh(organisation_ids=[world.sme.pk, world.large.pk, world.ngo.pk,
                                              world.health_only.pk])


def test_a_project_reaches_the_helix_it_looks_for_and_says_why(world, seeking):
    _refresh(world)
    rows = _rows(world.ngo)
    assert [row.target_id for row in rows] == [seeking.pk]
    reasons = render_all(rows[0].reasons)
    assert "Looks for a civil-society partner like you" in reasons
    assert "Shares Mobility with you" in reasons
    # The hard rule: a project that names civil society never reaches industry.
    assert not _rows(world.large)
    # Its own partners are never told of it.
    assert not _rows(world.sme)


def test_a_project_naming_no_helix_seeks_those_its_consortium_lacks(world, seeking):
    seeking.partner_helices_wanted = []
    seeking.save()
    seeking.themes.add(world.energy)
    _refresh(world)
    large = _rows(world.large)
    assert large, "an industry partner sharing a theme is still welcome when no helix is named"
    ngo = _rows(world.ngo)
    assert ("seeks_helix", {"helix": "civil"}) in [
        (reason["code"], reason["params"]) for reason in ngo[0].reasons]
    # Industry is the coordinator's helix: the consortium does not lack it.
    assert not any(reason["code"] == "seeks_helix" for reason in large[0].reasons)


@pytest.mark.parametrize("change", [
    {"status": Project.Status.DRAFT},
    {"status": Project.Status.COMPLETED},
    {"partners_wanted": ""},
    {"partners_wanted_until": "past"},
])
def test_a_project_not_looking_is_never_recommended(world, seeking, change):
    if change.get("partners_wanted_until") == "past":
        change = {"partners_wanted_until": timezone.localdate() - timedelta(days=1)}
    Project.objects.filter(pk=seeking.pk).update(**change)
    _refresh(world)
    assert not Recommendation.objects.filter(kind="project").exists()


def test_a_row_stored_before_the_call_closed_is_not_shown(world, seeking):
    _refresh(world)
    assert recommendations_for(viewer=world.ngo_member, kinds=["project"])
    Project.objects.filter(pk=seeking.pk).update(
        partners_wanted_until=timezone.localdate() - timedelta(days=1))
    assert not recommendations_for(viewer=world.ngo_member, kinds=["project"])


def test_editing_the_call_for_partners_refreshes_who_it_reaches(
        world, seeking, django_capture_on_commit_callbacks):
    _refresh(world)
    assert _rows(world.ngo)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(project=seeking, actor=world.team, partners_wanted="")
    assert not Recommendation.objects.filter(kind="project", target_id=seeking.pk).exists()


def test_answering_tells_the_team_once_through_the_portal(world, seeking):
    told = services.project_partner_interest(project=seeking, organisation=world.ngo,
                                             actor=world.ngo_member, message="We can help.")
    assert told == 1
    again = services.project_partner_interest(project=seeking, organisation=world.ngo,
                                              actor=world.ngo_member)
    assert again == 0
    notification = Notification.objects.get(kind="projects.partner_interest")
    assert notification.recipient == world.team
    assert notification.context["organisation"] == "Zelena Rijeka"
    assert "iva@zelena.example" not in str(notification.context)


def test_only_an_organisation_it_looks_for_may_answer(world, seeking):
    from ecosystem.errors import DomainError

    with pytest.raises(DomainError):  # not a member of the organisation it answers for
        services.project_partner_interest(project=seeking, organisation=world.ngo,
                                          actor=world.member)
    with pytest.raises(DomainError):  # industry, where civil society is sought
        services.project_partner_interest(project=seeking, organisation=world.large,
                                          actor=world.large_member)
    with pytest.raises(DomainError):  # already a partner
        services.project_partner_interest(project=seeking, organisation=world.sme,
                                          actor=world.member)
    assert not Notification.objects.filter(kind="projects.partner_interest").exists()


def test_the_project_page_offers_the_answer_to_those_who_may_give_it(world, seeking):
    client = Client()
    page = client.get(seeking.get_absolute_url()).content.decode()
    assert "Looking for partners" in page and "Sign in to answer" in page
    client.force_login(world.ngo_member)
    page = client.get(seeking.get_absolute_url()).content.decode()
    assert "Tell the consortium you are interested" in page
    response = client.post(f"/projects/{seeking.slug}/call-for-partners/answer/",
                           {"organisation": world.ngo.pk, "message": "Hello"})
    assert response.status_code == 302
    assert Notification.objects.filter(kind="projects.partner_interest").count() == 1
    # An organisation of another helix sees the call but no form.
    other = Client()
    other.force_login(world.large_member)
    page = other.get(seeking.get_absolute_url()).content.decode()
    assert "Looking for partners" in page
    assert "Tell the consortium you are interested" not in page
    # Someone else's organisation cannot be named.
    stranger = UserFactory()
    MembershipFactory(organisation=OrganisationFactory(helix=Helix.CIVIL), user=stranger)
    other.force_login(stranger)
    other.post(f"/projects/{seeking.slug}/call-for-partners/answer/",
               {"organisation": world.ngo.pk})
    assert Notification.objects.filter(kind="projects.partner_interest").count() == 1


def test_the_api_reads_and_writes_the_call_for_partners(world, seeking, api):
    body = api.get(f"/api/v1/projects/{seeking.slug}/").json()
    assert body["looks_for_partners"] is True
    assert body["partner_helices_wanted"] == ["civil"]
    api.force_authenticate(world.team)
    response = api.patch(f"/api/v1/projects/{seeking.slug}/",
                         {"partner_helices_wanted": ["academia", "civil"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["partner_helices_wanted"] == ["academia", "civil"]
    wrong = api.patch(f"/api/v1/projects/{seeking.slug}/",
                      {"partner_helices_wanted": ["everyone"]}, format="json")
    assert wrong.status_code == 400


def test_the_team_writes_the_call_for_partners_on_the_edit_page(world, seeking):
    client = Client()
    client.force_login(world.team)
    until = timezone.localdate() + timedelta(days=30)
    response = client.post(f"/projects/{seeking.slug}/edit/", {
        "acronym": seeking.acronym, "title": seeking.title, "summary": seeking.summary,
        "funding_programme": seeking.funding_programme, "themes": [world.mobility.pk],
        "partners_wanted": "A university to evaluate the pilot.",
        "partner_helices_wanted": ["academia", "civil"],
        "partners_wanted_until": until.isoformat(),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    seeking.refresh_from_db()
    assert seeking.partners_wanted == "A university to evaluate the pilot."
    assert seeking.partner_helices_wanted == ["academia", "civil"]
    assert seeking.partners_wanted_until == until
    assert seeking.looks_for_partners
    # Cleared, the project no longer looks.
    client.post(f"/projects/{seeking.slug}/edit/", {
        "acronym": seeking.acronym, "title": seeking.title,
        "funding_programme": seeking.funding_programme, "partners_wanted": ""})
    seeking.refresh_from_db()
    assert not seeking.looks_for_partners
    assert not projects_looking_for_partners().filter(pk=seeking.pk).exists()
