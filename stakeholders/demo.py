"""Demo organisations, cities and people from the domain's source documents (people invented)."""

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ecosystem.i18n.content import translations_set
from ecosystem.models import Theme
from ecosystem.staff import city_staff_group

from .models import (
    INVITATION_VALIDITY,
    City,
    Competence,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Size,
)

DEMO_PASSWORD = "smartcity-demo-2026"

CITIES = [
    # slug, name, country, NUTS, population, mentor, lat, lon
    ("rijeka", "Rijeka", "HR", "HR031", 107964, True, "45.327063", "14.442176"),
    ("karlsruhe", "Karlsruhe", "DE", "DE122", 308436, False, "49.006890", "8.403653"),
    ("trento", "Trento", "IT", "ITH20", 118902, False, "46.074779", "11.121749"),
    ("maribor", "Maribor", "SI", "SI032", 96209, False, "46.554650", "15.645881"),
    ("stockholm", "Stockholm", "SE", "SE110", 984748, True, "59.329323", "18.068581"),
    ("tartu", "Tartu", "EE", "EE008", 97759, False, "58.377983", "26.729038"),
    ("murcia", "Murcia", "ES", "ES620", 462979, False, "37.992240", "-1.130654"),
    ("barcelona", "Barcelona", "ES", "ES511", 1636732, True, "41.385064", "2.173404"),
    ("lisbon", "Lisbon", "PT", "PT170", 545796, True, "38.722252", "-9.139337"),
    ("freiburg", "Freiburg im Breisgau", "DE", "DE131", 231848, False, "47.999008", "7.842104"),
]

# slug, name, kind, country, city, NUTS, size, themes, competences, verified, description
ORGANISATIONS = [
    ("city-of-rijeka", "City of Rijeka", "municipality", "HR", "rijeka", "HR031", "large",
     ["egovernment", "open-data", "mobility"], [], True,
     "Mentor city of the Intelligent Cities Challenge after the Digital Cities Challenge; "
     "tests smart technologies with companies and researchers."),
    ("cekom-smart-cities", "CEKOM Centre of Competence for Smart Cities", "rto", "HR", "rijeka",
     "HR031", "medium", ["ict", "energy-and-sustainable-environment", "transport-and-mobility"],
     ["internet-of-things", "data-platforms"], True,
     "Develops knowledge and long-term research collaboration between science and industry, "
     "with Rijeka as a testing platform and a collaborative M2M platform."),
    ("university-of-rijeka", "University of Rijeka", "university", "HR", "rijeka", "HR031",
     "large", ["ict", "skills-and-employment"], ["data-platforms", "machine-learning"], True,
     "Faculties of engineering, informatics and economics working on smart-city research."),
    ("adriatic-sensor-works", "Adriatic Sensor Works d.o.o.", "sme", "HR", "rijeka", "HR031",
     "small", ["ict", "mobility", "open-data"], ["internet-of-things", "embedded-systems"], True,
     "Low-power sensors for parking, air quality and traffic counting."),
    ("kvarner-energy-lab", "Kvarner Energy Lab", "startup", "HR", "rijeka", "HR031", "micro",
     ["renewable-energy", "energy-and-sustainable-environment"], ["energy-management"], False,
     "Start-up building energy dashboards for public buildings."),
    ("city-of-karlsruhe", "City of Karlsruhe", "municipality", "DE", "karlsruhe", "DE122",
     "large", ["mobility", "renewable-energy"], [], True,
     "Runs the URBAN INNO eBike and energy pilot with citizens."),
    ("cyberforum", "CyberForum e.V.", "cluster", "DE", "karlsruhe", "DE122", "medium",
     ["ict", "skills-and-employment"], ["software-development", "cybersecurity"], True,
     "Hi-tech entrepreneur network and IT cluster of the Karlsruhe technology region."),
    ("fahrrad-werk-karlsruhe", "FahrradWerk Karlsruhe GmbH", "sme", "DE", "karlsruhe", "DE122",
     "small", ["mobility", "transport-and-mobility"], ["e-mobility"], True,
     "eBike sharing and charging stations for neighbourhoods."),
    ("comune-di-trento", "Comune di Trento", "municipality", "IT", "trento", "ITH20", "large",
     ["egovernment", "open-data"], [], True,
     "Hosted the URBAN INNO two-day code sprint to build a public administration that fits "
     "citizens' needs."),
    ("trentino-innovation-cluster", "Trentino ICT Innovation Cluster", "cluster", "IT", "trento",
     "ITH20", "medium", ["ict", "egovernment"], ["software-development", "data-platforms"], True,
     "Brings SMEs, the university and the public administration of Trentino together."),
    ("dolomiti-civic-tech", "Dolomiti Civic Tech APS", "ngo", "IT", "trento", "ITH20", "micro",
     ["social-innovation", "open-data"], ["co-design"], False,
     "Volunteers who organise hackathons and open-data workshops with citizens."),
    ("smart-city-maribor", "Smart City Maribor Initiative", "agency", "SI", "maribor", "SI032",
     "small", ["egovernment", "circular-economy"], [], True,
     "The city's agency for smart-city strategy and pilots."),
    ("urban-ict-arena", "Urban ICT Arena", "rto", "SE", "stockholm", "SE110", "small",
     ["ict", "mobility"], ["5g-networks", "internet-of-things"], True,
     "Open test bed in Kista for smart-city solutions, from 5G to self-driving buses."),
    ("kista-science-city", "Kista Science City AB", "agency", "SE", "stockholm", "SE110", "small",
     ["ict", "skills-and-employment"], [], True,
     "Develops Kista as an international ICT and innovation hub."),
    ("baltic-innovation-agency", "Baltic Innovation Agency", "sme", "EE", "tartu", "EE008",
     "small", ["ict", "skills-and-employment"], ["innovation-management"], True,
     "Consultancy supporting cluster internationalisation and smart-city innovation."),
    ("ceeim", "CEEIM European Business and Innovation Centre of Murcia", "agency", "ES",
     "murcia", "ES620", "small", ["skills-and-employment", "clean-industry"],
     ["innovation-management"], True,
     "Coordinator of SME4SMARTCITIES: prepares Mediterranean SMEs for public procurement of "
     "innovation."),
    ("cities-forum", "Cities Forum", "ngo", "PT", "lisbon", "PT170", "micro",
     ["social-innovation", "skills-and-employment"], ["training"], True,
     "Designs training programmes for smart-city SMEs."),
    ("accio", "ACCIÓ Catalonia Trade & Investment", "agency", "ES", "barcelona", "ES511",
     "large", ["ict", "clean-industry"], [], True,
     "Agency for business competitiveness; brings European clusters together at the Smart City "
     "Expo World Congress."),
    ("freiburg-green-mobility", "Green Mobility Freiburg UG", "startup", "DE", "freiburg",
     "DE131", "micro", ["mobility", "renewable-energy"], ["e-mobility", "energy-management"],
     False, "Cargo-bike logistics for city centres."),
]

