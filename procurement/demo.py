"""Demo calls for innovation procurement, from the domain's source documents (people invented).

Every call is played through the services with the clock set in the past where needed, so the
demo holds the same audit trail, notifications and OCDS releases as real use:

- Rijeka, smart parking sensors (pre-commercial procurement): completed, contract signed.
- Rijeka, open data platform (pre-commercial procurement): open, with Q&A and an amendment.
- Karlsruhe, eBike charging stations (innovation partnership): under evaluation; the demo
  evaluator has to declare conflicts and score.
- Trento, e-government challenge prize: open, SMEs from Italy and neighbours.
- CEEIM Murcia, SME4SMARTCITIES-style open innovation procurement: open.
- Murcia, circular-economy market call: cancelled with its public reason.
- Rijeka, a draft for city staff to finish and publish.
Idempotent: calls are looked up by slug.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from ecosystem.i18n.content import translations_set
from ecosystem.models import Theme
from stakeholders.demo import DEMO_PASSWORD
from stakeholders.models import Membership, Organisation

from . import services
from .models import Application, Call

EVALUATOR_EMAIL = "expert@evaluators.example"
ZAGREB, BERLIN, ROME, MADRID = "Europe/Zagreb", "Europe/Berlin", "Europe/Rome", "Europe/Madrid"


def _at(days: int, hour: int, minute: int = 0, tz: str = ZAGREB) -> datetime:
    """``days`` from today at a time a buyer would choose, in the buyer's own time zone:
    deadlines at noon or 23:59, publication in the morning, applications in office hours."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))


PARKING_TITLE = "Smart parking sensors for Rijeka's old town"
EXTRA_PEOPLE = [
    # role, e-mail, full name, organisation slug
    ("evaluator (external expert)", EVALUATOR_EMAIL, "Dr. Nora Lindqvist-Demo", None),
    ("SME admin (Kvarner Energy Lab)", "founder@kvarner-energy.example", "Tomislav Babić-Demo",
     "kvarner-energy-lab"),
    ("start-up admin (Green Mobility Freiburg)", "team@greenmobility-freiburg.example",
     "Mia Schreiber-Demo", "freiburg-green-mobility"),
]


def _user(email, full_name="", organisation=None):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
        EmailAddress.objects.get_or_create(user=user, email=email,
                                           defaults={"verified": True, "primary": True})
    if organisation is not None:
        Membership.objects.get_or_create(user=user, organisation=organisation,
                                         defaults={"role": Membership.Role.ADMIN})
    return user


def _org(slug):
    return Organisation.objects.get(slug=slug)


def _themes(*slugs):
    return list(Theme.objects.filter(slug__in=slugs))


def _call(*, actor, buyer, themes, criteria=(), lots=(), **fields) -> Call:
    call = services.call_create(actor=actor, buyer=_org(buyer), themes=_themes(*themes), **fields)
    for name, weight, description in criteria:
        services.criterion_create(call=call, actor=actor, name=name, weight=weight,
                                  description=description)
    for title, value in lots:
        services.lot_create(call=call, actor=actor, title=title, estimated_value=value)
    return call


def _apply(call, org_slug, user, now, *, submit=True, texts=None):
    application = services.application_create(call=call, organisation=_org(org_slug), actor=user,
                                              now=now)
    answers = {}
    for criterion in call.criteria.all():
        answers[str(criterion.pk)] = (texts or {}).get(criterion.name) or (
            f"{_org(org_slug).name} on {criterion.name.lower()}: we build on our pilots in the "
            f"region and propose a solution tested with citizens.")
    services.application_update(application=application, actor=user, answers=answers, now=now)
    if call.lots.exists():
        services.application_update(application=application, actor=user,
                                    lots=list(call.lots.all()[:1]), now=now)
    if submit:
        services.application_submit(application=application, actor=user, now=now)
    return application


# The buyer's own language beside English (the other languages fall back with a note).
CALL_TRANSLATIONS = {
    "Open data platform for the City of Rijeka": {
        "title": {"hr": "Platforma otvorenih podataka Grada Rijeke"},
        "challenge": {"hr": "Rijeka objavljuje podatke senzora, proračuna i gradskih usluga na "
                            "mnogo mjesta. Trebamo jednu platformu otvorenih podataka (katalog "
                            "DCAT-AP, API-ji, vizualizacije) koju gradski odjeli mogu puniti bez "
                            "informatičara, a na kojoj tvrtke i istraživači mogu graditi."},
    },
}


