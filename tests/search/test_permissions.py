"""Only what the viewer may open: drafts, unpublished calls and events, draft projects never
appear for anyone who could not open them, in the search, the suggestions and the lists."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ecosystem.search import selectors
from events.models import Event
from projects.models import Project
from tests.events.factories import EventFactory
from tests.procurement.factories import CallFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(indexed, org_a, admin_b):
    call = CallFactory(title="Hydrogen buses draft call", buyer=org_a)
    event = EventFactory(title="Hydrogen summit draft", publication=Event.Publication.DRAFT,
                         published_at=None)
    event.organisers.add(org_a)
    project = ProjectFactory(acronym="", title="Hydrogen valley draft", status=Project.Status.DRAFT)
    published = CallFactory(title="Hydrogen refuelling open call", buyer=org_a, status="published")
    indexed(call, event, project, published)
    return call, event, project, published


def visible_titles(viewer):
    return sorted(hit.title for hit in selectors.search(viewer=viewer, query="hydrogen").hits)


def test_matrix_of_who_finds_the_drafts(drafts, citizen, member_a, admin_a, admin_b, staff):
    public = ["Hydrogen refuelling open call"]
    assert visible_titles(AnonymousUser()) == public
    assert visible_titles(citizen) == public
    assert visible_titles(admin_b) == public                          # another organisation
    assert visible_titles(member_a) == sorted(public + ["Hydrogen buses draft call"])  # buyer
    assert visible_titles(admin_a) == sorted(public + ["Hydrogen buses draft call",
                                                       "Hydrogen summit draft"])  # organiser
    assert visible_titles(staff) == sorted(public + ["Hydrogen buses draft call",
                                                     "Hydrogen summit draft",
                                                     "Hydrogen valley draft"])


def test_facets_and_suggestions_never_count_what_the_viewer_cannot_open(drafts, citizen):
    result = selectors.search(viewer=citizen, query="hydrogen")
    assert result.total == 1
    assert {f.value: f.count for f in result.facets["kind"]} == {"procurement.call": 1}
    assert [hit.title for hit in selectors.suggest(viewer=citizen, query="hydro")] == [
        "Hydrogen refuelling open call"]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "admin_b"])
def test_the_web_page_the_api_and_the_list_filter_agree(drafts, client, api, who, request):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    if user:
        client.force_login(user)
        api.force_authenticate(user)
    page = client.get("/search/", {"q": "hydrogen"}).content.decode()
    assert "refuelling open call" in page
    assert "buses draft call" not in page and "summit draft" not in page
    body = api.get("/api/v1/search/", {"q": "hydrogen"}).json()
    assert [row["title"] for row in body["results"]] == ["Hydrogen refuelling open call"]
    suggestions = client.get("/search/suggestions/", {"q": "hydrog"}).json()["results"]
    assert [row["title"] for row in suggestions] == ["Hydrogen refuelling open call"]
    calls = client.get("/calls/", {"q": "hydrogen"}).content.decode()
    assert "Hydrogen refuelling open call" in calls and "buses draft call" not in calls


def test_cooperation_offers_only_for_participants_and_hidden_ones_never(
        indexed, citizen, staff, django_capture_on_commit_callbacks):
    from events import services as event_services
    from tests.events.factories import ProfileFactory, RegistrationFactory

    offer = indexed(ProfileFactory(title="Hydrogen storage offer"))
    participant = RegistrationFactory(event=offer.event).user
    RegistrationFactory(event=offer.event, user=offer.user)
    assert visible_titles(citizen) == []
    assert visible_titles(participant) == ["Hydrogen storage offer"]
    assert visible_titles(staff) == ["Hydrogen storage offer"]
    with django_capture_on_commit_callbacks(execute=True):
        event_services.profile_save(event=offer.event, user=offer.user, profile=offer,
                                    is_active=False)
    assert visible_titles(participant) == [] and visible_titles(staff) == []


def test_project_results_follow_their_projects_visibility(indexed, citizen, staff):
    from tests.projects.factories import ResultFactory

    indexed(ResultFactory(title="Hydrogen buses tested", project__status=Project.Status.ONGOING),
            ResultFactory(title="Hydrogen secret result", project__status=Project.Status.DRAFT))
    assert visible_titles(citizen) == ["Hydrogen buses tested"]
    assert visible_titles(staff) == ["Hydrogen buses tested", "Hydrogen secret result"]


def test_each_document_stores_whether_anonymous_visitors_may_open_it(drafts):
    from ecosystem.search.models import SearchDocument

    flags = dict(SearchDocument.objects.values_list("title", "public"))
    assert flags == {"Hydrogen buses draft call": False, "Hydrogen summit draft": False,
                     "Hydrogen valley draft": False, "Hydrogen refuelling open call": True}


def test_the_public_flag_follows_a_publication_and_a_withdrawal(
        indexed, staff, django_capture_on_commit_callbacks):
    from projects import services as project_services
    from tests.projects.factories import ResultFactory

    result = indexed(ResultFactory(title="Hydrogen ferry result",
                                   project__status=Project.Status.DRAFT))
    assert visible_titles(AnonymousUser()) == []
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_set_status(project=result.project, actor=staff,
                                            status=Project.Status.ONGOING)
    assert visible_titles(AnonymousUser()) == ["Hydrogen ferry result"]
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_set_status(project=result.project, actor=staff,
                                            status=Project.Status.DRAFT)
    assert visible_titles(AnonymousUser()) == [] and visible_titles(staff) == [
        "Hydrogen ferry result"]


def test_refresh_visibility_repairs_flags_of_documents_indexed_before_the_flag(drafts):
    from ecosystem.search import index
    from ecosystem.search.models import SearchDocument

    SearchDocument.objects.update(public=False)  # as the migration finds the old index
    assert visible_titles(AnonymousUser()) == []
    assert index.refresh_visibility() == 1
    assert visible_titles(AnonymousUser()) == ["Hydrogen refuelling open call"]