COMPETENCES = [
    "Internet of things", "Data platforms", "Machine learning", "Embedded systems",
    "Energy management", "Software development", "Cybersecurity", "E-mobility", "Co-design",
    "5G networks", "Innovation management", "Training",
]

# Names in the portal's other languages where they differ (hr, de, it), and the competences.
CITY_TRANSLATIONS = {
    "rijeka": ("Rijeka", "Rijeka", "Fiume"),
    "trento": ("Trento", "Trient", "Trento"),
    "stockholm": ("Stockholm", "Stockholm", "Stoccolma"),
    "barcelona": ("Barcelona", "Barcelona", "Barcellona"),
    "lisbon": ("Lisabon", "Lissabon", "Lisbona"),
    "freiburg": ("Freiburg im Breisgau", "Freiburg im Breisgau", "Friburgo in Brisgovia"),
}
COMPETENCE_TRANSLATIONS = {
    "Internet of things": ("Internet stvari", "Internet der Dinge", "Internet delle cose"),
    "Data platforms": ("Podatkovne platforme", "Datenplattformen", "Piattaforme di dati"),
    "Machine learning": ("Strojno učenje", "Maschinelles Lernen", "Apprendimento automatico"),
    "Embedded systems": ("Ugradbeni sustavi", "Eingebettete Systeme", "Sistemi embedded"),
    "Energy management": ("Upravljanje energijom", "Energiemanagement", "Gestione dell'energia"),
    "Software development": ("Razvoj softvera", "Softwareentwicklung", "Sviluppo software"),
    "Cybersecurity": ("Kibernetička sigurnost", "Cybersicherheit", "Cybersicurezza"),
    "E-mobility": ("E-mobilnost", "E-Mobilität", "Mobilità elettrica"),
    "Co-design": ("Sukreiranje", "Co-Design", "Co-progettazione"),
    "5G networks": ("5G mreže", "5G-Netze", "Reti 5G"),
    "Innovation management": ("Upravljanje inovacijama", "Innovationsmanagement", "Gestione dell'innovazione"),
    "Training": ("Osposobljavanje", "Schulung", "Formazione"),
}

