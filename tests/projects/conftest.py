"""A small world with every role of the projects permission matrix.

* ``editor``: ProjectMember (editor) of ``project`` and ``draft_project``.
* ``city_staff``: member of the public authority of ``city_x`` (a participant of
  ``programme``, where ``pilot`` runs).
* ``other_city_staff``: member of the authority of ``city_y``, another participant.
* ``mentor``: contact person of the mentorship of ``mentor_city`` for ``city_x``.
* ``citizen`` and ``staff`` come from tests/conftest.py.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

from projects.models import Phase, PhaseKind, ProgrammeCity, ProjectPartner
from stakeholders.models import Membership, OrganisationKind
from tests.browser.conftest import axe, browser, page, shot  # noqa: F401 (fixtures)
from tests.factories import CityFactory, MembershipFactory, OrganisationFactory, UserFactory

from .factories import (
    ActionFactory,
    FeedbackFactory,
    IndicatorFactory,
    MeasurementFactory,
    MentorshipFactory,
    PartnerFactory,
    PilotFactory,
    ProgrammeCityFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectMemberFactory,
    ResultFactory,
    RoadmapFactory,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _city_with_staff(name, slug, email):
    authority = OrganisationFactory(name=f"City of {name}", slug=f"city-of-{slug}",
                                    kind=OrganisationKind.MUNICIPALITY)
    city = CityFactory(name=name, slug=slug, authority=authority,
                       latitude=Decimal("45.3"), longitude=Decimal("14.4"))
    user = MembershipFactory(organisation=authority, role=Membership.Role.MEMBER,
                             user=UserFactory(email=email)).user
    return city, user


@dataclass
class World:
    project: object
    draft_project: object
    result: object
    pilot: object
    draft_pilot: object
    feedback: object
    programme: object
    city_x: object
    city_y: object
    mentor_city: object
    roadmap_x: object
    roadmap_y: object
    action_x: object
    indicator_x: object
    editor: object
    city_staff: object
    other_city_staff: object
    mentor: object
    citizen: object
    staff: object
    coordinator: object


@pytest.fixture
def world(db, citizen, staff):
    city_x, city_staff = _city_with_staff("Xanten", "xanten", "staff@xanten.example")
    city_y, other_city_staff = _city_with_staff("Ypres", "ypres", "staff@ypres.example")
    mentor_city, _ = _city_with_staff("Mentorburg", "mentorburg", "staff@mentorburg.example")
    mentor = UserFactory(email="mentor@mentorburg.example")
    editor = UserFactory(email="editor@project.example")

    coordinator = OrganisationFactory(name="Coordinating Cluster", slug="coordinating-cluster",
                                      kind=OrganisationKind.CLUSTER)
    project = ProjectFactory(acronym="URBAN INNO", slug="urban-inno")
    PartnerFactory(project=project, organisation=coordinator, role=ProjectPartner.Role.COORDINATOR)
    PartnerFactory(project=project, organisation=OrganisationFactory(kind=OrganisationKind.UNIVERSITY))
    ProjectMemberFactory(project=project, user=editor)
    draft_project = ProjectFactory(acronym="SECRET", slug="secret", status="draft")
    ProjectMemberFactory(project=draft_project, user=editor)
    result = ResultFactory(project=project)

    pilot = PilotFactory(project=project, city=city_x, slug="xanten-ebikes", title="eBikes")
    draft_pilot = PilotFactory(project=draft_project, city=city_x, slug="xanten-secret")
    feedback = FeedbackFactory(pilot=pilot, author=citizen)

    programme = ProgrammeFactory(name="Intelligent Cities Challenge", slug="icc")
    for kind, start, end in [(PhaseKind.ASSESSMENT, "2020-09-28", "2021-01-31"),
                             (PhaseKind.VISION, "2021-02-01", "2021-06-30"),
                             (PhaseKind.IMPLEMENTATION, "2021-07-01", "2022-06-30"),
                             (PhaseKind.MEASUREMENT, "2022-07-01", "2022-09-28")]:
        Phase.objects.create(programme=programme, kind=kind, start_date=start, end_date=end)
    ProgrammeCityFactory(programme=programme, city=city_x)
    ProgrammeCityFactory(programme=programme, city=city_y)
    ProgrammeCityFactory(programme=programme, city=mentor_city, role=ProgrammeCity.Role.MENTOR)
    mentorship = MentorshipFactory(programme=programme, mentor_city=mentor_city)
    mentorship.participants.add(city_x)
    mentorship.contacts.add(mentor)
    roadmap_x = RoadmapFactory(programme=programme, city=city_x)
    roadmap_y = RoadmapFactory(programme=programme, city=city_y)
    action_x = ActionFactory(roadmap=roadmap_x)
    ActionFactory(roadmap=roadmap_y)
    indicator_x = IndicatorFactory(roadmap=roadmap_x)
    MeasurementFactory(indicator=indicator_x)
    IndicatorFactory(roadmap=roadmap_y)
    return World(
        project=project, draft_project=draft_project, result=result, pilot=pilot,
        draft_pilot=draft_pilot, feedback=feedback, programme=programme, city_x=city_x,
        city_y=city_y, mentor_city=mentor_city, roadmap_x=roadmap_x, roadmap_y=roadmap_y,
        action_x=action_x, indicator_x=indicator_x, editor=editor, city_staff=city_staff,
        other_city_staff=other_city_staff, mentor=mentor, citizen=citizen, staff=staff,
        coordinator=coordinator,
    )


ROLES = ["anonymous", "citizen", "editor", "city_staff", "other_city_staff", "mentor", "staff"]


def user_for(world, role):
    return None if role == "anonymous" else getattr(world, role)
