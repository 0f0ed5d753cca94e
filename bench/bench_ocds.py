"""What it costs to serve the OCDS releases of a busy portal.

Builds 5,000 awarded calls with 20 applications each (bulk inserts; each call's "tender" and
"award" releases are built by the real release builder, so awards list 20 tenderers), then
measures, through the Django test client and the whole middleware stack:

1. paging through /api/v1/ocds/releases/?page_size=1000 by following the Link: rel="next"
   headers (keyset pagination, one bounded page in memory at a time);
2. the streamed feed /api/v1/ocds/releases/stream/, consumed chunk by chunk.

Each is timed once without tracing (wall time) and once under tracemalloc (peak memory).

    .venv/bin/python bench/bench_ocds.py [--calls 5000] [--applications 20] [--page-size 1000]

Uses a throwaway SQLite file under bench/results/, or ``--db FILE`` (kept, and reused when it
already holds the releases), or DATABASE_URL when it is set (rows are added: use a scratch
database).
"""

import argparse
import os
import sys
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def configure(db: str | None) -> Path | None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecosystem.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["API_THROTTLE_ANON"] = "1000000/min"
    os.environ.setdefault("REDIS_URL", "")
    if db:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(db).resolve()}"
        return None
    if os.environ.get("DATABASE_URL"):
        return None
    db_file = RESULTS / f"bench_ocds_{os.getpid()}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    return db_file


def build(calls: int, per_call: int) -> int:
    from django.db import transaction
    from django.utils import timezone

    from procurement import services
    from procurement.models import Application, AwardDecision, Call, Criterion, Release
    from stakeholders.models import Organisation
    from tests.factories import UserFactory

    now = timezone.now()
    chair = UserFactory(email=f"bench-chair-{uuid.uuid4().hex[:8]}@example.org")
    buyer = Organisation.objects.create(name="Bench City", slug=f"bench-city-{uuid.uuid4().hex[:6]}",
                                       helix="public", kind="municipality", country="HR",
                                       nuts_region="HR031")
    bidders = Organisation.objects.bulk_create([
        Organisation(name=f"Bench SME {n}", slug=f"bench-sme-{uuid.uuid4().hex[:10]}",
                     helix="industry", kind="sme", size="small", country="HR",
                     nuts_region="HR031")
        for n in range(per_call)
    ])
    batch = 500
    for offset in range(0, calls, batch):
        with transaction.atomic():
            rows = Call.objects.bulk_create([
                Call(buyer=buyer, title=f"Smart parking sensors, district {offset + n}",
                     slug=f"bench-{uuid.uuid4().hex}", ocid=f"ocds-sc0001-{uuid.uuid4()}",
                     challenge="Detect free parking spaces and publish them as open data.",
                     procedure="pre_commercial", cpv_codes=["34996000-5", "73100000-3"],
                     nuts_region="HR031", estimated_value=180000, currency="EUR",
                     publication_date=now - timedelta(days=90),
                     clarification_deadline=now - timedelta(days=70),
                     submission_deadline=now - timedelta(days=60),
                     closed_at=now - timedelta(days=60), status="published")
                for n in range(min(batch, calls - offset))
            ])
            Criterion.objects.bulk_create([
                Criterion(call=call, name=name, weight=weight, position=position)
                for call in rows
                for position, (name, weight) in enumerate((("Quality", 70), ("Price", 30)))
            ])
            applications = Application.objects.bulk_create([
                Application(call=call, organisation=org, status="submitted",
                            submitted_at=now - timedelta(days=61), receipt_sha256="0" * 64,
                            answers={}, outcome="unsuccessful")
                for call in rows for org in bidders
            ])
            for call in rows:
                services.publish_release(call=call, tags=["tender"],
                                         now=now - timedelta(days=90))
            winners = {}
            for application in applications:
                winners.setdefault(application.call_id, application)
            decisions = AwardDecision.objects.bulk_create([
                AwardDecision(call=call, chair=chair, reasons="Highest weighted score.",
                              decided_at=now - timedelta(days=30))
                for call in rows
            ])
            AwardDecision.winners.through.objects.bulk_create([
                AwardDecision.winners.through(awarddecision_id=d.pk,
                                              application_id=winners[d.call_id].pk)
                for d in decisions
            ])
            Call.objects.filter(pk__in=[c.pk for c in rows]).update(
                status="awarded", awarded_at=now - timedelta(days=30))
            for call in Call.objects.filter(pk__in=[c.pk for c in rows]).select_related("buyer"):
                services.publish_release(call=call, tags=["award"], now=now - timedelta(days=30))
        print(f"  built {min(offset + batch, calls)} / {calls} calls", flush=True)
    return Release.objects.count()


def page_through(client, page_size: int) -> tuple[int, int, int]:
    url = f"/api/v1/ocds/releases/?page_size={page_size}"
    releases = pages = size = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        size += len(response.content)
        releases += response.content.count(b'"initiationType"')  # once per release
        pages += 1
        link = response.headers.get("Link")
        url = link.split(";")[0].strip("<>").replace("http://testserver", "") if link else None
    return releases, pages, size


def stream(client) -> tuple[int, int]:
    response = client.get("/api/v1/ocds/releases/stream/")
    assert response.status_code == 200
    size = chunks = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        chunks += 1
    return size, chunks


def measure(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--applications", type=int, default=20)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--db", help="keep the data in this SQLite file and reuse it next time")
    args = parser.parse_args()
    db_file = configure(args.db)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from procurement.models import Release

    try:
        total = Release.objects.count()
        if total >= 2 * args.calls:
            print(f"Reusing {total} stored releases\n")
        else:
            start = time.perf_counter()
            print(f"Building {args.calls} awarded calls x {args.applications} applications ...")
            total = build(args.calls, args.applications)
            print(f"  {total} releases stored in {time.perf_counter() - start:.1f} s\n")
        client = Client()
        for page_size in sorted({100, args.page_size}):
            (releases, pages, size), elapsed, peak = measure(
                "paged", lambda page_size=page_size: page_through(client, page_size))
            print(f"Paged /api/v1/ocds/releases/ (page_size={page_size}): {releases} releases in "
                  f"{pages} pages, {size / 1e6:.1f} MB of JSON")
            print(f"  time {elapsed:.2f} s ({releases / elapsed:,.0f} releases/s), "
                  f"peak traced memory {peak / 1e6:.1f} MB")
        (size, chunks), elapsed, peak = measure("stream", lambda: stream(client))
        print(f"Streamed /api/v1/ocds/releases/stream/: {size / 1e6:.1f} MB in {chunks} chunks")
        print(f"  time {elapsed:.2f} s ({size / 1e6 / elapsed:.1f} MB/s), "
              f"peak traced memory {peak / 1e6:.1f} MB")
    finally:
        if db_file is not None:
            from django.db import connections

            connections.close_all()
            for path in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
                path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