# role, e-mail, full name, job title, organisation slug, membership role, public
PEOPLE = [
    ("portal administrator (superuser)", "staff@rijeka.example", "Ivana Kovačić-Demo",
     "Smart city programme manager", "city-of-rijeka", "admin", True),
    ("city staff (Rijeka, admin without superuser)", "officer@rijeka.example",
     "Tomislav Barić-Demo", "Procurement officer", "city-of-rijeka", "member", False),
    ("SME admin (Adriatic Sensor Works)", "ana@adriatic-sensors.example", "Ana Marić-Demo",
     "Managing director", "adriatic-sensor-works", "admin", True),
    ("SME member (Adriatic Sensor Works)", "luka@adriatic-sensors.example", "Luka Horvat-Demo",
     "Hardware engineer", "adriatic-sensor-works", "member", False),
    ("SME admin (FahrradWerk Karlsruhe)", "jonas@fahrradwerk.example", "Jonas Berger-Demo",
     "Founder", "fahrrad-werk-karlsruhe", "admin", True),
    ("researcher (University of Rijeka)", "marko@uniri.example", "Marko Jurić-Demo",
     "Associate professor", "university-of-rijeka", "admin", True),
    ("city staff (Karlsruhe)", "lena@karlsruhe.example", "Lena Vogt-Demo",
     "Pilot coordinator", "city-of-karlsruhe", "admin", True),
    ("city staff (Trento)", "giulia@trento.example", "Giulia Rossi-Demo",
     "Innovation officer", "comune-di-trento", "admin", True),
    ("citizen", "citizen@example.org", "Petra Novak-Demo", "", None, None, False),
]

STAFF_EMAILS = {"staff@rijeka.example"}
# City staff who work in the admin through the "City staff" group, as most staff should.
CITY_STAFF_EMAILS = {"officer@rijeka.example"}

# organisation slug, invited e-mail (no account yet), role, invited by
INVITATIONS = [
    ("adriatic-sensor-works", "marina@adriatic-sensors.example", "member",
     "ana@adriatic-sensors.example"),
    ("fahrrad-werk-karlsruhe", "tobias@fahrradwerk.example", "admin", "jonas@fahrradwerk.example"),
]


def seed(demo) -> None:
    from django.utils.text import slugify

    competences = {}
    for name in COMPETENCES:
        competences[slugify(name)], _ = Competence.objects.get_or_create(
            slug=slugify(name), defaults={"name": name}
        )
    cities = {}
    for slug, name, country, nuts, population, mentor, lat, lon in CITIES:
        cities[slug], _ = City.objects.get_or_create(
            slug=slug,
            defaults=dict(name=name, country=country, nuts_region=nuts, population=population,
                          is_mentor=mentor, latitude=lat, longitude=lon),
        )
    translations_set(Competence, {
        slugify(name): {"name": {"en": name, "hr": hr, "de": de, "it": it}}
        for name, (hr, de, it) in COMPETENCE_TRANSLATIONS.items()
    })
    translations_set(City, {
        slug: {"name": {"hr": hr, "de": de, "it": it}}
        for slug, (hr, de, it) in CITY_TRANSLATIONS.items()
    })
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    created = 0
    for (slug, name, kind, country, city, nuts, size, theme_slugs, competence_slugs, verified,
         description) in ORGANISATIONS:
        organisation, was_created = Organisation.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=name, kind=kind, helix=OrganisationKind.helix_of(kind), country=country,
                city=cities[city], nuts_region=nuts, size=size, verified=verified,
                verified_at=timezone.now() if verified else None, description=description,
            ),
        )
        if was_created:
            created += 1
            organisation.themes.set([themes[s] for s in theme_slugs if s in themes])
            organisation.competences.set([competences[s] for s in competence_slugs])
    for city_slug, org_slug in [("rijeka", "city-of-rijeka"), ("karlsruhe", "city-of-karlsruhe"),
                                ("trento", "comune-di-trento"), ("maribor", "smart-city-maribor")]:
        City.objects.filter(slug=city_slug, authority__isnull=True).update(
            authority=Organisation.objects.get(slug=org_slug)
        )
    cyberforum = Organisation.objects.get(slug="cyberforum")
    cyberforum.cluster_members.add(*Organisation.objects.filter(slug="fahrrad-werk-karlsruhe"))
    trentino = Organisation.objects.get(slug="trentino-innovation-cluster")
    trentino.cluster_members.add(*Organisation.objects.filter(slug="dolomiti-civic-tech"))

    User = get_user_model()
    for role, email, full_name, job_title, org_slug, member_role, public in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, full_name=full_name, job_title=job_title,
                is_staff=email in STAFF_EMAILS | CITY_STAFF_EMAILS,
                is_superuser=email in STAFF_EMAILS,
            )
            _verify_email(user)
            if email in CITY_STAFF_EMAILS:
                user.groups.add(city_staff_group())
        if org_slug:
            Membership.objects.get_or_create(
                user=user, organisation=Organisation.objects.get(slug=org_slug),
                defaults={"role": member_role, "is_public": public},
            )
        demo.account(role, email, DEMO_PASSWORD)
    invited = _seed_invitations()
    demo.log(f"stakeholders: {created} organisations, {invited} invitations created")


