"""Matchmaking at scale (PostgreSQL): organisations, open calls, upcoming events.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_matching \\
        .venv/bin/python bench/bench_matching_scale.py [--orgs 100000 --calls 5000 --events 2000]
        [--build-only]       # build the data set and stop (about a minute at 100,000)
        [--reuse]            # time a data set built before (by --build-only) instead
        [--refresh-orgs N]   # refresh only the first N organisations and extrapolate
        [--workers 2]        # worker processes sharing the refresh's batch jobs
        [--agreement 100]    # organisations whose rows are checked against scoring everything
        [--parts publish,refresh,read]

Builds the data with bulk inserts (every organisation has 1-4 of 15 themes, a description
from a vocabulary of 60 words, a city among 40, one member), then prints:
- publish: scoring one newly published call against every organisation it may reach and
  queueing the notifications (``target_published``: scores in SQL on the stored profiles,
  notify written, follow-up jobs queued), then the follow-up jobs storing rows, timed apart;
- refresh: the nightly job over every organisation (or the first N, extrapolated: said so):
  its batch jobs of ``BATCH_SIZE`` run by ``--workers`` spawned processes, each reading the
  candidates once as a Celery worker process does for the jobs of one run; wall time, ms per
  organisation, each worker's peak resident memory, the load average, how many top N were
  proven equal to scoring every candidate, and, for a sample, the stored rows against scoring
  every candidate and against the engine before ``Matcher.top`` (its cuts);
- read: the For-you API for one member: milliseconds and queries (constant: same for a
  member with 2 or 20 stored rows).
"""

import argparse
import os
import random
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_matching")
os.environ["REDIS_URL"] = ""
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from ecosystem.matching import services  # noqa: E402
from ecosystem.matching.models import Recommendation, StoredProfile  # noqa: E402
from ecosystem.models import Theme  # noqa: E402
from ecosystem.notifications.models import Notification, OutboxMessage  # noqa: E402
from events.models import Event  # noqa: E402
from procurement.models import Call  # noqa: E402
from stakeholders.models import City, Membership, Organisation  # noqa: E402

WORDS = ("sensors parking mobility energy solar charging bikes buses traffic air quality water "
         "flood waste recycling lighting buildings heating data platform open citizens schools "
         "health care elderly training skills jobs software cloud security cameras drones maps "
         "tourism culture food farming logistics delivery robots ai analytics dashboards apps "
         "payments tickets permits housing noise trees parks river port rail tram grid").split()
KINDS = [("sme", "industry"), ("startup", "industry"), ("large", "industry"),
         ("university", "academia"), ("rto", "academia"), ("municipality", "public"),
         ("ngo", "civil"), ("citizens", "civil")]


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(args):
    rng = random.Random(7)
    now = timezone.now()
    themes = Theme.objects.bulk_create([Theme(name=f"Theme {n}", slug=f"theme-{n}",
                                              group="city") for n in range(15)])
    cities = City.objects.bulk_create([
        City(name=f"City {n}", slug=f"city-{n}", country=rng.choice(["HR", "DE", "IT", "ES", "AT"]),
             nuts_region=f"HR0{n % 9}") for n in range(40)])
    orgs = []
    for n in range(args.orgs):
        kind, helix = rng.choice(KINDS)
        city = rng.choice(cities)
        orgs.append(Organisation(
            name=f"Organisation {n}", slug=f"org-{n}", kind=kind, helix=helix,
            country=city.country, nuts_region=city.nuts_region, city=city,
            description=text(rng, 25), verified=rng.random() < 0.7,
            size="small" if kind in ("sme", "startup") else ""))
    orgs = Organisation.objects.bulk_create(orgs, batch_size=5000)
    through = Organisation.themes.through
    through.objects.bulk_create([
        through(organisation_id=o.pk, theme_id=t.pk)
        for o in orgs for t in rng.sample(themes, rng.randint(1, 4))], batch_size=10000)
    users = get_user_model().objects.bulk_create([
        get_user_model()(email=f"person{n}@bench.example", password="!") for n in range(len(orgs))],
        batch_size=5000)
    Membership.objects.bulk_create([Membership(user=u, organisation=o)
                                    for u, o in zip(users, orgs, strict=True)], batch_size=5000)
    buyers = [o for o in orgs if o.helix == "public"][:300]
    calls = Call.objects.bulk_create([
        Call(buyer=rng.choice(buyers), title=f"Call {n}: {text(rng, 4)}", slug=f"call-{n}",
             challenge=text(rng, 30), procedure="pre_commercial", status="published",
             cpv_codes=[rng.choice(["48000000-8", "72000000-5", "34144900-7", "90700000-4"])],
             publication_date=now, clarification_deadline=now + timedelta(days=10),
             submission_deadline=now + timedelta(days=30)) for n in range(args.calls)],
        batch_size=2000)
    Call.themes.through.objects.bulk_create([
        Call.themes.through(call_id=c.pk, theme_id=t.pk)
        for c in calls for t in rng.sample(themes, rng.randint(1, 3))], batch_size=10000)
    events = Event.objects.bulk_create([
        Event(title=f"Event {n}: {text(rng, 4)}", slug=f"event-{n}", description=text(rng, 30),
              kind="workshop", mode="in_person", city=rng.choice(cities),
              starts_at=now + timedelta(days=5 + n % 60), ends_at=now + timedelta(days=5 + n % 60,
                                                                                hours=3),
              publication="published", published_at=now) for n in range(args.events)],
        batch_size=2000)
    Event.organisers.through.objects.bulk_create([
        Event.organisers.through(event_id=e.pk, organisation_id=rng.choice(buyers).pk)
        for e in events], batch_size=5000)
    Event.themes.through.objects.bulk_create([
        Event.themes.through(event_id=e.pk, theme_id=t.pk)
        for e in events for t in rng.sample(themes, rng.randint(1, 3))], batch_size=10000)
    return orgs, themes, buyers, users


