"""Factories of the projects app."""

from datetime import date
from decimal import Decimal

import factory

from projects.models import (
    Action,
    ExpectedResult,
    Feedback,
    Indicator,
    Measurement,
    Mentorship,
    Phase,
    PhaseKind,
    Pilot,
    Programme,
    ProgrammeCity,
    Project,
    ProjectMember,
    ProjectPartner,
    Roadmap,
)
from tests.factories import CityFactory, OrganisationFactory, UserFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PRJ{n}")
    title = factory.Sequence(lambda n: f"Project number {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    funding_programme = "interreg_ce"
    status = Project.Status.ONGOING
    start_date = date(2024, 1, 1)
    end_date = date(2026, 12, 31)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ProjectPartner.Role.PARTNER


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMember

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = ProjectMember.Role.EDITOR


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpectedResult

    project = factory.SubFactory(ProjectFactory)
    title = "Solutions developed and tested"
    unit = "solutions"
    target = Decimal("5")


class PilotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pilot

    city = factory.SubFactory(CityFactory, latitude=Decimal("49.0"), longitude=Decimal("8.4"))
    title = factory.Sequence(lambda n: f"Pilot {n}")
    slug = factory.Sequence(lambda n: f"pilot-{n}")
    status = Pilot.Status.RUNNING
    latitude = Decimal("49.009280")
    longitude = Decimal("8.403950")


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    pilot = factory.SubFactory(PilotFactory)
    author = factory.SubFactory(UserFactory)
    body = "A charging station near the station, please."


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    funding_programme = "cosme"
    status = Programme.Status.ACTIVE
    start_date = date(2020, 9, 28)
    end_date = date(2022, 9, 28)


class ProgrammeCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeCity

    programme = factory.SubFactory(ProgrammeFactory)
    city = factory.SubFactory(CityFactory)
    role = ProgrammeCity.Role.PARTICIPANT


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    programme = factory.SubFactory(ProgrammeFactory)
    kind = PhaseKind.ASSESSMENT
    start_date = date(2020, 9, 28)
    end_date = date(2021, 1, 31)


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    programme = factory.SubFactory(ProgrammeFactory)
    mentor_city = factory.SubFactory(CityFactory, is_mentor=True)


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    programme = factory.SubFactory(ProgrammeFactory)
    city = factory.SubFactory(CityFactory)
    vision = "A data-driven city."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    roadmap = factory.SubFactory(RoadmapFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = "IT department"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    roadmap = factory.SubFactory(RoadmapFactory)
    code = "open-datasets"
    name = "Open datasets published"
    unit = "datasets"
    baseline = Decimal("40")
    target = Decimal("150")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = date(2021, 6, 30)
    value = Decimal("55")
