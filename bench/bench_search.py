"""The global search and its suggestions at 1,000 and at 100,000 organisations.

Builds (once, kept under bench/results/ or in DATABASE_URL) the demo data plus N synthetic
organisations and N/5 synthetic calls and N/5 events, indexes them (timing
``rebuild_search_index``), then times in-process, wall clock:

- ``/api/v1/search/?q=`` through the test client (ranking, permission filter, facets, page of
  20 highlighted hits): p50 / p95 over a mix of queries (common word, two words, accent-free
  city, typo, German stem, a facet filter) and the SQL queries per request;
- ``/search/suggestions/?q=`` (the header's combobox): p50 / p95, queries per request.

Targets: search p95 under 50 ms on PostgreSQL, suggestions under 30 ms. Wall, CPU and SQL time
are printed with the load average: on a shared machine wall time mostly measures the others.

    .venv/bin/python bench/bench_search.py [--scale 100000] [--repeat 15] [--fresh]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/bench_search.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

SEARCHES = [
    "energy", "mobility data", "cakovec", "rijeka", "mobilty", "smart parking sensors",
    "Ladestation", "kvarner energy lab", "energy&country=HR", "hackathon&kind=events.event",
]
SUGGESTIONS = ["kv", "ene", "mobil", "smart ci", "rije", "hydro"]
WORDS = ("energy mobility parking sensors data platform hydrogen charging bikes water waste "
         "lighting heating traffic air quality digital twin open data tourism health schools "
         "ports logistics drones robotics circular economy solar wind storage grid buildings").split()
GERMAN = "Ladestationen Energieversorgung Stadtwerke Bürgerbeteiligung Verkehrswende".split()


def configure(scale: int, fresh: bool) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecosystem.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["API_THROTTLE_ANON"] = "1000000/min"
    os.environ.setdefault("REDIS_URL", "")
    if os.environ.get("DATABASE_URL"):
        return
    db_file = RESULTS / f"bench_search_{scale}.sqlite3"
    if fresh and db_file.exists():
        db_file.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"


def seed(scale: int) -> float | None:
    """Demo data + ``scale`` organisations + scale/5 calls and events, indexed. Returns the
    seconds the index rebuild took, or None when everything was already there."""
    from django.core.management import call_command
    from django.utils import timezone

    from ecosystem.search import index
    from ecosystem.search.models import SearchDocument
    from events.models import Event
    from procurement.models import Call
    from stakeholders.models import City, Organisation

    call_command("migrate", verbosity=0, interactive=False)
    # Built and indexed already? (Organisation titles do not say "synthetic", their slugs do.)
    if (Organisation.objects.filter(slug__startswith="synthetic-").count() >= scale
            and Call.objects.filter(slug__startswith="synthetic-").count() >= scale // 5
            and Event.objects.filter(slug__startswith="synthetic-").count() >= scale // 5
            and SearchDocument.objects.count() >= scale + 2 * (scale // 5)):
        return None
    if Organisation.objects.filter(slug__startswith="synthetic-").count() < scale:
        Organisation.objects.filter(slug__startswith="synthetic-").delete()
        call_command("seed_demo", scale=scale, quiet_accounts=True, stdout=open(os.devnull, "w"))
    rng = random.Random(11)
    now = timezone.now()
    buyers = list(Organisation.objects.filter(helix="public").values_list("pk", flat=True)[:200])
    cities = list(City.objects.all())
    Call.objects.filter(slug__startswith="synthetic-").delete()
    Event.objects.filter(slug__startswith="synthetic-").delete()
    for start in range(0, scale // 5, 5000):
        numbers = range(start, min(start + 5000, scale // 5))
        Call.objects.bulk_create([Call(
            buyer_id=rng.choice(buyers), title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} "
            f"challenge synthetic {n}", slug=f"synthetic-call-{n}", procedure="pre_commercial",
            challenge=f"The city needs {rng.choice(WORDS)} and {rng.choice(WORDS)} solutions. "
            f"{rng.choice(GERMAN)}.", status=rng.choice(["published", "draft", "awarded"]),
            publication_date=now - timedelta(days=rng.randint(0, 900)),
            submission_deadline=now + timedelta(days=rng.randint(-300, 300)), created_at=now,
        ) for n in numbers])
        Event.objects.bulk_create([Event(
            title=f"{rng.choice(WORDS).title()} {rng.choice(['hackathon', 'workshop', 'webinar'])}"
            f" synthetic {n}", slug=f"synthetic-event-{n}", kind="workshop", city=rng.choice(cities),
            summary=f"On {rng.choice(WORDS)} and {rng.choice(WORDS)}.",
            starts_at=now + timedelta(days=rng.randint(-400, 400)),
            ends_at=now + timedelta(days=400, hours=3), publication=rng.choice(
                ["published", "published", "draft"]), published_at=now, created_at=now,
        ) for n in numbers])
    started = time.perf_counter()
    index.rebuild()
    return time.perf_counter() - started


def measure(client, urls, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, sql, queries = [], [], [], []
    for url in urls:  # warm up
        assert client.get(url).status_code == 200, url
    for _ in range(repeat):
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
            queries.append(len(captured.captured_queries))
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)

    def p95(values):
        return sorted(values)[int(len(values) * 0.95) - 1]

    return (statistics.median(timings), p95(timings), statistics.median(cpu), p95(cpu),
            statistics.median(sql), p95(sql), min(queries), max(queries))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()
    configure(options.scale, options.fresh)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from ecosystem.search.models import SearchDocument

    rebuild = seed(options.scale)
    client = Client(HTTP_HOST="127.0.0.1")
    documents = SearchDocument.objects.count()
    search = measure(client, [f"/api/v1/search/?q={q}" for q in SEARCHES], options.repeat)
    # The deepest page offered (page numbers past the last are answered with the last page).
    deepest = measure(client, [f"/api/v1/search/?q={q}&page=50" for q in SEARCHES],
                      options.repeat)
    page = measure(client, [f"/search/?q={q}" for q in SEARCHES], options.repeat)
    suggest = measure(client, [f"/search/suggestions/?q={q}" for q in SUGGESTIONS], options.repeat)
    vendor = connection.vendor
    print(f"\n{vendor}, {options.scale:,} organisations, {documents:,} documents"
          + (f", index rebuilt in {rebuild:.0f} s" if rebuild else ""))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wall = what a "
          "client waits, cpu = this process (SQLite included), sql = time inside the queries")
    print(f"{'':<26}{'wall p50':>9}{'p95':>7}{'cpu p50':>9}{'p95':>7}{'sql p50':>9}{'p95':>7}"
          f"{'queries':>9}")
    rows = (("search (API) first page", search), ("search (API) deepest page", deepest),
            ("/search/ first page", page), ("suggestions", suggest))
    for name, (p50, p95, c50, c95, s50, s95, qmin, qmax) in rows:
        queries = f"{qmin}" if qmin == qmax else f"{qmin}-{qmax}"
        print(f"{name:<26}{p50:>9.1f}{p95:>7.1f}{c50:>9.1f}{c95:>7.1f}{s50:>9.1f}{s95:>7.1f}"
              f"{queries:>9}")


if __name__ == "__main__":
    main()
