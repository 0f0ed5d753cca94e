"""Demo events from the domain's source documents, with registrations of the demo accounts,
a B2B matchmaking session with profiles, meeting requests and a published schedule.
People are invented. Idempotent: events are looked up by slug."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from ecosystem.i18n.content import translations_set
from ecosystem.models import Theme
from stakeholders.demo import DEMO_PASSWORD
from stakeholders.models import City, Membership, Organisation

from . import services
from .models import (
    CooperationProfile,
    Event,
    MeetingRequest,
    MeetingSession,
    MeetingSlot,
    Registration,
    SchedulerRun,
    Unavailability,
)

MATCHMAKING_SLUG = "b2b-matchmaking-rijeka-innovation-week"


def _at(days: int, hour: int, minute: int = 0, tz: str = "Europe/Zagreb") -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))


EVENTS = [
    dict(
        slug="urban-inno-code-sprint-trento",
        title="URBAN INNO Code Sprint: a public administration that fits citizens' needs",
        summary="Two days and one night of coding with the Comune di Trento, SMEs, students "
                "and civic hackers on open data and digital public services.",
        description="The URBAN INNO local pilot brings the Trentino innovation cluster, the "
                    "public administration and SMEs together for a two-day code sprint, night "
                    "included. Teams build prototypes of digital services on the city's open "
                    "data, mentored by ICT developers; the best ones are taken up by the "
                    "administration.",
        kind=Event.Kind.HACKATHON, mode=Event.Mode.IN_PERSON, language="it",
        venue_name="Palazzo Geremia", street_address="Via Rodolfo Belenzani 19",
        postal_code="38122", city="trento", latitude="46.069580", longitude="11.121960",
        time_zone="Europe/Rome", start=(-40, 9), end=(-39, 20), capacity=120,
        organisers=["comune-di-trento", "trentino-innovation-cluster", "dolomiti-civic-tech"],
        themes=["egovernment", "open-data", "ict"], project="urban-inno",
    ),
    dict(
        slug=MATCHMAKING_SLUG,
        title="B2B matchmaking at the Rijeka Smart City Innovation Week",
        summary="Pre-booked 20-minute bilateral meetings between companies, researchers and "
                "cities looking for partners in mobility, energy and ICT.",
        description="Publish what you offer and what you look for, ask other participants for "
                    "meetings and get a personal agenda with times and tables. Organised with "
                    "the CEKOM centre of competence and its partners; the morning and the "
                    "afternoon sessions take place in the exhibition hall.",
        kind=Event.Kind.MATCHMAKING, mode=Event.Mode.IN_PERSON, language="en",
        venue_name="Rijeka Sports Hall, exhibition hall", street_address="Zvonimirova ulica 3",
        postal_code="51000", city="rijeka", latitude="45.333900", longitude="14.428300",
        time_zone="Europe/Zagreb", start=(12, 9), end=(12, 18), capacity=300, matchmaking=True,
        organisers=["cekom-smart-cities", "city-of-rijeka"],
        themes=["ict", "mobility", "renewable-energy", "transport-and-mobility"],
    ),
    dict(
        slug="smart-city-cluster-working-session-barcelona",
        title="Smart-city cluster working session at the Smart City Expo",
        summary="European clusters compare their internationalisation strategies and plan "
                "joint calls, hosted by ACCIÓ.",
        description="A closed working session of the MED-area smart-city clusters during the "
                    "Smart City Expo World Congress: what each cluster offers its SMEs, which "
                    "joint actions to prepare, and how to open public procurement of "
                    "innovation to SMEs.",
        kind=Event.Kind.WORKSHOP, mode=Event.Mode.HYBRID, language="en",
        venue_name="Fira Gran Via, room CC4.2", street_address="Av. Joan Carles I, 64",
        postal_code="08908", city="barcelona", latitude="41.354500", longitude="2.127500",
        online_url="https://meet.example.org/cluster-working-session",
        time_zone="Europe/Madrid", start=(30, 14), end=(30, 17, 30), capacity=40,
        organisers=["accio", "baltic-innovation-agency"],
        themes=["ict", "clean-industry"], project="med-smart-clusters",
    ),
    dict(
        slug="icc-webinar-green-transition-roadmaps",
        title="Intelligent Cities Challenge webinar: green transition in city roadmaps",
        summary="Mentor cities show how they turned green-transition goals into roadmap "
                "actions with indicators.",
        description="A one-hour webinar for the cities of the Intelligent Cities Challenge. "
                    "Two mentor cities present their roadmap actions, baselines and targets; "
                    "participant cities ask questions.",
        kind=Event.Kind.WEBINAR, mode=Event.Mode.ONLINE, language="en",
        online_url="https://meet.example.org/icc-green-transition",
        time_zone="Europe/Brussels", start=(5, 11), end=(5, 12), capacity=500,
        organisers=["city-of-rijeka"], themes=["renewable-energy", "energy-and-sustainable-environment"],
        programme="intelligent-cities-challenge",
    ),
    dict(
        slug="icc-webinar-data-driven-city-services",
        title="Intelligent Cities Challenge webinar: data-driven city services",
        summary="How participant cities measure the use of their digital services.",
        description="Recording and slides are available to participants.",
        kind=Event.Kind.WEBINAR, mode=Event.Mode.ONLINE, language="en",
        online_url="https://meet.example.org/icc-data-driven",
        time_zone="Europe/Brussels", start=(-20, 15), end=(-20, 16), capacity=None,
        organisers=["city-of-rijeka"], themes=["open-data", "egovernment"],
        programme="intelligent-cities-challenge",
    ),
    dict(
        slug="opening-up-social-innovation-lisbon",
        title="Opening up to an era of social innovation",
        summary="Two days on social innovation as a cost-effective way to inclusive, "
                "wealth-creating public policies.",
        description="Scientists, social entrepreneurs, civil society, policy makers at national, "
                    "regional and city level, funders and investors take stock of social "
                    "innovation achievements in Europe and shape a new narrative for it.",
        kind=Event.Kind.CONFERENCE, mode=Event.Mode.IN_PERSON, language="en",
        venue_name="Centro Cultural de Belém", street_address="Praça do Império",
        postal_code="1449-003", city="lisbon", latitude="38.695700", longitude="-9.208300",
        time_zone="Europe/Lisbon", start=(60, 9), end=(61, 17), capacity=250,
        organisers=["cities-forum"], themes=["social-innovation", "skills-and-employment"],
    ),
    dict(
        slug="ebike-pilot-info-day-karlsruhe",
        title="eBike and energy pilot: info day for residents",
        summary="Try the pilot's eBikes, see where the new charging stations go and tell us "
                "where bike paths are missing.",
        description="The City of Karlsruhe and FahrradWerk present the URBAN INNO eBike and "
                    "energy pilot. Residents test eBikes, look at the online map of suggested "
                    "charging stations and bike paths and add their own ideas. Places for the "
                    "guided test ride are limited.",
        kind=Event.Kind.INFO_DAY, mode=Event.Mode.IN_PERSON, language="de",
        venue_name="Stadtteilzentrum Südweststadt", street_address="Gebhardstraße 6",
        postal_code="76137", city="karlsruhe", latitude="49.004300", longitude="8.388900",
        time_zone="Europe/Berlin", start=(9, 15), end=(9, 18), capacity=3,
        organisers=["city-of-karlsruhe", "fahrrad-werk-karlsruhe"],
        themes=["mobility", "renewable-energy"], project="urban-inno",
    ),
    dict(
        slug="study-visit-maribor-freiburg",
        title="Study visit: Maribor city staff in Freiburg",
        summary="Maribor's smart-city team visits Freiburg's energy-efficient districts.",
        description="A two-day study visit on energy-efficient housing and sustainable "
                    "mobility.",
        kind=Event.Kind.STUDY_VISIT, mode=Event.Mode.IN_PERSON, language="en",
        venue_name="Rathaus im Stühlinger", street_address="Fehrenbachallee 12",
        postal_code="79106", city="freiburg", latitude="47.996000", longitude="7.838900",
        time_zone="Europe/Berlin", start=(20, 9), end=(21, 16), capacity=15,
        organisers=["smart-city-maribor"], themes=["circular-economy", "mobility"],
        cancel="The host district is closed for renovation; a new date follows in spring.",
    ),
]

PROPOSAL = dict(
    slug="parking-sensors-demo-morning",
    title="Low-power parking sensors: demo morning",
    summary="See the sensors in a real street and the open data they publish.",
    description="Adriatic Sensor Works shows its parking and air-quality sensors on Korzo and "
                "the data platform behind them.",
    kind=Event.Kind.WORKSHOP, mode=Event.Mode.IN_PERSON, language="hr",
    venue_name="Korzo, meeting point at the City Clock Tower", city="rijeka",
    time_zone="Europe/Zagreb", start=(25, 10), end=(25, 12), capacity=25,
    organisers=["adriatic-sensor-works"], themes=["open-data", "mobility"],
)

# Invented B2B participants: e-mail, full name, organisation slug.
B2B_PEOPLE = [
    ("katarina@cekom.example", "Katarina Babić-Demo", "cekom-smart-cities"),
    ("niklas@cyberforum.example", "Niklas Weber-Demo", "cyberforum"),
    ("sofia@urbanictarena.example", "Sofia Lindqvist-Demo", "urban-ict-arena"),
    ("erik@kista.example", "Erik Johansson-Demo", "kista-science-city"),
    ("kadri@baltic-innovation.example", "Kadri Tamm-Demo", "baltic-innovation-agency"),
    ("pablo@ceeim.example", "Pablo Navarro-Demo", "ceeim"),
    ("mia@greenmobility.example", "Mia Schulz-Demo", "freiburg-green-mobility"),
    ("tomislav@kvarner-energy.example", "Tomislav Perić-Demo", "kvarner-energy-lab"),
    ("chiara@trentino-cluster.example", "Chiara Bianchi-Demo", "trentino-innovation-cluster"),
    ("laia@accio.example", "Laia Puig-Demo", "accio"),
]

PROFILES = [
    ("ana@adriatic-sensors.example", "offer", "technology",
     "LoRaWAN parking and air-quality sensors", ["ict", "mobility"]),
    ("ana@adriatic-sensors.example", "request", "pilot_site",
     "A city street to pilot 200 parking sensors", ["mobility", "open-data"]),
    ("jonas@fahrradwerk.example", "offer", "business",
     "eBike sharing with neighbourhood charging", ["mobility", "renewable-energy"]),
    ("marko@uniri.example", "offer", "research",
     "Machine learning on urban sensor data", ["ict", "open-data"]),
    ("katarina@cekom.example", "offer", "research",
     "M2M test platform open to SMEs", ["ict"]),
    ("niklas@cyberforum.example", "request", "business",
     "Partners for a cross-border smart-city software consortium", ["ict"]),
    ("sofia@urbanictarena.example", "offer", "pilot_site",
     "5G test bed in Kista for mobility pilots", ["ict", "mobility"]),
    ("kadri@baltic-innovation.example", "request", "investment",
     "Co-investors for a smart-lighting scale-up", ["renewable-energy"]),
    ("mia@greenmobility.example", "request", "technology",
     "Route optimisation for cargo bikes", ["mobility", "transport-and-mobility"]),
    ("tomislav@kvarner-energy.example", "offer", "technology",
     "Energy dashboards for public buildings", ["renewable-energy"]),
    ("lena@karlsruhe.example", "request", "technology",
     "Charging-station planning tools for the eBike pilot", ["mobility", "renewable-energy"]),
]


# What organisers wrote in their own language too (the rest shows in English with a note).
EVENT_TRANSLATIONS = {
    MATCHMAKING_SLUG: {
        "title": {"hr": "B2B susreti na Tjednu inovacija pametnog grada Rijeke"},
        "summary": {"hr": "Dvostrani sastanci tvrtki, istraživača i gradova: objavite ponudu "
                          "ili potražnju i dogovorite sastanke."},
    },
    "urban-inno-code-sprint-trento": {
        "title": {"it": "URBAN INNO Code Sprint: una pubblica amministrazione su misura per "
                        "i cittadini"},
    },
    "ebike-pilot-info-day-karlsruhe": {
        "title": {"de": "eBike- und Energiepilot: Infotag für Anwohnerinnen und Anwohner"},
    },
}


def seed(demo) -> None:
    if not City.objects.filter(slug="rijeka").exists():
        demo.log("events: skipped (stakeholders demo data missing)")
        return
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    created = 0
    events = {}
    for spec in EVENTS:
        event, was_created = _event(spec, themes)
        events[spec["slug"]] = event
        created += was_created
    User = get_user_model()
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    for spec in EVENTS:
        if spec.get("cancel") and events[spec["slug"]].status != Event.Status.CANCELLED and staff:
            services.event_cancel(event=events[spec["slug"]], actor=staff, reason=spec["cancel"])
    ana = User.objects.filter(email="ana@adriatic-sensors.example").first()
    if ana and not Event.objects.filter(title=PROPOSAL["title"]).exists():
        spec = dict(PROPOSAL)
        spec.pop("slug")
        event = services.event_propose(
            actor=ana, organisers=Organisation.objects.filter(slug__in=spec.pop("organisers")),
            themes=[themes[s] for s in spec.pop("themes") if s in themes], **_fields(spec))
        created += 1

    _register("citizen@example.org", events["ebike-pilot-info-day-karlsruhe"])
    _register("tobias@example.org", events["ebike-pilot-info-day-karlsruhe"])
    _register("lena@karlsruhe.example", events["ebike-pilot-info-day-karlsruhe"])
    _register("jonas@fahrradwerk.example", events["ebike-pilot-info-day-karlsruhe"])  # waiting
    _register("citizen@example.org", events["opening-up-social-innovation-lisbon"])
    _register("citizen@example.org", events["icc-webinar-green-transition-roadmaps"])
    _register("maja@maribor.example", events["icc-webinar-green-transition-roadmaps"])
    _register("mentor@rijeka.example", events["icc-webinar-green-transition-roadmaps"])
    _register("elena@sme4smartcities.example",
              events["smart-city-cluster-working-session-barcelona"])
    _register("maja@maribor.example", events["study-visit-maribor-freiburg"], before_cancel=True)
    for email in ("giulia@trento.example", "luka@adriatic-sensors.example",
                  "marko@uniri.example", "citizen@example.org"):
        _past_attendance(email, events["urban-inno-code-sprint-trento"])

    _matchmaking(demo, events[MATCHMAKING_SLUG], themes, staff)
    translations_set(Event, EVENT_TRANSLATIONS)
    demo.log(f"events: {created} events created")


def _fields(spec: dict) -> dict:
    spec = dict(spec)
    tz = spec["time_zone"]
    start, end = spec.pop("start"), spec.pop("end")
    spec["starts_at"] = _at(*start, tz=tz)
    spec["ends_at"] = _at(*end, tz=tz)
    spec["city"] = City.objects.filter(slug=spec["city"]).first() if spec.get("city") else None
    for name in ("project", "programme"):
        spec.pop(name, None)
    spec.pop("cancel", None)
    return spec


def _event(spec: dict, themes: dict) -> tuple[Event, bool]:
    event = Event.objects.filter(slug=spec["slug"]).first()
    if event is not None:
        return event, False
    spec = dict(spec)
    organisers = Organisation.objects.filter(slug__in=spec.pop("organisers"))
    theme_list = [themes[s] for s in spec.pop("themes") if s in themes]
    project_slug, programme_slug = spec.get("project"), spec.get("programme")
    fields = _fields(spec)
    now = timezone.now()
    event = Event(**fields, publication=Event.Publication.PUBLISHED, published_at=now,
                  registration_opens_at=min(fields["starts_at"] - timedelta(days=60),
                                            _at(-7, 9, tz=fields["time_zone"])))
    try:
        from projects.models import Programme, Project

        event.project = Project.objects.filter(slug=project_slug).first() if project_slug else None
        event.programme = (Programme.objects.filter(slug=programme_slug).first()
                           if programme_slug else None)
    except ImportError:  # the projects app is optional for this demo
        pass
    event.full_clean()
    event.save()
    event.organisers.set(organisers)
    event.themes.set(theme_list)
    return event, True


def _register(email: str, event: Event, *, before_cancel: bool = False) -> None:
    user = get_user_model().objects.filter(email=email).first()
    if user is None or Registration.objects.filter(event=event, user=user).exists():
        return
    if before_cancel or event.registration_state() != "open":
        Registration.objects.create(event=event, user=user,
                                    status=Registration.Status.CONFIRMED)
        return
    organisation = Organisation.objects.filter(memberships__user=user).first()
    services.registration_create(event=event, user=user, organisation=organisation)


def _past_attendance(email: str, event: Event) -> None:
    user = get_user_model().objects.filter(email=email).first()
    if user is None or Registration.objects.filter(event=event, user=user).exists():
        return
    Registration.objects.create(
        event=event, user=user, status=Registration.Status.ATTENDED,
        created_at=event.starts_at - timedelta(days=14),
        checked_in_at=event.starts_at + timedelta(minutes=20))


def _matchmaking(demo, event: Event, themes: dict, staff) -> None:
    User = get_user_model()
    for email, full_name, org_slug in B2B_PEOPLE:
        if not User.objects.filter(email=email).exists():
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
            organisation = Organisation.objects.filter(slug=org_slug).first()
            if organisation:
                Membership.objects.get_or_create(user=user, organisation=organisation)
    emails = [e for e, _n, _o in B2B_PEOPLE] + [
        "ana@adriatic-sensors.example", "luka@adriatic-sensors.example",
        "jonas@fahrradwerk.example", "marko@uniri.example", "lena@karlsruhe.example",
        "giulia@trento.example"]
    for email in emails:
        _register(email, event)
    if not MeetingSession.objects.filter(event=event).exists() and staff:
        for name, hour in (("Morning session", 9), ("Afternoon session", 14)):
            services.session_save(session=MeetingSession(
                event=event, name=name, starts_at=_at(12, hour, 30), slot_minutes=20,
                break_minutes=5, slot_count=8, tables=12), actor=staff)
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    if not CooperationProfile.objects.filter(event=event).exists():
        for email, direction, kind, title, theme_slugs in PROFILES:
            user = users.get(email)
            if user is None:
                continue
            services.profile_save(
                event=event, user=user, direction=direction, type=kind, title=title,
                description=f"{title}. We are looking for partners to meet at the innovation "
                            "week and take a first concrete step together.",
                organisation=Organisation.objects.filter(memberships__user=user).first(),
                themes=[themes[s] for s in theme_slugs if s in themes])
    if MeetingRequest.objects.filter(event=event).exists():
        return
    rng = random.Random(4)
    people = [users[e] for e in emails if e in users]
    profiles = {p.user_id: p for p in CooperationProfile.objects.filter(event=event)}
    pairs = set()
    while len(pairs) < 40:
        a, b = rng.sample(people, 2)
        if (b.pk, a.pk) in pairs:
            continue
        pairs.add((a.pk, b.pk))
    by_pk = {u.pk: u for u in people}
    for number, (a, b) in enumerate(sorted(pairs)):
        request = services.meeting_request_create(
            event=event, requester=by_pk[a], recipient=by_pk[b], profile=profiles.get(b),
            message="We would like to explore a joint pilot and compare our approaches.")
        if number % 8 == 7:
            services.meeting_request_decline(request=request, actor=by_pk[b])
        elif number % 8 != 6:
            services.meeting_request_accept(request=request, actor=by_pk[b])
    slots = list(MeetingSlot.objects.filter(session__event=event).order_by("starts_at"))
    for user in people[:4]:
        for slot in rng.sample(slots, 3):
            Unavailability.objects.get_or_create(user=user, slot=slot)
    if staff and slots:
        run = SchedulerRun.objects.create(event=event, started_by=staff)
        run = services.scheduler_run(run_id=run.pk, time_limit=2.0)
        services.schedule_publish(event=event, actor=staff)
        demo.log(f"events: B2B schedule {run.placed}/{run.meetings} meetings placed")