def _seed_invitations() -> int:
    """Pending invitations, so the members pages show some; written directly (no e-mail)."""
    User = get_user_model()
    now = timezone.now()
    created = 0
    for org_slug, email, role, inviter in INVITATIONS:
        organisation = Organisation.objects.get(slug=org_slug)
        invitation, was_created = Invitation.objects.get_or_create(
            organisation=organisation, email=email, status=Invitation.Status.PENDING,
            defaults={"role": role, "invited_by": User.objects.filter(email=inviter).first()},
        )
        created += was_created
        if invitation.expires_at <= now:
            invitation.expires_at = now + INVITATION_VALIDITY
            invitation.save(update_fields=["expires_at"])
    return created


def _verify_email(user) -> None:
    """Demo accounts can sign in at once: their address counts as verified for allauth."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


SYNTHETIC_KINDS = [
    (OrganisationKind.SME, 50), (OrganisationKind.STARTUP, 20), (OrganisationKind.LARGE, 5),
    (OrganisationKind.CLUSTER, 2), (OrganisationKind.UNIVERSITY, 3), (OrganisationKind.RTO, 5),
    (OrganisationKind.MUNICIPALITY, 5), (OrganisationKind.AGENCY, 3), (OrganisationKind.NGO, 7),
]
WORDS = ["Smart", "Urban", "Green", "Data", "Mobility", "Energy", "Civic", "Digital", "Blue",
         "Circular", "Solar", "Open", "Sensor", "Cloud", "Water", "Health", "Future", "Grid"]
SUFFIXES = ["Labs", "Solutions", "Systems", "Works", "Tech", "Partners", "Innovations", "Hub"]


def seed_scale(demo, count: int, *, batch_size: int = 5000, seed: int = 2026) -> None:
    """Add ``count`` synthetic organisations, with one admin each and themes, in bulk."""
    rng = random.Random(seed)
    User = get_user_model()
    cities = list(City.objects.all())
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    kinds = [kind for kind, weight in SYNTHETIC_KINDS for _ in range(weight)]
    sizes = [choice for choice, _ in Size.choices]
    start = Organisation.objects.filter(slug__startswith="synthetic-").count()
    now = timezone.now()
    hashed = User(email="x")
    hashed.set_password(DEMO_PASSWORD)
    ThemeLink = Organisation.themes.through
    for offset in range(0, count, batch_size):
        numbers = range(start + offset, start + min(offset + batch_size, count))
        with transaction.atomic():
            organisations = []
            for number in numbers:
                kind = rng.choice(kinds)
                city = rng.choice(cities)
                name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIXES)} {number}"
                organisations.append(Organisation(
                    name=name, slug=f"synthetic-{number}", kind=kind,
                    helix=OrganisationKind.helix_of(kind), country=city.country, city=city,
                    nuts_region=city.nuts_region, size=rng.choice(sizes),
                    verified=rng.random() < 0.7, description=f"{name} works on smart-city "
                    "solutions with cities, researchers and citizens.", created_at=now,
                ))
            organisations = Organisation.objects.bulk_create(organisations)
            ThemeLink.objects.bulk_create([
                ThemeLink(organisation_id=org.pk, theme_id=theme_id)
                for org in organisations for theme_id in rng.sample(theme_ids, k=2)
            ])
            users = User.objects.bulk_create([
                User(email=f"admin-{org.slug}@synthetic.example", password=hashed.password,
                     full_name=f"Synthetic Admin {org.pk}", date_joined=now)
                for org in organisations
            ])
            Membership.objects.bulk_create([
                Membership(user_id=user.pk, organisation_id=org.pk, role=Membership.Role.ADMIN,
                           created_at=now)
                for user, org in zip(users, organisations, strict=True)
            ])
    demo.log(f"stakeholders: {count} synthetic organisations added")
