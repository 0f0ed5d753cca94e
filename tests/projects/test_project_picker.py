"""The pilot map's project filter is an autocomplete: no <option> per project, a JSON endpoint
for the suggestions that shows only visible projects, and a form that works without JavaScript."""

import re

import pytest

from projects.models import Project

from .factories import PilotFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_pilot_map_renders_no_choice_per_project(client):
    for number in range(30):
        ProjectFactory(acronym=f"MANY{number}", slug=f"many-{number}")
    html = client.get("/pilots/map/").content.decode()
    assert "many-7" not in html and "MANY7" not in html
    field = re.search(r'<input[^>]*name="project"[^>]*>', html).group(0)
    assert 'data-autocomplete="/projects/suggest/"' in field
    assert "/static/ecosystem/autocomplete.js" in html


def test_without_javascript_the_acronym_or_the_slug_filters(client):
    air = ProjectFactory(acronym="CleanAir", slug="clean-air")
    PilotFactory(project=air, title="Air sensors")
    PilotFactory(project=ProjectFactory(acronym="Bikes"), title="Bike lanes")
    for value in ("cleanair", "clean-air"):
        response = client.get("/pilots/map/", {"project": value})
        assert [pilot.title for pilot in response.context["page"]] == ["Air sensors"], value
        assert 'value="CleanAir"' in response.content.decode()  # shown by its acronym


def test_ambiguous_project_is_a_form_error_unknown_or_hidden_matches_nothing(client):
    ProjectFactory(acronym="Twin", slug="twin-1")
    ProjectFactory(acronym="Twin", slug="twin-2")
    ProjectFactory(acronym="Secret", slug="secret", status=Project.Status.DRAFT)
    PilotFactory(project=ProjectFactory(acronym="Open", slug="open"))  # listed without a filter
    ambiguous = client.get("/pilots/map/", {"project": "twin"})
    assert ambiguous.status_code == 200
    assert "Several projects have this acronym" in ambiguous.content.decode()
    assert client.get("/pilots/map/", {"project": "twin-2"}).context["filter"].is_valid()
    assert client.get("/pilots/map/").context["filter"].qs.exists()
    # As every reference filter (the API contract): a project nobody may see, or none, is
    # an empty list, not an error, and never a 500.
    for value in ("nowhere", "secret"):
        response = client.get("/pilots/map/", {"project": value})
        assert response.status_code == 200
        assert response.context["filter"].is_valid(), value
        assert not response.context["filter"].qs.exists(), value


def test_suggestions_match_the_acronym_first_then_the_title_and_hide_drafts(client):
    ProjectFactory(acronym="GreenGrid", slug="greengrid", title="Storage for the grid")
    ProjectFactory(acronym="Mobility", slug="mobility", title="Green corridors")
    ProjectFactory(acronym="GreenDraft", slug="greendraft", status=Project.Status.DRAFT)
    results = client.get("/projects/suggest/", {"q": "gre"}).json()["results"]
    assert [row["value"] for row in results] == ["greengrid", "mobility"]
    assert results[0] == {"value": "greengrid", "label": "GreenGrid",
                          "detail": "Storage for the grid"}


def test_suggestions_need_two_letters_and_are_bounded(client):
    for number in range(15):
        ProjectFactory(acronym=f"Solar{number:02d}")
    assert client.get("/projects/suggest/", {"q": "s"}).json() == {"results": []}
    assert len(client.get("/projects/suggest/", {"q": "solar"}).json()["results"]) == 10
