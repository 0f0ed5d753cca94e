"""Demo projects, pilots, citizen feedback and the Intelligent Cities Challenge, from the
domain's source documents. Organisations and cities come from stakeholders/demo.py; people
are invented."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from ecosystem.models import Theme
from stakeholders.demo import DEMO_PASSWORD, _verify_email
from stakeholders.models import City, Membership, Organisation

from .models import (
    Action,
    ExpectedResult,
    Feedback,
    FundingProgramme,
    Indicator,
    Measurement,
    Mentorship,
    Phase,
    PhaseKind,
    Pilot,
    PilotIndicator,
    PilotUpdate,
    Programme,
    ProgrammeCity,
    Project,
    ProjectMember,
    ProjectPartner,
    Roadmap,
    RoadmapComment,
)

C, P, A = (ProjectPartner.Role.COORDINATOR, ProjectPartner.Role.PARTNER,
           ProjectPartner.Role.ASSOCIATED)

PROJECTS = [
    dict(
        slug="urban-inno", acronym="URBAN INNO",
        title="Utilizing innovation potential of urban ecosystems",
        funding_programme=FundingProgramme.INTERREG_CE, status=Project.Status.COMPLETED,
        start_date=date(2016, 6, 1), end_date=date(2019, 5, 31),
        budget=Decimal("2480000"), eu_funding=Decimal("2050000"),
        website="https://www.interreg-central.eu/",
        summary=(
            "Makes Central Europe more innovative and competitive by improving the innovation "
            "potential of small and medium-sized urban ecosystems. Regional pilots involve "
            "citizens in urban innovation, with emphasis on mobility, energy, innovative "
            "management and integrated infrastructure. The results are published free of charge "
            "as an online tool kit of methods for public participation in innovation."
        ),
        themes=["mobility", "renewable-energy", "egovernment", "social-innovation"],
        partners=[("cyberforum", C), ("city-of-karlsruhe", P), ("comune-di-trento", P),
                  ("trentino-innovation-cluster", P), ("fahrrad-werk-karlsruhe", P),
                  ("dolomiti-civic-tech", A), ("university-of-rijeka", P)],
        results=[
            ("output", "Pilots with citizens in partner cities", "pilots", 6, 6,
             "Karlsruhe (eBikes & energy), Trento (code sprint) and four more."),
            ("output", "Online tool kit of participation methods", "tool kit", 1, 1, ""),
            ("result", "Citizens involved in urban innovation", "citizens", 1500, 1720, ""),
        ],
    ),
    dict(
        slug="upside", acronym="UPSIDE",
        title="Upgrading smart-city digital ecosystems through cluster cooperation",
        funding_programme=FundingProgramme.OTHER, status=Project.Status.COMPLETED,
        start_date=date(2013, 10, 1), end_date=date(2016, 6, 30),
        budget=Decimal("2300000"), eu_funding=Decimal("1950000"),
        summary=(
            "Contributed to the regional digital agendas of the participating cities and "
            "regions through a joint smart-city benchmarking methodology, city profiles and a "
            "Joint Action Plan. Ended with the conference “High Capacity Digital Societies – "
            "make it happen!” in Bled."
        ),
        themes=["ict", "open-data", "egovernment"],
        partners=[("cyberforum", C), ("urban-ict-arena", P), ("kista-science-city", P),
                  ("baltic-innovation-agency", P), ("smart-city-maribor", P)],
        results=[
            ("output", "Smart city benchmarking methodology", "methodology", 1, 1, ""),
            ("output", "Smart city profiles of the partner regions", "profiles", 6, 6, ""),
            ("result", "Contributions to regional digital agendas", "agendas", 6, 5,
             "One region adopted its agenda after the project ended."),
        ],
    ),
    dict(
        slug="sme4smartcities", acronym="SME4SMARTCITIES",
        title="Reinforcing the capacities of Mediterranean cities and SMEs for smart-city "
              "solutions",
        funding_programme=FundingProgramme.INTERREG_MED, status=Project.Status.ONGOING,
        start_date=date(2024, 2, 1), end_date=date(2027, 1, 31),
        budget=Decimal("1850000"), eu_funding=Decimal("1572500"),
        summary=(
            "Brings public authorities and SMEs together: cities become front-runners of "
            "innovation through public procurement of innovative solutions, and Mediterranean "
            "SMEs are prepared so that their products and services meet the needs of smart "
            "cities. 50 SMEs and 6 Mediterranean cities with 50 of their civil servants benefit."
        ),
        themes=["skills-and-employment", "clean-industry", "ict"],
        partners_wanted=(
            "A university or research centre to evaluate the two smart-city solutions piloted "
            "in Rijeka with their users (air quality and parking data, before and after) and "
            "to co-design the training module on data-driven services for SMEs."),
        partner_helices_wanted=["academia"], partners_wanted_until=date(2027, 6, 30),
        partners=[("ceeim", C), ("cities-forum", P), ("accio", P), ("city-of-rijeka", P),
                  ("adriatic-sensor-works", A)],
        results=[
            ("output", "Training programme for 50 SMEs entering the smart-city market",
             "training programme", 1, 1, "Designed with Cities Forum; first cohort of 22 SMEs."),
            ("result", "SMEs trained", "SMEs", 50, 22, ""),
            ("output", "Consultancy platform for SMEs (idea to market)", "platform", 1, 0, ""),
            ("output", "Co-creation and co-innovation programme among Mediterranean SMEs",
             "programme", 1, 0, ""),
            ("output", "Smart-city solutions developed and tested", "solutions", 5, 2,
             "Two solutions in testing in Rijeka."),
        ],
    ),
    dict(
        slug="med-smart-clusters", acronym="MED SMART CLUSTERS",
        title="Upgrading MED innovation clusters with the smart-city concept",
        funding_programme=FundingProgramme.INTERREG_MED, status=Project.Status.ONGOING,
        start_date=date(2025, 3, 1), end_date=date(2028, 2, 29),
        budget=Decimal("1400000"), eu_funding=Decimal("1190000"),
        summary=(
            "Upgrades existing innovation clusters in the MED area with the smart-city theme, "
            "leads transnational networking of quadruple-helix actors (training, matchmaking, "
            "international cooperation) and makes territorial innovation policies — especially "
            "tenders — more efficient, with pilot deployments matching technology push and end "
            "user pull."
        ),
        themes=["ict", "transport-and-mobility", "energy-and-sustainable-environment"],
        partners_wanted=(
            "A civil-society organisation to bring residents' needs into the pilot deployments "
            "(user panels, end-user pull), and a city administration ready to host a mobility "
            "or energy pilot in 2027."),
        partner_helices_wanted=["civil", "public"],
        partners=[("accio", C), ("trentino-innovation-cluster", P), ("cekom-smart-cities", P),
                  ("cyberforum", A)],
        results=[
            ("output", "Clusters upgraded with a smart-city service offer", "clusters", 6, 2, ""),
            ("output", "Transnational matchmaking events", "events", 4, 1, ""),
        ],
    ),
]

PILOTS = [
    dict(
        slug="karlsruhe-ebikes-and-energy", project="urban-inno", city="karlsruhe",
        title="eBikes & Energy — Sustainable Two-Wheel City Karlsruhe 2025+",
        status=Pilot.Status.COMPLETED, start_date=date(2017, 6, 1), end_date=date(2019, 3, 31),
        address="Marktplatz, 76133 Karlsruhe", latitude="49.009280", longitude="8.403950",
        summary=(
            "The eDrais2017 pilot asked where eBikes and pedelecs are used in Karlsruhe, how good "
            "the local infrastructure is and where it must improve. Citizens and experts "
            "developed the vision “Sustainable Two-Wheel City Karlsruhe 2025+” at a future "
            "workshop."
        ),
        what_is_tested=(
            "A crowd-sourcing approach: existing GIS software customised so that citizens "
            "suggest sharing and charging stations and bike paths on an online map, first "
            "tested at the Karlsruhe FahrradFestival."
        ),
        results=(
            "The suggestions were prepared for the city planning office, the EnergieForum and "
            "the business development agency of Karlsruhe."
        ),
        themes=["mobility", "renewable-energy"],
        indicators=[("Suggestions made on the map", "suggestions", 0, 200, 236),
                    ("Citizens at the future workshop", "people", 0, 40, 52)],
    ),
    dict(
        slug="trento-public-administration-code-sprint", project="urban-inno", city="trento",
        title="Code sprint: a public administration that fits citizens' needs",
        status=Pilot.Status.COMPLETED, start_date=date(2017, 10, 7), end_date=date(2017, 10, 8),
        address="Palazzo Thun, Via Belenzani 19, Trento", latitude="46.069900",
        longitude="11.121100",
        summary=(
            "A two-day code sprint, night included, with the Trentino innovation cluster, the "
            "public administration and SMEs, supported by URBAN INNO in kind (coordination, ICT "
            "mentoring) and financially."
        ),
        what_is_tested="Hackathons as a way to co-design digital public services with citizens.",
        results="Prototypes of digital services handed over to the city's eGovernment team.",
        themes=["egovernment", "open-data"],
        indicators=[("Participants", "people", None, 100, 130)],
    ),
    dict(
        slug="rijeka-smart-parking-sensors", project="sme4smartcities", city="rijeka",
        title="Smart parking sensors in the old town",
        status=Pilot.Status.RUNNING, start_date=date(2025, 4, 1), end_date=date(2026, 12, 31),
        address="Korzo, Rijeka", latitude="45.327300", longitude="14.441500",
        summary="Low-power sensors show free parking spaces in real time on the city's open-data "
                "portal.",
        what_is_tested="Sensor accuracy in narrow streets and whether drivers search less.",
        results="",
        themes=["mobility", "open-data", "ict"],
        indicators=[("Sensor accuracy", "%", 85, 98, "95.5"),
                    ("Average search time for a space", "min", 11, 6, "8.2")],
    ),
    dict(
        slug="rijeka-energy-dashboards-for-schools", project="sme4smartcities", city="rijeka",
        title="Energy dashboards for public schools",
        status=Pilot.Status.PLANNED, start_date=date(2026, 9, 1), end_date=date(2027, 6, 30),
        address="Rijeka primary schools", latitude="45.334000", longitude="14.425000",
        summary="Pupils and caretakers see the energy use of their school building.",
        what_is_tested="Whether visible energy data lowers consumption in public buildings.",
        results="", themes=["renewable-energy", "energy-and-sustainable-environment"],
        indicators=[],
    ),
    dict(
        slug="maribor-circular-waste-pilot", project=None, city="maribor",
        title="Smart waste collection in Tabor district",
        status=Pilot.Status.RUNNING, start_date=date(2025, 9, 1), end_date=date(2026, 8, 31),
        address="Tabor, Maribor", latitude="46.548000", longitude="15.640000",
        summary="Fill-level sensors on recycling containers plan the collection rounds.",
        what_is_tested="Fewer truck kilometres and fuller containers at collection.",
        results="", themes=["circular-economy", "ict"], indicators=[],
    ),
]

FEEDBACK = [
    ("karlsruhe-ebikes-and-energy", "idea", "A charging station for pedelecs at the Kronenplatz "
     "stop would help commuters coming from Durlach.", "49.008500", "8.410800", "published"),
    ("karlsruhe-ebikes-and-energy", "idea", "Please a protected bike path along Kriegsstraße "
     "between Ettlinger Tor and Mendelssohnplatz.", "49.004600", "8.407500", "published"),
    ("karlsruhe-ebikes-and-energy", "comment", "The sharing bikes near the university are often "
     "empty in the evening.", "49.011700", "8.416000", "published"),
    ("karlsruhe-ebikes-and-energy", "idea", "Covered bike parking with sockets at the main "
     "station (Hauptbahnhof Süd).", "48.993500", "8.401800", "pending"),
    ("rijeka-smart-parking-sensors", "comment", "The app shows the space in front of the theatre "
     "as free when it is not.", "45.326400", "14.440700", "pending"),
]

PROGRAMME = dict(
    slug="intelligent-cities-challenge", name="Intelligent Cities Challenge", acronym="ICC",
    funding_programme=FundingProgramme.COSME, status=Programme.Status.COMPLETED,
    start_date=date(2020, 9, 28), end_date=date(2022, 9, 28),
    website="https://www.intelligentcitieschallenge.eu/",
    summary=(
        "More than 100 European cities get support from world-class professionals — in person, "
        "online and as a community — to use advanced technologies for green, smart and "
        "sustainable growth. Ten mentor cities, among them Rijeka, pass on what they learned in "
        "the Digital Cities Challenge. Each city goes through a cycle: assessment of needs, "
        "vision and roadmap, implementation and measurement."
    ),
    themes=["mobility", "renewable-energy", "clean-industry", "green-manufacturing",
            "egovernment", "open-data", "skills-and-employment", "healthcare-and-safety",
            "crisis-management"],
)
PHASES = [
    (PhaseKind.ASSESSMENT, date(2020, 9, 28), date(2021, 1, 31),
     "Each city assesses its priority issues and needs with the ICC experts."),
    (PhaseKind.VISION, date(2021, 2, 1), date(2021, 6, 30),
     "A vision and a roadmap of actions and indicators, agreed by the city's leadership."),
    (PhaseKind.IMPLEMENTATION, date(2021, 7, 1), date(2022, 6, 30),
     "Cities implement their actions with the local ecosystem and their mentors."),
    (PhaseKind.MEASUREMENT, date(2022, 7, 1), date(2022, 9, 28),
     "Results are measured against the baselines and targets."),
]
MENTORS = ["rijeka", "stockholm", "barcelona", "lisbon"]
PARTICIPANTS = {  # city: stage
    "maribor": PhaseKind.MEASUREMENT, "trento": PhaseKind.MEASUREMENT,
    "tartu": PhaseKind.IMPLEMENTATION, "murcia": PhaseKind.MEASUREMENT,
    "freiburg": PhaseKind.IMPLEMENTATION, "karlsruhe": PhaseKind.VISION,
}
MENTORSHIPS = {"rijeka": ["maribor", "trento"], "stockholm": ["tartu"],
               "barcelona": ["murcia"], "lisbon": ["freiburg", "karlsruhe"]}

INDICATORS = [
    # code, name, unit, direction
    ("open-datasets", "Open datasets published", "datasets", "increase"),
    ("online-services", "City services available online", "%", "increase"),
    ("co2-per-capita", "CO₂ emissions per inhabitant", "t CO₂e", "decrease"),
]
# city: {code: (baseline, target, [values for 2021-06, 2021-12, 2022-06, 2022-09])}
CITY_INDICATORS = {
    "maribor": {"open-datasets": (40, 150, [55, 80, 118, 131]),
                "online-services": (35, 70, [38, 47, 58, 63]),
                "co2-per-capita": ("6.1", "5.2", ["6.0", "5.9", "5.7", "5.6"])},
    "trento": {"open-datasets": (120, 250, [140, 171, 222, 260]),
               "online-services": (55, 85, [57, 66, 74, 79])},
    "tartu": {"open-datasets": (60, 140, [66, 90, 104, None]),
              "co2-per-capita": ("7.4", "6.5", ["7.3", "7.2", "7.0", None])},
    "murcia": {"open-datasets": (25, 100, [30, 44, 71, 86]),
               "online-services": (40, 75, [41, 50, 61, 66])},
    "freiburg": {"co2-per-capita": ("5.4", "4.6", ["5.3", "5.2", None, None])},
}
MEASURED_ON = [date(2021, 6, 30), date(2021, 12, 31), date(2022, 6, 30), date(2022, 9, 15)]
ACTIONS = {
    "maribor": [
        ("Open-data portal with the Podravje region", "eGovernment office", "done",
         date(2021, 12, 15), ["open-data", "egovernment"]),
        ("One-stop online permit service", "Department of Urban Planning", "done",
         date(2022, 3, 31), ["egovernment"]),
        ("Smart waste collection pilot in Tabor", "Smart City Maribor Initiative",
         "in_progress", date(2026, 8, 31), ["circular-economy"]),
        ("Energy renovation of ten public buildings", "Energy agency", "delayed",
         date(2022, 6, 30), ["renewable-energy"]),
    ],
    "trento": [
        ("Citizen co-design of digital services (code sprints)", "Innovation office", "done",
         date(2021, 10, 9), ["egovernment", "social-innovation"]),
        ("Open-data catalogue with the Trentino cluster", "ICT department", "done",
         date(2022, 5, 31), ["open-data"]),
        ("Skills programme for SMEs on data services", "Economic development", "in_progress",
         date(2022, 12, 31), ["skills-and-employment"]),
    ],
    "tartu": [("Smart-bike sharing extension", "Mobility department", "in_progress",
               date(2022, 9, 1), ["mobility"])],
    "murcia": [("Digital skills for 500 SME employees", "CEEIM", "done", date(2022, 6, 30),
                ["skills-and-employment"]),
               ("Open-data portal", "City IT", "in_progress", date(2022, 12, 31),
                ["open-data"])],
    "freiburg": [("Cargo-bike logistics hubs in the old town", "Mobility agency", "planned",
                  date(2023, 3, 31), ["mobility"])],
}

PEOPLE = [
    # role, e-mail, name, job title, organisation, membership role
    ("citizen (Karlsruhe, gives pilot feedback)", "tobias@example.org", "Tobias Keller-Demo",
     "", None, None),
    ("project manager (SME4SMARTCITIES, no organisation)", "elena@sme4smartcities.example",
     "Elena Ortiz-Demo", "Project manager", None, None),
    ("city staff (Maribor, ICC participant)", "maja@maribor.example", "Maja Zupan-Demo",
     "Smart city officer", "smart-city-maribor", "member"),
    ("mentor (Rijeka for Maribor and Trento, ICC)", "mentor@rijeka.example",
     "Tena Babić-Demo", "Head of eGovernment service", "city-of-rijeka", "member"),
]


def _user(demo, role, email, name, job_title):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, job_title=job_title)
        _verify_email(user)
    demo.account(role, email, DEMO_PASSWORD)
    return user


def seed(demo) -> None:
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    organisations = {org.slug: org for org in Organisation.objects.all()}
    cities = {city.slug: city for city in City.objects.all()}
    if "karlsruhe" not in cities or "cyberforum" not in organisations:
        demo.log("projects: stakeholders demo data missing, skipped")
        return
    people = {}
    for role, email, name, job_title, org_slug, member_role in PEOPLE:
        people[email] = _user(demo, role, email, name, job_title)
        if org_slug:
            Membership.objects.get_or_create(user=people[email],
                                             organisation=organisations[org_slug],
                                             defaults={"role": member_role})
    User = get_user_model()

    created = 0
    projects = {}
    for spec in PROJECTS:
        spec = dict(spec)
        partners, results = spec.pop("partners"), spec.pop("results")
        theme_slugs = spec.pop("themes")
        project, was_created = Project.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
        projects[project.slug] = project
        if not was_created:
            continue
        created += 1
        project.themes.set([themes[s] for s in theme_slugs if s in themes])
        for org_slug, role in partners:
            ProjectPartner.objects.create(project=project, organisation=organisations[org_slug],
                                          role=role)
        for position, (kind, title, unit, target, achieved, note) in enumerate(results):
            ExpectedResult.objects.create(project=project, kind=kind, title=title, unit=unit,
                                          target=target, achieved=achieved, progress_note=note,
                                          position=position)
    ProjectMember.objects.get_or_create(
        project=projects["sme4smartcities"], user=people["elena@sme4smartcities.example"],
        defaults={"role": ProjectMember.Role.MANAGER},
    )

    pilots = {}
    for spec in PILOTS:
        spec = dict(spec)
        indicators, theme_slugs = spec.pop("indicators"), spec.pop("themes")
        project = projects.get(spec.pop("project") or "")
        city = cities[spec.pop("city")]
        pilot, was_created = Pilot.objects.get_or_create(
            slug=spec.pop("slug"), defaults={**spec, "project": project, "city": city}
        )
        pilots[pilot.slug] = pilot
        if not was_created:
            continue
        pilot.themes.set([themes[s] for s in theme_slugs if s in themes])
        for position, (name, unit, baseline, target, value) in enumerate(indicators):
            PilotIndicator.objects.create(pilot=pilot, name=name, unit=unit, baseline=baseline,
                                          target=target, value=value, position=position)
    karlsruhe = pilots["karlsruhe-ebikes-and-energy"]
    if not karlsruhe.updates.exists():
        lena = User.objects.filter(email="lena@karlsruhe.example").first()
        PilotUpdate.objects.create(
            pilot=karlsruhe, author=lena, title="Future workshop “eBikes & Energy”",
            body="On 16 September citizens of the eDrais2017 pilot met experts and developed "
                 "the vision “Sustainable Two-Wheel City Karlsruhe 2025+”.",
            created_at=timezone.make_aware(timezone.datetime(2017, 9, 18, 10, 0)),
        )
        PilotUpdate.objects.create(
            pilot=karlsruhe, author=lena, title="Results handed over to the city planning office",
            body="The suggestions from the online map go to the city planning office, the "
                 "EnergieForum and the business development agency.",
            created_at=timezone.make_aware(timezone.datetime(2019, 3, 29, 9, 0)),
        )
    authors = [people["tobias@example.org"],
               User.objects.filter(email="citizen@example.org").first() or people["tobias@example.org"]]
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    for index, (pilot_slug, kind, body, lat, lon, status) in enumerate(FEEDBACK):
        Feedback.objects.get_or_create(
            pilot=pilots[pilot_slug], body=body,
            defaults=dict(
                author=authors[index % 2], kind=kind, latitude=lat, longitude=lon, status=status,
                moderated_by=staff if status != "pending" else None,
                moderated_at=timezone.now() if status != "pending" else None,
                created_at=timezone.now() - timedelta(days=30 - index),
            ),
        )

    _seed_programme(demo, themes, cities, people)
    demo.log(f"projects: {created} projects created, {len(pilots)} pilots, ICC programme")


def _seed_programme(demo, themes, cities, people) -> None:
    spec = dict(PROGRAMME)
    theme_slugs = spec.pop("themes")
    programme, was_created = Programme.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
    if not was_created:
        return
    programme.themes.set([themes[s] for s in theme_slugs if s in themes])
    for kind, start, end, description in PHASES:
        Phase.objects.create(programme=programme, kind=kind, start_date=start, end_date=end,
                             description=description)
    for slug in MENTORS:
        ProgrammeCity.objects.create(programme=programme, city=cities[slug],
                                     role=ProgrammeCity.Role.MENTOR, joined_on=date(2020, 9, 28))
    for slug, stage in PARTICIPANTS.items():
        ProgrammeCity.objects.create(programme=programme, city=cities[slug], stage=stage,
                                     role=ProgrammeCity.Role.PARTICIPANT,
                                     joined_on=date(2020, 9, 28))
    for mentor, mentees in MENTORSHIPS.items():
        mentorship = Mentorship.objects.create(programme=programme, mentor_city=cities[mentor])
        mentorship.participants.set([cities[slug] for slug in mentees])
        if mentor == "rijeka":
            mentorship.contacts.add(people["mentor@rijeka.example"])
            mentorship.note = "Transfers the Digital Cities Challenge experience in eGovernment."
            mentorship.save()
    names = {code: (name, unit, direction) for code, name, unit, direction in INDICATORS}
    for slug in PARTICIPANTS:
        roadmap = Roadmap.objects.create(
            programme=programme, city=cities[slug],
            vision=f"{cities[slug].name} uses data and advanced technologies for green, smart "
                   "and sustainable growth that citizens can measure.",
        )
        for position, (title, owner, status, due, theme_slugs) in enumerate(ACTIONS.get(slug, [])):
            action = Action.objects.create(roadmap=roadmap, title=title, owner=owner,
                                           status=status, due_date=due, position=position)
            action.themes.set([themes[s] for s in theme_slugs if s in themes])
        for position, (code, (baseline, target, values)) in enumerate(
            CITY_INDICATORS.get(slug, {}).items()
        ):
            name, unit, direction = names[code]
            indicator = Indicator.objects.create(
                roadmap=roadmap, code=code, name=name, unit=unit, direction=direction,
                baseline=baseline, target=target, baseline_date=date(2020, 12, 31),
                target_date=date(2022, 9, 28), position=position,
            )
            Measurement.objects.bulk_create([
                Measurement(indicator=indicator, date=day, value=value)
                for day, value in zip(MEASURED_ON, values, strict=True) if value is not None
            ])
    maribor = Roadmap.objects.get(programme=programme, city=cities["maribor"])
    RoadmapComment.objects.create(
        roadmap=maribor, author=people["mentor@rijeka.example"],
        body="Great progress on open data. For the energy renovations, Rijeka's experience with "
             "energy performance contracts could help you catch up: shall we set up a call?",
    )