def seed(demo) -> None:
    if Call.objects.filter(title=PARKING_TITLE).exists():
        demo.log("procurement: demo calls already present")
        return
    people = {}
    for role, email, full_name, org_slug in EXTRA_PEOPLE:
        people[email] = _user(email, full_name, _org(org_slug) if org_slug else None)
        demo.account(role, email, DEMO_PASSWORD)
    User = get_user_model()
    rijeka = User.objects.get(email="staff@rijeka.example")
    lena = User.objects.get(email="lena@karlsruhe.example")
    giulia = User.objects.get(email="giulia@trento.example")
    ana = User.objects.get(email="ana@adriatic-sensors.example")
    jonas = User.objects.get(email="jonas@fahrradwerk.example")
    marko = User.objects.get(email="marko@uniri.example")
    expert = people[EVALUATOR_EMAIL]
    kvarner = people["founder@kvarner-energy.example"]
    freiburg = people["team@greenmobility-freiburg.example"]
    # 1. Rijeka smart parking: the whole lifecycle, 150 days ago to 40 days ago.
    parking = _call(
        actor=rijeka, buyer="city-of-rijeka",
        themes=("mobility", "open-data", "ict"),
        title=PARKING_TITLE,
        challenge="Drivers circle the old town looking for a free space. The City of Rijeka "
                  "needs low-power sensors on 400 on-street spaces that report occupancy in "
                  "real time to the city's M2M platform, published as open data and shown in "
                  "the citizen app. Phase 1: solution design; phase 2: prototype on 40 spaces; "
                  "phase 3: field test with CEKOM as the testing platform.",
        procedure=Call.Procedure.PRE_COMMERCIAL, cpv_codes=["34996000-5", "73100000-3"],
        nuts_region="HR031", estimated_value=180000, currency="EUR", smes_only=True,
        clarification_deadline=_at(-130, 12),
        submission_deadline=_at(-120, 12),
        evaluation_end=_at(-100, 12).date(),
        award_date=_at(-90, 12).date(),
        criteria=[
            ("Technical quality and innovation", 50, "Accuracy, battery life, open data."),
            ("Price", 30, "Total cost for the three phases."),
            ("Team and plan", 20, "Experience, testing plan with the city and CEKOM."),
        ],
    )
    services.call_publish(call=parking, actor=rijeka, now=_at(-150, 9))
    question = services.question_ask(call=parking, actor=ana,
                                     organisation=_org("adriatic-sensor-works"),
                                     text="May sensors be fixed to existing lamp posts?",
                                     now=_at(-145, 9, 40))
    services.question_answer(question=question, actor=rijeka,
                             answer="Yes, the city grants access to its 230 V lamp posts.",
                             now=_at(-144, 11, 15))
    services.evaluator_assign(call=parking, actor=rijeka, evaluator=expert, is_chair=True)
    services.evaluator_assign(call=parking, actor=rijeka, evaluator=rijeka)
    winner = _apply(parking, "adriatic-sensor-works", ana, _at(-125, 10, 20))
    _apply(parking, "kvarner-energy-lab", kvarner, _at(-121, 16, 45))
    closed = _at(-120, 12, 5)
    services.call_close_submissions(call=parking, now=closed)
    for evaluator, base in ((expert, 8), (rijeka, 7)):
        for application in parking.applications.all():
            bonus = 1 if application.pk == winner.pk else -1
            services.conflict_declare(application=application, actor=evaluator,
                                      has_conflict=False, now=closed + timedelta(days=2))
            sheet = services.scoresheet_save(
                application=application, actor=evaluator, now=closed + timedelta(days=3),
                scores={c.pk: (base + bonus, "Assessed against the call's description of "
                               f"{c.name.lower()}.") for c in parking.criteria.all()})
            services.scoresheet_submit(scoresheet=sheet, actor=evaluator,
                                       now=closed + timedelta(days=4))
    award_at = _at(-90, 10)
    services.call_award(call=parking, actor=expert, winners=[winner], now=award_at,
                        reasons="Highest weighted score from both evaluators: the most accurate "
                                "sensors with a five-year battery and data published under an "
                                "open licence, at a price within the estimate.")
    parking.refresh_from_db()
    services.contract_record(call=parking, actor=rijeka, application=winner,
                             title="PCP smart parking sensors – phases 1 to 3", value=172500,
                             start_date=(award_at + timedelta(days=14)).date(),
                             end_date=(award_at + timedelta(days=380)).date(),
                             now=parking.standstill_ends_at + timedelta(days=2))

    # 2. Rijeka open data platform: open, with an answered question and an amendment.
    platform = _call(
        actor=rijeka, buyer="city-of-rijeka", themes=("open-data", "egovernment"),
        title="Open data platform for the City of Rijeka",
        challenge="Rijeka publishes data from sensors, the budget and city services in many "
                  "places. We need one open data platform (DCAT-AP catalogue, APIs, "
                  "visualisations) that city departments can feed without IT staff and that "
                  "companies and researchers can build on.",
        procedure=Call.Procedure.PRE_COMMERCIAL, cpv_codes=["48000000-8", "72300000-8"],
        nuts_region="HR031", estimated_value=240000, currency="EUR",
        clarification_deadline=_at(14, 12),
        submission_deadline=_at(30, 12),
        evaluation_end=_at(50, 12).date(),
        award_date=_at(60, 12).date(),
        criteria=[("Quality of the solution", 50, "Standards, usability, openness."),
                  ("Price", 30, "Licence-free operation for five years."),
                  ("Involvement of users", 20, "How departments and citizens co-design it.")],
        lots=[("Catalogue and APIs", 160000), ("Visualisation and training", 80000)],
    )
    services.call_publish(call=platform, actor=rijeka, now=_at(-10, 9))
    question = services.question_ask(call=platform, actor=marko,
                                     organisation=_org("university-of-rijeka"),
                                     text="Must the platform run on the city's own servers?")
    services.question_answer(question=question, actor=rijeka,
                             answer="No: a hosted EU service is fine if the data stay in the EU "
                                    "and can be exported at any time.")
    services.question_ask(call=platform, actor=ana, organisation=_org("adriatic-sensor-works"),
                          text="Can one organisation apply for both lots?")
    _apply(platform, "university-of-rijeka", marko, _at(-2, 15, 30))
    _apply(platform, "adriatic-sensor-works", ana, _at(-1, 17, 10), submit=False)
    services.call_amend(call=platform, actor=rijeka,
                        rationale="The estimated value includes five years of hosting.",
                        estimated_value=260000, invalidates=False)

    # 3. Karlsruhe eBike charging: under evaluation, the demo evaluator has work to do.
    ebike = _call(
        actor=lena, buyer="city-of-karlsruhe",
        themes=("mobility", "renewable-energy"),
        title="eBike charging stations chosen with citizens",
        challenge="In the URBAN INNO pilot citizens marked on an online map where they want "
                  "eBike charging stations and safer bike paths. Karlsruhe seeks partners in an "
                  "innovation partnership to develop solar-powered charging stations for those "
                  "places, test ten of them and then supply up to 60.",
        procedure=Call.Procedure.INNOVATION_PARTNERSHIP, cpv_codes=["31682000-0", "45310000-3"],
        nuts_region="DE122", estimated_value=450000, currency="EUR",
        allowed_countries=["DE", "AT", "FR", "CH", "IT"],
        clarification_deadline=_at(-25, 12, tz=BERLIN),
        submission_deadline=_at(-3, 23, 59, tz=BERLIN),
        evaluation_end=_at(20, 12, tz=BERLIN).date(),
        award_date=_at(30, 12, tz=BERLIN).date(),
        criteria=[("Innovation and energy concept", 40, ""), ("Price", 30, ""),
                  ("Citizen involvement", 15, ""), ("Maintenance", 15, "")],
    )
    services.call_publish(call=ebike, actor=lena, now=_at(-45, 9, tz=BERLIN))
    services.evaluator_assign(call=ebike, actor=lena, evaluator=expert, is_chair=True)
    services.evaluator_assign(call=ebike, actor=lena, evaluator=lena)
    _apply(ebike, "fahrrad-werk-karlsruhe", jonas, _at(-6, 14, tz=BERLIN))
    _apply(ebike, "freiburg-green-mobility", freiburg, _at(-4, 11, 30, tz=BERLIN))
    services.call_close_submissions(call=ebike, actor=None, now=_at(-2, 0, 5, tz=BERLIN))

    # 4. Trento e-government challenge prize: open.
    prize = _call(
        actor=giulia, buyer="comune-di-trento", themes=("egovernment", "open-data"),
        title="Challenge prize: digital public services citizens actually use",
        challenge="After the URBAN INNO code sprint, the Comune di Trento offers prizes for "
                  "working prototypes that make one public service simpler online – booking, "
                  "certificates or reporting problems – built on the city's open data.",
        procedure=Call.Procedure.CHALLENGE_PRIZE, cpv_codes=["72212000-4"], nuts_region="ITH20",
        estimated_value=60000, currency="EUR", smes_only=True,
        allowed_countries=["IT", "AT", "SI", "HR", "DE"],
        eligibility_notes="Teams of SMEs or start-ups; students may join an SME team.",
        clarification_deadline=_at(20, 12, tz=ROME),
        submission_deadline=_at(40, 23, 59, tz=ROME),
        criteria=[("Value for citizens", 40, ""), ("Use of open data", 30, ""),
                  ("Feasibility", 30, "")],
    )
    services.call_publish(call=prize, actor=giulia, now=_at(-5, 9, tz=ROME))

    # 5. SME4SMARTCITIES-style open innovation procurement by CEEIM (Murcia): open.
    sme4 = _call(
        actor=rijeka, buyer="ceeim", themes=("clean-industry", "skills-and-employment"),
        title="Open innovation procurement: SME solutions for Mediterranean smart cities",
        challenge="Following SME4SMARTCITIES, CEEIM invites SMEs to propose market-ready "
                  "solutions for energy efficiency in public buildings, to be piloted with "
                  "partner cities in the MED area before a joint procurement.",
        procedure=Call.Procedure.OPEN_INNOVATION, cpv_codes=["73000000-2", "90700000-4"],
        nuts_region="ES620", estimated_value=120000, currency="EUR", smes_only=True,
        clarification_deadline=_at(25, 12, tz=MADRID),
        submission_deadline=_at(45, 12, tz=MADRID),
        criteria=[("Impact on energy use", 50, ""), ("Readiness", 30, ""), ("Price", 20, "")],
    )
    services.call_publish(call=sme4, actor=rijeka, now=_at(-3, 9, tz=MADRID))

    # 6. A cancelled call, with its public reason.
    cancelled = _call(
        actor=rijeka, buyer="ceeim", themes=("circular-economy",),
        title="Market consultation: circular-economy logistics for Murcia's markets",
        challenge="Reusable crates and reverse logistics for municipal food markets.",
        procedure=Call.Procedure.SMALL_VALUE, cpv_codes=["90700000-4"], nuts_region="ES620",
        estimated_value=25000, currency="EUR",
        clarification_deadline=_at(5, 12, tz=MADRID),
        submission_deadline=_at(15, 23, 59, tz=MADRID),
        criteria=[("Quality", 70, ""), ("Price", 30, "")],
    )
    services.call_publish(call=cancelled, actor=rijeka, now=_at(-20, 9, tz=MADRID))
    services.call_cancel(call=cancelled, actor=rijeka,
                         reason="The market authority merged the budget into a regional "
                                "programme; a joint call will follow.")

    # 7. A draft for city staff to finish.
    _call(
        actor=rijeka, buyer="city-of-rijeka", themes=("mobility",),
        title="Adaptive traffic lights for the Krešimirova corridor",
        challenge="Reduce waiting times for buses and cyclists on the main corridor.",
        procedure=Call.Procedure.PRE_COMMERCIAL, cpv_codes=["34996000-5"], nuts_region="HR031",
        estimated_value=300000, currency="EUR",
        clarification_deadline=_at(40, 12),
        submission_deadline=_at(60, 12),
        criteria=[("Quality", 60, "")],
    )
    assert Application.objects.filter(call=parking).count() == 2
    translations_set(Call, CALL_TRANSLATIONS, key="title_en")
    demo.log(f"procurement: {Call.objects.count()} calls with applications, evaluation, award "
             "and a contract")
