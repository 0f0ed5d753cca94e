"""The directory page and the API use the same number of queries for 2 and for 20 organisations
(each with themes, competences and a city): nothing is fetched per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stakeholders.models import Competence
from tests.factories import CityFactory, OrganisationFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_organisations(count):
    themes = [ThemeFactory() for _ in range(3)]
    competence, _ = Competence.objects.get_or_create(
        slug="internet-of-things", defaults={"name": "Internet of things"}
    )
    for number in range(count):
        organisation = OrganisationFactory(city=CityFactory(), verified=number % 2 == 0)
        organisation.themes.set(themes[: 1 + number % 3])
        organisation.competences.set([competence])


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries), response


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("path", ["/organisations/", "/api/v1/organisations/"])
def test_same_number_of_queries_for_2_and_20_organisations(client, path, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    make_organisations(2)
    client.get(path)  # warm caches that are filled once per process (content types, sites)
    queries_for_2, response = count_queries(client, path)
    listed = len(response.json()["results"]) if path.startswith("/api/") else response.context["page"].paginator.count
    assert listed == 2
    make_organisations(18)
    queries_for_20, response = count_queries(client, path)
    rows = response.json()["results"] if path.startswith("/api/") else list(response.context["page"])
    assert len(rows) == 20
    assert queries_for_20 == queries_for_2, f"{path}: {queries_for_2} queries for 2, {queries_for_20} for 20"


def test_api_rows_carry_themes_competences_and_city(client):
    make_organisations(2)
    row = client.get("/api/v1/organisations/").json()["results"][0]
    assert row["themes"] and row["competences"] == ["internet-of-things"] and row["city"]


def test_directory_cards_show_themes_and_city(client):
    make_organisations(2)
    html = client.get("/organisations/").content.decode()
    for organisation in client.get("/organisations/").context["page"]:
        assert organisation.city.name in html
        for theme in organisation.themes.all():
            assert theme.name in html


def test_fast_organisation_representation_equals_the_generic_one(rf, settings, tmp_path):
    """OrganisationSerializer writes rows directly for speed; the output must not change."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.request import Request
    from rest_framework.serializers import ModelSerializer

    from stakeholders.api.serializers import OrganisationSerializer
    from stakeholders.api.views import OrganisationViewSet
    from stakeholders.models import Organisation

    make_organisations(3)
    with_logo = Organisation.objects.first()
    with_logo.logo = SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
                                        content_type="image/gif")
    with_logo.employees = 12
    with_logo.website = "https://sensors.example"
    with_logo.save()
    OrganisationFactory(name="Nowhere Labs", city=None)  # no city, no themes
    request = Request(rf.get("/api/v1/organisations/"))
    view = OrganisationViewSet(request=request, format_kwarg=None)
    view.action = "list"
    rows = list(view.get_queryset())
    assert len(rows) == 4
    for context in [{"request": request}, {}]:
        fast = OrganisationSerializer(rows, many=True, context=context).data
        generic = [
            ModelSerializer.to_representation(OrganisationSerializer(context=context), row)
            for row in rows
        ]
        assert [dict(row) for row in fast] == [dict(row) for row in generic]
        assert [list(row) for row in fast] == [list(row) for row in generic]  # key order
    assert any(row["logo"] for row in fast) and any(row["city"] is None for row in fast)