def _batch_job(job):
    """One batch job in a worker process: the service the Celery task calls."""
    organisation_ids, run = job
    stats = {}
    t, cpu = time.perf_counter(), time.process_time()
    rows = services.recommendations_refresh_batch(organisation_ids=organisation_ids, run=run,
                                                  stats=stats)
    return (rows, stats, time.perf_counter() - t, os.getpid(), peak_mb(),
            time.process_time() - cpu)


def refresh_bench(args):
    """The nightly refresh: every organisation (or the first ``--refresh-orgs``, said so), in
    batch jobs of ``BATCH_SIZE`` shared by ``--workers`` processes, each reading the candidates
    once (as a Celery worker process does for the jobs of one run)."""
    import multiprocessing

    from django.db import connections

    from ecosystem.matching.scoring import conf

    batch = conf("BATCH_SIZE")
    # Each run rewrites 6,000,000 rows. Between two nights autovacuum reclaims the old ones;
    # where it is off (this build machine) every rerun of the bench would time a table
    # bloated by the runs before (11 GB after four), so the bench vacuums first.
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")
        autovacuum = cursor.fetchone()[0]
        for model in (Recommendation, StoredProfile):
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
    print(f"  vacuumed the two tables the refresh rewrites in {time.perf_counter() - t:.0f} s "
          f"(autovacuum is {autovacuum} here), not timed")
    run, batches = services.nightly_batches(batch_size=batch)  # what the nightly job queues
    ids = [pk for ids in batches for pk in ids]
    subset = ids[: args.refresh_orgs] if args.refresh_orgs else ids
    jobs = [(subset[start:start + batch], run) for start in range(0, len(subset), batch)]
    connections.close_all()
    load_before = os.getloadavg()
    t = time.perf_counter()
    rows, per_worker, stats, first, later, cpu_first, cpu_later = 0, {}, {}, {}, [], {}, []
    # Spawned, not forked: a worker process starts clean, as a Celery worker does, instead of
    # inheriting this process's memory (the data it built).
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        for done, (n, job_stats, seconds, pid, peak, cpu) in enumerate(
                pool.imap_unordered(_batch_job, jobs), 1):
            rows += n
            if pid in first:
                later.append(seconds)
                cpu_later.append(cpu)
            first.setdefault(pid, seconds)  # a process's first job reads the candidates
            cpu_first.setdefault(pid, cpu)
            per_worker[pid] = max(per_worker.get(pid, 0.0), peak)
            for kind, counts in job_stats.items():
                for key, value in counts.items():
                    stats.setdefault(kind, {}).setdefault(key, 0)
                    stats[kind][key] += value
            if done % 20 == 0 or done == len(jobs):
                print(f"  {done}/{len(jobs)} batch jobs, {time.perf_counter() - t:.0f} s, "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
    wall = time.perf_counter() - t
    load_after = os.getloadavg()
    per_org = wall / len(subset)
    # Reading the candidates happens once per worker process, not per organisation: the
    # extrapolation adds it once to the steady rate of the jobs after each process's first.
    later.sort()
    job = later[len(later) // 2] if later else max(first.values())
    reading = max(0.0, max(first.values()) - job)
    steady = max(wall - reading, 0.0) / len(subset)
    note = "" if len(subset) == len(ids) else (
        f"; all {len(ids)} EXTRAPOLATED from {len(subset)}: reading {reading:.0f} s + "
        f"{steady * 1000:.2f} ms x {len(ids)} = {(reading + steady * len(ids)) / 60:.1f} min")
    print(f"refresh: {len(subset)} organisations in {len(jobs)} batch jobs of {batch} on "
          f"{args.workers} worker processes ({os.cpu_count()} cores), {rows} rows: {wall:.0f} s wall "
          f"({wall / 60:.1f} min, {per_org * 1000:.2f} ms per organisation; target < 10 min for "
          f"all){note}; candidates read by each process's first job: "
          f"{', '.join(f'{s:.0f} s' for s in first.values())}; peak memory per worker process "
          f"{', '.join(f'{m:.0f} MB' for m in per_worker.values())} (target < 1024 MB); "
          f"load average before {load_before}, after {load_after}")
    if cpu_later:
        # What the machine's load does not change: CPU seconds of the worker processes.
        cpu_per_org = sum(cpu_later) / (len(cpu_later) * batch)
        cpu_reading = max(0.0, max(cpu_first.values()) - cpu_per_org * batch)
        print(f"  CPU (worker processes, this Python; PostgreSQL's apart): {cpu_per_org * 1000:.2f} "
              f"ms per organisation, {cpu_reading:.0f} s reading the candidates once per "
              f"process; on {args.workers} free cores all {len(ids)} would take "
              f"{(cpu_reading + cpu_per_org * len(ids) / args.workers) / 60:.1f} min")
    for kind, counts in sorted(stats.items()):
        print(f"  {kind}: top {conf('TOP_N')} proven equal to scoring every candidate for "
              f"{counts.get('exact', 0)} organisations, best found within TOP_BUDGET for "
              f"{counts.get('best_found', 0)}")
    if args.agreement:
        agreement(subset[:: max(1, len(subset) // args.agreement)][: args.agreement])


def agreement(sample):
    """Stored rows against scoring every candidate (``match`` without its cuts) and against
    the engine before ``Matcher.top`` (``match`` with its MAX_POSTINGS/MAX_SCORED cuts)."""
    from django.test.utils import override_settings

    from ecosystem.matching import registry
    from ecosystem.matching.scoring import rank

    profiles = registry.load_profiles(sample)
    dismissed = services._dismissed(sample)
    stored = {}
    for org, kind, target in Recommendation.objects.filter(organisation_id__in=sample) \
            .values_list("organisation_id", "kind", "target_id"):
        stored.setdefault((org, kind), set()).add(target)
    t = time.perf_counter()
    cut = services.build_matchers()
    with override_settings(MATCHING={"MAX_POSTINGS": 10 ** 9, "MAX_SCORED": 10 ** 9}):
        full = services.build_matchers()
        found = {}
        for key, matcher in full.items():
            for org in sample:
                top = rank(matcher.match(profiles[org]), dismissed=dismissed.get((org, key)))
                found[(org, key)] = {item.candidate.id for item in top}
    old = {}
    for key, matcher in cut.items():
        for org in sample:
            top = rank(matcher.match(profiles[org]), dismissed=dismissed.get((org, key)))
            old[(org, key)] = {item.candidate.id for item in top}
    for key in sorted(full):
        pairs = [(org, key) for org in sample]
        every = sum(len(found[p]) for p in pairs)
        same = sum(len(found[p] & stored.get(p, set())) for p in pairs)
        before = sum(len(found[p] & old[p]) for p in pairs)
        equal = sum(found[p] == stored.get(p, set()) for p in pairs)
        if every:
            print(f"  agreement, {key}: of the {every} rows that scoring every candidate "
                  f"stores for {len(sample)} organisations, the refresh stored {same} "
                  f"({same / every:.1%}; the same set for {equal} organisations); the engine "
                  f"before (MAX_POSTINGS/MAX_SCORED cuts) found {before} ({before / every:.1%})")
    print(f"  (agreement measured in {time.perf_counter() - t:.0f} s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=5_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--refresh-orgs", type=int, default=0,
                        help="refresh only this many organisations and extrapolate")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes sharing the refresh's batch jobs")
    parser.add_argument("--agreement", type=int, default=100,
                        help="organisations whose stored rows are compared with scoring every "
                             "candidate (0: none)")
    parser.add_argument("--parts", default="publish,refresh,read",
                        help="what to time, of publish,refresh,read")
    parser.add_argument("--build-only", action="store_true",
                        help="build the data set and stop")
    parser.add_argument("--reuse", action="store_true",
                        help="time the data set already in the database (built by --build-only)")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run it on PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    reverse("home")  # load the URLconf before timing anything
    if args.reuse:
        # What the timings below need from a data set built earlier; the calls this bench
        # publishes itself are removed so that a second run starts from the same state.
        Call.objects.filter(slug__startswith="new-call-").delete()
        themes = list(Theme.objects.filter(slug__startswith="theme-").order_by("pk"))
        buyers = list(Organisation.objects.filter(helix="public").order_by("pk")[:300])
        users = list(get_user_model().objects.filter(email__endswith="@bench.example")
                     .order_by("pk")[:1])
        print(f"data: reusing {Organisation.objects.count()} organisations, "
              f"{Call.objects.count()} calls, "
              f"{Event.objects.count()} events already in the database")
    else:
        call_command("flush", interactive=False, verbosity=0)
        t = time.perf_counter()
        orgs, themes, buyers, users = build(args)
        print(f"data: {args.orgs} organisations, {args.calls} open calls, {args.events} upcoming "
              f"events built in {time.perf_counter() - t:.0f} s")
        if args.build_only:
            return
    print(f"machine load average (1, 5, 15 min): {os.getloadavg()}")

    parts = set(args.parts.split(","))
    if "publish" in parts:
        publish_bench(buyers, themes)
    if "refresh" in parts:
        refresh_bench(args)
    if "read" in parts:
        read_bench(users)


def publish_bench(buyers, themes):
    # 1. A call is published: score it against every organisation it may reach, notify.
    # The follow-up jobs that store the rows (2,000 organisations each) are queued, as with
    # a broker; the relay is not kicked in-process during the timing (without a broker tasks
    # run eagerly, which would time the workers' jobs too). They are then run here, one
    # after the other, and timed apart.
    from ecosystem.matching import store
    from ecosystem.notifications import outbox

    # The nightly refresh stores every organisation's profile (StoredProfile) alongside its
    # recommendations; a freshly built data set has none, so store them first, as it would.
    t = time.perf_counter()
    stored_now = store.ensure_stored(Organisation.objects.values_list("pk", flat=True), kind_key="call",
                                     needs_vector=True, indexes=store.text_indexes)
    print(f"profiles: {stored_now} stored profiles written in {time.perf_counter() - t:.0f} s "
          f"(part of the nightly refresh)")
    # A worker starting learns the live text indexes before it takes a job (worker_init);
    # forget what storing the profiles learned, so this is what a fresh worker does.
    store._TEXT_INDEXES.clear()
    print(f"worker start: live text indexes of calls and events learned in "
          f"{store.warm_text_indexes():.2f} s (before the first job)")
    now = timezone.now()
    real_kick = outbox.kick_relay
    for n, title in enumerate(("Parking sensors and air quality", "Air quality data platform")):
        call = Call.objects.create(
            buyer=buyers[0], title=title, slug=f"new-call-{n}",
            challenge="sensors parking air quality data platform open citizens",
            procedure="pre_commercial", status="published", cpv_codes=["48000000-8"],
            publication_date=now, clarification_deadline=now + timedelta(days=10),
            submission_deadline=now + timedelta(days=30))
        call.themes.set(themes[:2])
        OutboxMessage.objects.filter(task=services.TARGET_ROWS_TASK).delete()
        outbox.kick_relay = lambda: None
        t = time.perf_counter()
        reached = services.target_published(kind="call", target_id=call.pk)
        publish = time.perf_counter() - t
        outbox.kick_relay = real_kick
        told = Notification.objects.filter(kind="matching.call_match",
                                           target_id=str(call.pk)).count()
        jobs = list(OutboxMessage.objects.filter(task=services.TARGET_ROWS_TASK))
        t = time.perf_counter()
        stored = sum(services.target_rows(**job.payload) for job in jobs)
        follow = time.perf_counter() - t
        label = "first call (fresh worker)" if n == 0 else "second call (warm process)"
        print(f"publish, {label}: scored against the organisations it may reach ({reached} "
              f"matched), {told} members notified, {len(jobs)} follow-up jobs queued: "
              f"{publish:.2f} s (target < 2 s); the follow-up jobs then stored {stored} rows "
              f"in {follow:.1f} s ({follow / max(len(jobs), 1):.1f} s per job, run one after "
              f"the other here; workers run them in parallel)")



def read_bench(users):
    # 3. Reading: the For-you API in-process, constant queries.
    member = users[0]
    client = APIClient()
    client.force_authenticate(member)
    client.get("/api/v1/me/recommendations/")
    reset_queries()
    timings = []
    for _ in range(20):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.get("/api/v1/me/recommendations/?limit=20")
            timings.append((time.perf_counter() - t) * 1000)
    rows = Recommendation.objects.filter(organisation=member.memberships.get().organisation).count()
    timings.sort()
    print(f"read: For-you API, {len(response.json())} items shown of {rows} stored: median "
          f"{timings[len(timings) // 2]:.1f} ms, {len(queries)} queries (target < 20 ms)")


if __name__ == "__main__":
    main()
