"""Lists that stay fast: every list page and API list, first and deepest page, at two sizes.

For each size (default 1,000 and 100,000 organisations, with 200 and 20,000 calls, events,
projects and pilots) this builds a database once, then requests each list anonymously, first
page and deepest page (web: the last page it offers, capped; API: a cursor on the last rows),
``--repeat`` times, and prints the median CPU time (time.process_time, in-process test client)
and the queries per request. Target: every figure at the large size within 1.5x of the same
figure at the small size; the same number of queries.

    .venv/bin/python bench/bench_lists.py [--sizes 1000,100000] [--items 200,20000] [--repeat 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_lists.py

Each size runs in its own process on its own database: a SQLite file under bench/results/,
or, with DATABASE_URL, that database's name with ``_<size>`` appended (created when missing).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

WEB = ["/organisations/", "/calls/", "/events/?when=all", "/projects/", "/pilots/map/"]
API = ["/api/v1/organisations/", "/api/v1/calls/", "/api/v1/events/?when=all",
       "/api/v1/projects/", "/api/v1/pilots/"]


def configure(size: int) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecosystem.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["API_THROTTLE_ANON"] = "1000000/min"
    os.environ.setdefault("REDIS_URL", "")
    url = os.environ.get("DATABASE_URL")
    if url:
        base, _, name = url.rpartition("/")
        os.environ["DATABASE_URL"] = f"{base}/{name}_{size}"
        _create_postgres_database(base, f"{name}_{size}")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / f'bench_lists_{size}.sqlite3'}"
    return os.environ["DATABASE_URL"]


def _create_postgres_database(base: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def seed(size: int, items: int) -> None:
    """The demo data, ``size`` organisations in all and ``items`` synthetic calls, events,
    projects and pilots (public, so every list shows them), built once."""
    from django.core.management import call_command

    from stakeholders.models import Organisation

    call_command("migrate", verbosity=0, interactive=False)
    if not Organisation.objects.filter(slug="city-of-rijeka").exists():
        call_command("seed_demo", quiet_accounts=True, stdout=open(os.devnull, "w"))
    missing = size - Organisation.objects.count()
    if missing > 0:
        from ecosystem.management.commands.seed_demo import Demo
        from stakeholders.demo import seed_scale

        seed_scale(Demo(out=open(os.devnull, "w")), missing)
    _seed_items(items)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics until autovacuum gets to them; a
        # served database has them. Without, PostgreSQL picks plans for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _seed_items(items: int, batch: int = 2000) -> None:
    from django.db import transaction
    from django.utils import timezone

    from events.models import Event
    from procurement.models import Call
    from projects.models import Pilot, Project
    from stakeholders.models import City, Helix, Organisation

    now = timezone.now()
    buyers = list(Organisation.objects.filter(helix=Helix.PUBLIC).values_list("pk", flat=True)
                  [:500])
    cities = list(City.objects.all())
    made = Call.objects.filter(slug__startswith="bench-").count()
    for start in range(made, items, batch):
        numbers = range(start, min(start + batch, items))
        with transaction.atomic():
            Call.objects.bulk_create([Call(
                buyer_id=buyers[n % len(buyers)], title=f"Smart lighting challenge {n}",
                slug=f"bench-call-{n}", challenge="Light the old town with less energy.",
                procedure=Call.Procedure.PRE_COMMERCIAL, cpv_codes=["48000000-8"],
                nuts_region="HR031", estimated_value=100000, currency="EUR",
                status=Call.Status.PUBLISHED, publication_date=now - timedelta(minutes=n),
                clarification_deadline=now + timedelta(days=10 + n % 30),
                submission_deadline=now + timedelta(days=20 + n % 30),
            ) for n in numbers])
            Event.objects.bulk_create([Event(
                title=f"Urban data meetup {n}", slug=f"bench-event-{n}",
                summary="Open data for city services.", description="A meetup on open data.",
                kind=Event.Kind.WORKSHOP, mode=Event.Mode.ONLINE,
                starts_at=now + timedelta(hours=n), ends_at=now + timedelta(hours=n + 2),
                time_zone="Europe/Zagreb", publication=Event.Publication.PUBLISHED,
                published_at=now,
            ) for n in numbers])
            projects = Project.objects.bulk_create([Project(
                acronym=f"BENCH{n:06d}", title=f"Citizen science for clean air {n}",
                slug=f"bench-project-{n}", funding_programme="interreg_ce",
                status=Project.Status.ONGOING, start_date=date(2024, 1, 1),
                end_date=date(2027, 12, 31),
            ) for n in numbers])
            Pilot.objects.bulk_create([Pilot(
                city=cities[n % len(cities)], project_id=project.pk,
                title=f"Air quality sensors {n}", slug=f"bench-pilot-{n}",
                status=Pilot.Status.RUNNING,
            ) for n, project in zip(numbers, projects, strict=True)])


def deepest_cursor(queryset) -> str:
    """A cursor for the list's last page (its last 20 rows), as a next link would carry it."""
    from ecosystem.api.pagination import _value_of, encode_cursor, ordering_keys

    keys = ordering_keys(queryset)
    total = queryset.count()
    row = queryset.order_by(*(key.order() for key in keys))[max(total - 21, 0)]
    return encode_cursor([_value_of(row, key.name) for key in keys], reverse=False)


