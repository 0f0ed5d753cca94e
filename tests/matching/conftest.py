"""A small ecosystem for matchmaking tests: Rijeka and Graz, themes, a buyer, organisations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from procurement.models import Call
from projects.models import Project, ProjectMember, ProjectPartner
from stakeholders.models import Helix, Membership, OrganisationKind
from tests.browser.conftest import axe, browser, page, shot  # noqa: F401 (fixtures)
from tests.events.factories import EventFactory
from tests.factories import (
    CityFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.procurement.factories import BuyerFactory, CallFactory
from tests.projects.factories import PartnerFactory, PilotFactory, ProjectFactory


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.rijeka = CityFactory(name="Rijeka", slug="rijeka", country="HR", nuts_region="HR031")
    w.graz = CityFactory(name="Graz", slug="graz", country="AT", nuts_region="AT221")
    w.mobility = ThemeFactory(name="Mobility", slug="mobility")
    w.energy = ThemeFactory(name="Energy", slug="energy")
    w.digital = ThemeFactory(name="Digital", slug="digital")
    w.health = ThemeFactory(name="Health", slug="health")
    w.buyer = BuyerFactory(name="City of Rijeka", slug="city-of-rijeka", city=w.rijeka,
                           country="HR", nuts_region="HR031", verified=True)
    w.sme = OrganisationFactory(
        name="Adriatic Sensors", slug="adriatic-sensors", kind=OrganisationKind.SME, size="small",
        city=w.rijeka, country="HR", nuts_region="HR031", verified=True,
        description="We build air-quality sensors and smart parking sensors for cities.",
        cpv_interests=["48000000-8"])
    w.sme.themes.set([w.mobility, w.energy, w.digital])
    w.large = OrganisationFactory(
        name="Grazer Energie", slug="grazer-energie", kind=OrganisationKind.LARGE, size="large",
        city=w.graz, country="AT", verified=True,
        description="Energy utility: district heating, grids and charging stations.")
    w.large.themes.set([w.energy, w.digital])
    w.ngo = OrganisationFactory(
        name="Zelena Rijeka", slug="zelena-rijeka", kind=OrganisationKind.NGO, city=w.rijeka,
        country="HR", verified=True,
        description="Citizens measuring air quality and promoting cycling and mobility.")
    w.ngo.themes.set([w.mobility])
    w.unverified = OrganisationFactory(
        name="Unchecked Mobility", slug="unchecked", kind=OrganisationKind.NGO, country="HR",
        description="Mobility and cycling.", verified=False)
    w.unverified.themes.set([w.mobility])
    w.opted_out = OrganisationFactory(
        name="Quiet Mobility", slug="quiet", kind=OrganisationKind.NGO, country="HR",
        description="Mobility and cycling.", verified=True, partner_suggestions_opt_out=True)
    w.opted_out.themes.set([w.mobility])
    w.health_only = OrganisationFactory(
        name="Clinic Tech", slug="clinic-tech", kind=OrganisationKind.SME, country="HR",
        description="Hospital software.", verified=True)
    w.health_only.themes.set([w.health])
    w.member = MembershipFactory(organisation=w.sme, role=Membership.Role.ADMIN,
                                 user=UserFactory(email="ana@adriatic-sensors.example")).user
    w.large_member = MembershipFactory(organisation=w.large,
                                       user=UserFactory(email="eva@grazer.example")).user
    w.ngo_member = MembershipFactory(organisation=w.ngo,
                                     user=UserFactory(email="iva@zelena.example")).user
    w.call = CallFactory(
        buyer=w.buyer, title="Smart parking sensors for the old town", slug="smart-parking",
        challenge="Sensors that detect free parking spaces and air quality; open data.",
        status=Call.Status.PUBLISHED, publication_date=timezone.now())
    w.call.themes.set([w.mobility, w.energy])
    w.sme_call = CallFactory(
        buyer=w.buyer, title="E-mobility charging pilot for SMEs", slug="charging",
        challenge="Charging stations for electric buses, energy management.", smes_only=True,
        status=Call.Status.PUBLISHED, publication_date=timezone.now())
    w.sme_call.themes.set([w.energy, w.mobility])
    w.closed = CallFactory(
        buyer=w.buyer, title="Closed mobility call", slug="closed", status=Call.Status.EVALUATION,
        challenge="Mobility sensors.")
    w.closed.themes.set([w.mobility])
    w.draft = CallFactory(buyer=w.buyer, title="Draft mobility call", slug="draft",
                          challenge="Mobility sensors, parking.")
    w.draft.themes.set([w.mobility])
    w.past = CallFactory(buyer=w.buyer, title="Past deadline mobility call", slug="past",
                         status=Call.Status.PUBLISHED, challenge="Parking sensors mobility.",
                         clarification_deadline=timezone.now() - timedelta(days=3),
                         submission_deadline=timezone.now() - timedelta(days=1))
    w.past.themes.set([w.mobility])
    w.event = EventFactory(title="Mobility days Rijeka", slug="mobility-days", city=w.rijeka,
                           description="Cycling, parking and mobility sensors.",
                           organisers=[w.buyer])
    w.event.themes.set([w.mobility])
    w.draft_event = EventFactory(title="Draft mobility event", slug="draft-event",
                                 publication="draft", organisers=[w.buyer])
    w.draft_event.themes.set([w.mobility])
    return w


@pytest.fixture
def seeking(world):
    """An ongoing project in Rijeka with an industry coordinator, looking for a civil-society
    partner for its mobility pilot."""
    project = ProjectFactory(
        acronym="CLEAN AIR", title="Clean air in the old town", slug="clean-air",
        status=Project.Status.ONGOING, summary="Air-quality sensors and cycling routes.",
        partners_wanted="A citizens' association to recruit residents measuring air quality.",
        partner_helices_wanted=[Helix.CIVIL])
    project.themes.set([world.mobility])
    PartnerFactory(project=project, organisation=world.sme, role=ProjectPartner.Role.COORDINATOR)
    PilotFactory(project=project, city=world.rijeka, title="Sensors on school streets")
    team = UserFactory(email="marko@clean-air.example")
    ProjectMember.objects.create(project=project, user=team, role=ProjectMember.Role.MANAGER)
    world.team = team
    return project
