"""List pages and list endpoints run the same number of queries for 2 and 20 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.models import Theme
from projects.models import Measurement, PilotIndicator, Programme
from stakeholders.models import OrganisationKind
from tests.factories import CityFactory, OrganisationFactory, ThemeFactory

from .factories import (
    ActionFactory,
    IndicatorFactory,
    PartnerFactory,
    PilotFactory,
    ProgrammeCityFactory,
    ProgrammeFactory,
    ProjectFactory,
    ResultFactory,
    RoadmapFactory,
)

pytestmark = pytest.mark.django_db

KINDS = [OrganisationKind.SME, OrganisationKind.UNIVERSITY, OrganisationKind.MUNICIPALITY,
         OrganisationKind.NGO]


def _projects(count):
    themes = [ThemeFactory(), ThemeFactory()]
    for number in range(count):
        project = ProjectFactory()
        project.themes.set(themes)
        for kind in KINDS[: 1 + number % 4]:
            PartnerFactory(project=project, organisation=OrganisationFactory(kind=kind))
        ResultFactory(project=project)
        PilotFactory(project=project)


def _pilots(count):
    theme = ThemeFactory()
    city = CityFactory()
    for number in range(count):
        pilot = PilotFactory(city=city, project=ProjectFactory() if number % 2 else None)
        pilot.themes.add(theme)
        PilotIndicator.objects.create(pilot=pilot, name="Users", value=3)


def _programmes(count):
    for _ in range(count):
        programme = ProgrammeFactory()
        programme.themes.add(ThemeFactory())
        for _city in range(2):
            ProgrammeCityFactory(programme=programme)


def _roadmaps(count):
    programme = Programme.objects.filter(slug="icc").first() or ProgrammeFactory(slug="icc")
    for _ in range(count):
        roadmap = RoadmapFactory(programme=programme)
        ActionFactory(roadmap=roadmap)
        indicator = IndicatorFactory(roadmap=roadmap)
        Measurement.objects.create(indicator=indicator, date="2021-06-30", value=3)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


CASES = [
    ("/projects/", _projects),
    ("/api/v1/projects/", _projects),
    ("/pilots/map/", _pilots),
    ("/api/v1/pilots/", _pilots),
    ("/api/v1/pilots/geojson/", _pilots),
    ("/api/v1/pilots/?format=geojson", _pilots),
    ("/programmes/", _programmes),
    ("/api/v1/programmes/", _programmes),
    ("/programmes/icc/", _roadmaps),
    ("/api/v1/programmes/icc/cities/", _roadmaps),
    ("/api/v1/programmes/icc/indicators/open-datasets/", _roadmaps),
]


@pytest.mark.parametrize("url, make", CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_same_number_of_queries_for_2_and_20_rows(client, citizen, url, make, who,
                                                  django_assert_num_queries):
    if who == "citizen":
        client.force_login(citizen)
    make(2)
    client.get(url)  # warm the process-wide caches (content types), as a running portal has
    small = _count(client, url)
    make(18)
    with django_assert_num_queries(small):
        client.get(url)


def test_project_detail_does_not_grow_with_partners(client):
    project = ProjectFactory()
    for kind in KINDS:
        PartnerFactory(project=project, organisation=OrganisationFactory(kind=kind))
    ResultFactory(project=project)
    small = _count(client, project.get_absolute_url())
    for _ in range(15):
        PartnerFactory(project=project, organisation=OrganisationFactory())
        ResultFactory(project=project)
        PilotFactory(project=project)
    assert _count(client, project.get_absolute_url()) == small


def test_city_dashboard_does_not_grow_with_actions_and_indicators(client):
    roadmap = RoadmapFactory(programme=ProgrammeFactory(slug="icc"))
    theme = Theme.objects.create(name="Open data", slug="open-data", group="city")
    ActionFactory(roadmap=roadmap).themes.add(theme)
    IndicatorFactory(roadmap=roadmap, code="a")
    url = f"/programmes/icc/cities/{roadmap.city.slug}/"
    small = _count(client, url)
    for number in range(10):
        ActionFactory(roadmap=roadmap).themes.add(theme)
        indicator = IndicatorFactory(roadmap=roadmap, code=f"code-{number}")
        Measurement.objects.create(indicator=indicator, date="2021-06-30", value=3)
    assert _count(client, url) == small


def test_pilot_page_does_not_grow_with_feedback_and_news(client, citizen):
    from projects.models import PilotUpdate

    from .factories import FeedbackFactory

    pilot = PilotFactory()
    FeedbackFactory(pilot=pilot, status="published", latitude=49, longitude=8)
    PilotUpdate.objects.create(pilot=pilot, title="News", body="Text")
    client.force_login(citizen)
    _count(client, pilot.get_absolute_url())  # warm the content-type cache
    small = _count(client, pilot.get_absolute_url())
    for _ in range(15):
        FeedbackFactory(pilot=pilot, status="published", latitude=49, longitude=8)
        FeedbackFactory(pilot=pilot, author=citizen)
        PilotUpdate.objects.create(pilot=pilot, title="News", body="Text")
    assert _count(client, pilot.get_absolute_url()) == small


def test_moderation_queue_does_not_grow(client, staff):
    from .factories import FeedbackFactory

    FeedbackFactory.create_batch(2)
    client.force_login(staff)
    small = _count(client, "/pilots/feedback/moderation/")
    FeedbackFactory.create_batch(18)
    assert _count(client, "/pilots/feedback/moderation/") == small