def deepest_full_page(url: str) -> int:
    """The last page of the web list that is full (capped at the lists' page limit), so that
    the deepest page shows as many rows at both sizes."""
    from ecosystem.pagination import MAX_PAGES
    from events import views as event_views
    from procurement import views as call_views
    from projects import views as project_views
    from stakeholders import views as directory_views

    querysets = api_querysets()
    sizes = {"/organisations/": directory_views.PAGE_SIZE, "/calls/": call_views.PAGE_SIZE,
             "/events/?when=all": event_views.PAGE_SIZE, "/projects/": project_views.PAGE_SIZE,
             "/pilots/map/": project_views.MAP_LIST_SIZE}
    rows = querysets[f"/api/v1{url}" if url != "/pilots/map/" else "/api/v1/pilots/"].count()
    return max(1, min(MAX_PAGES, rows // sizes[url]))


def api_querysets() -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from events import selectors as events
    from procurement import selectors as procurement
    from projects import selectors as projects
    from stakeholders import selectors as stakeholders

    anonymous = AnonymousUser()
    return {
        "/api/v1/organisations/": stakeholders.organisation_list(viewer=anonymous),
        "/api/v1/calls/": procurement.call_list(viewer=anonymous),
        "/api/v1/events/?when=all": events.event_list(viewer=anonymous),
        "/api/v1/projects/": projects.project_list(viewer=anonymous),
        "/api/v1/pilots/": projects.pilot_list(viewer=anonymous),
        "_now": timezone.now(),
    }


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times, walls = [], []
    for _ in range(repeat):
        started, started_wall = time.process_time(), time.perf_counter()
        client.get(url)
        times.append(time.process_time() - started)
        walls.append(time.perf_counter() - started_wall)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {"ms": statistics.median(times) * 1000, "wall": statistics.median(walls) * 1000,
            "queries": len(queries), "kb": len(response.content) / 1024}


def run_one(size: int, items: int, repeat: int) -> dict:
    warnings.filterwarnings("ignore", message="No directory at")
    database = configure(size)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    seed(size, items)
    built = time.perf_counter() - started
    from stakeholders.models import Organisation

    client = Client()
    figures = {"size": size, "items": items, "vendor": connection.vendor,
               "organisations": Organisation.objects.count(), "seed_s": built, "rows": {}}
    for url in WEB:
        join = "&" if "?" in url else "?"
        figures["rows"][f"{url} first"] = measure(client, url, repeat)
        # The last full page the list offers (capped at 50 pages).
        figures["rows"][f"{url} deepest (last full page)"] = measure(
            client, f"{url}{join}page={deepest_full_page(url)}", repeat)
    from urllib.parse import quote

    for url, queryset in api_querysets().items():
        if url.startswith("_"):
            continue
        join = "&" if "?" in url else "?"
        figures["rows"][f"{url} first"] = measure(client, url, repeat)
        figures["rows"][f"{url} deepest (cursor)"] = measure(
            client, f"{url}{join}cursor={quote(deepest_cursor(queryset))}", repeat)
    figures["database"] = database.rpartition("@")[2]
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--items", default="200,20000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one-items", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.one_items, args.repeat)))
        return

    sizes = [int(value) for value in args.sizes.split(",")]
    items = [int(value) for value in args.items.split(",")]
    results = []
    for size, count in zip(sizes, items, strict=True):
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--one-items", str(count),
             "--repeat", str(args.repeat)],
            check=True, capture_output=True, text=True, env=os.environ.copy(),
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    small, large = results[0], results[-1]
    print(f"{small['vendor']}: {small['organisations']:,} organisations / {small['items']:,} "
          f"items vs {large['organisations']:,} / {large['items']:,} "
          f"(built in {small['seed_s']:.0f} s and {large['seed_s']:.0f} s); "
          f"median of {args.repeat} anonymous requests: CPU ms of this process and wall ms "
          f"(wall includes the database server's work on PostgreSQL); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    small_n, large_n = f"{small['organisations']:,}", f"{large['organisations']:,}"
    print(f"| list | {small_n}: CPU ms | wall ms | queries | {large_n}: CPU ms | wall ms "
          "| queries | ratio CPU | ratio wall | KB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = worst_wall = 0.0
    for key, first in small["rows"].items():
        second = large["rows"][key]
        ratio, ratio_wall = second["ms"] / first["ms"], second["wall"] / first["wall"]
        worst, worst_wall = max(worst, ratio), max(worst_wall, ratio_wall)
        same = "" if first["queries"] == second["queries"] else " (queries differ)"
        print(f"| {key} | {first['ms']:.1f} | {first['wall']:.1f} | {first['queries']} | "
              f"{second['ms']:.1f} | {second['wall']:.1f} | {second['queries']}{same} | "
              f"{ratio:.2f} | {ratio_wall:.2f} | {second['kb']:.0f} |")
    print(f"worst ratio {worst:.2f} CPU, {worst_wall:.2f} wall (target 1.5 or less)")
    (RESULTS / f"lists_{small['vendor']}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
