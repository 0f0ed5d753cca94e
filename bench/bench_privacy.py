"""Personal data export and open-data streaming, measured.

1. "Download my data" for one person with 10,000 notifications and 1,000 event registrations:
   wall time of ``export_build`` and peak Python memory (tracemalloc, a second run), ZIP size.
2. ``/open-data/organisations.csv`` streamed through the whole Django stack with 1,000 and
   then 100,000 organisations: time to first byte, total time (wall, without tracemalloc)
   and peak Python memory while streaming (tracemalloc, a separate pass). Bounded memory
   means the peak stays flat from 1,000 to 100,000 rows.

    .venv/bin/python bench/bench_privacy.py [--orgs 100000] [--fresh]

Uses a SQLite file under bench/results/ (kept; --fresh rebuilds it) or DATABASE_URL.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def configure(fresh: bool) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecosystem.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("REDIS_URL", "")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(RESULTS / "private_media")
    if not os.environ.get("DATABASE_URL"):
        db_file = RESULTS / "bench_privacy.sqlite3"
        if fresh and db_file.exists():
            db_file.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"


def mib(value: int) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def build_person():
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ecosystem.notifications.models import Notification
    from events.models import Event, Registration

    User = get_user_model()
    person, created = User.objects.get_or_create(
        email="bench.person@example.org", defaults={"full_name": "Bench Person"})
    if not created and Notification.objects.filter(recipient=person).count() >= 10_000:
        return person
    now = timezone.now()
    Notification.objects.bulk_create([
        Notification(recipient=person, kind="events.event_reminder",
                     subject=f"Reminder {n}: Smart mobility workshop",
                     body="Your event starts within 24 hours. " * 4, url="/events/",
                     dedupe_key=f"bench-{n}", created_at=now - timedelta(minutes=n))
        for n in range(10_000)], batch_size=2000)
    events = Event.objects.bulk_create([
        Event(title=f"Bench workshop {n}", slug=f"bench-workshop-{n}", kind="workshop",
              mode="online", online_url="https://meet.example/bench",
              starts_at=now - timedelta(days=n % 300), ends_at=now - timedelta(days=n % 300)
              + timedelta(hours=2), time_zone="Europe/Zagreb", publication="published")
        for n in range(1_000)], batch_size=500)
    Registration.objects.bulk_create([
        Registration(event=event, user=person, status="attended", code=f"BENCH{n:05d}")
        for n, event in enumerate(events)], batch_size=500)
    return person


def bench_export(person) -> None:
    from ecosystem.privacy import services
    from ecosystem.privacy.models import DataExport

    def run():
        export = DataExport.objects.create(user=person)
        started = time.perf_counter()
        export = services.export_build(export_id=export.pk)
        return export, time.perf_counter() - started

    export, seconds = run()
    tracemalloc.start()
    _again, _seconds = run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"export: 10,000 notifications + 1,000 registrations -> {export.size / 1024:.0f} KiB "
          f"ZIP in {seconds:.2f} s; peak Python memory {mib(peak)}")
    for done in DataExport.objects.filter(user=person):
        done.file.delete(save=False)
    DataExport.objects.filter(user=person).delete()


def grow_organisations(total: int) -> None:
    from stakeholders.models import Organisation

    have = Organisation.objects.filter(slug__startswith="bench-org-").count()
    if have >= total:
        return
    Organisation.objects.bulk_create([
        Organisation(name=f"Bench Organisation {n}", slug=f"bench-org-{n}", helix="industry",
                     kind="sme", country="HR", nuts_region="HR031",
                     website=f"https://org{n}.example", description="Sensors and data.")
        for n in range(have, total)], batch_size=5000)


def stream_once(client, trace: bool):
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/open-data/organisations.csv")
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_byte = time.perf_counter() - started
    size, rows = len(first), first.count(b"\n")
    for chunk in chunks:
        size += len(chunk)
        rows += chunk.count(b"\n")
    total = time.perf_counter() - started
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return first_byte, total, peak, rows - 1, size


def bench_stream(scales) -> None:
    from django.db import connection
    from django.test import Client

    from stakeholders.models import Organisation

    bench = Organisation.objects.filter(slug__startswith="bench-org-")
    if bench.count() > scales[0]:  # a kept database from an earlier run: back to the small size
        keep = bench.order_by("pk").values_list("pk", flat=True)[scales[0] - 1]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM stakeholders_organisation WHERE slug LIKE %s AND id > %s",
                           ["bench-org-%", keep])
    client = Client()
    for scale in scales:
        grow_organisations(scale)
        count = Organisation.objects.count()
        stream_once(client, trace=False)  # warm up
        first_byte, total, _peak, rows, size = stream_once(client, trace=False)
        _f, _t, peak, _rows, _size = stream_once(client, trace=True)
        print(f"organisations.csv, {count:,} organisations ({rows:,} rows, {size / 1e6:.1f} MB):"
              f" first byte {first_byte * 1000:.0f} ms, total {total:.2f} s, "
              f"peak Python memory {mib(peak)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    configure(args.fresh)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    person = build_person()
    bench_export(person)
    bench_stream([1_000, args.orgs] if args.orgs > 1_000 else [args.orgs])


if __name__ == "__main__":
    main()
