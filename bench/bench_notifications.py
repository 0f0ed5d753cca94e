"""Relay and digest throughput: 100,000 pending notifications to 10,000 people.

    .venv/bin/python bench/bench_notifications.py [--people 10000] [--per-person 10]

Uses a throwaway SQLite file unless DATABASE_URL is set (then a PostgreSQL database you can
drop). E-mails go to Django's dummy backend (built and rendered, not sent). Prints:
- relay: outbox rows published per second (to an in-memory broker: claim, publish, mark);
- instant delivery: e-mails rendered and "sent" per second (a sample, run in-process);
- digests: time to schedule and send one daily digest to each of the people, in one process
  and (PostgreSQL) with 2 worker processes claiming the send batches side by side as Celery
  workers do, and the peak Python memory (tracemalloc) of doing it in one process, to show it
  never loads everything at once.
"""

import argparse
import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_notifications.sqlite3")
os.environ["REDIS_URL"] = ""
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.utils import timezone  # noqa: E402

from ecosystem.celery import app as celery_app  # noqa: E402
from ecosystem.notifications import digests, registry  # noqa: E402
from ecosystem.notifications.models import (  # noqa: E402
    DigestDelivery,
    EmailDelivery,
    Notification,
    OutboxMessage,
)
from ecosystem.notifications.outbox import outbox_relay  # noqa: E402
from ecosystem.notifications.registry import Frequency, NotificationKind  # noqa: E402
from ecosystem.notifications.services import DELIVER_EMAIL_TASK  # noqa: E402

TEMPLATE = "notifications/notifications/announcement"


def _fast_commits(sender, connection, **kwargs):
    """Measure our code, not the disk of a shared machine: no fsync per commit (WAL on
    SQLite, asynchronous commit on PostgreSQL). Production keeps durable commits."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")


connection_created.connect(_fast_commits)


def log(message):
    print(message, flush=True)


def prepare(people: int, per_person: int):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    for model in (DigestDelivery, EmailDelivery, OutboxMessage, Notification):
        model.objects.all().delete()
    User = get_user_model()
    User.objects.filter(email__endswith="@bench.example").delete()
    users = User.objects.bulk_create(
        [User(email=f"person{n}@bench.example", full_name=f"Bench Person {n}",
              password="!", language=("en", "hr", "de", "it")[n % 4]) for n in range(people)],
        batch_size=2000,
    )
    start, end = digests.period_for(Frequency.DAILY)
    step = (end - start) / (per_person + 1)
    rows = []
    total = 0
    for index in range(per_person):
        created_at = start + step * (index + 1)
        for user in users:
            rows.append(Notification(
                recipient_id=user.pk, kind="bench.daily", subject=f"New call {index} for you",
                body="Rijeka is looking for parking sensors. Apply by 1 March.",
                url=f"/calls/{index}/", context={"subject": f"New call {index}", "body": "x"},
                dedupe_key=f"bench:{index}", created_at=created_at,
            ))
        if len(rows) >= 20000:
            Notification.objects.bulk_create(rows, batch_size=5000)
            total += len(rows)
            rows = []
    Notification.objects.bulk_create(rows, batch_size=5000)
    total += len(rows)
    return users, total


def bench_relay(total: int) -> None:
    """Publish one outbox row per notification to an in-memory broker."""
    ids = Notification.objects.order_by("pk").values_list("pk", flat=True).iterator(
        chunk_size=10000)
    batch = []
    now = timezone.now()
    for notification_id in ids:
        batch.append(OutboxMessage(task=DELIVER_EMAIL_TASK,
                                   payload={"notification_id": notification_id},
                                   created_at=now, next_attempt_at=now))
        if len(batch) == 10000:
            OutboxMessage.objects.bulk_create(batch, batch_size=5000)
            batch = []
    OutboxMessage.objects.bulk_create(batch, batch_size=5000)
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, "memory://"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    started, cpu = time.perf_counter(), time.process_time()
    published = 0
    while True:
        count = outbox_relay(limit=1000, max_batches=10)
        published += count
        if not count:
            break
    seconds = time.perf_counter() - started
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    log(f"relay:   {published:,} outbox rows published in {seconds:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s) = {published / seconds:,.0f} notifications/s")
    OutboxMessage.objects.all().delete()


def bench_instant(sample: int) -> None:
    """Render and 'send' instant e-mails in-process, through the outbox."""
    registry.register(NotificationKind(key="bench.daily", label="Bench", template=TEMPLATE,
                                       default_frequency=Frequency.INSTANT))
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    now = timezone.now()
    OutboxMessage.objects.bulk_create([
        OutboxMessage(task=DELIVER_EMAIL_TASK, payload={"notification_id": pk}, created_at=now,
                      next_attempt_at=now) for pk in ids])
    started, cpu = time.perf_counter(), time.process_time()
    while outbox_relay(limit=1000, max_batches=10):
        pass
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    sent = EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).count()
    log(f"instant: {sent:,} e-mails rendered and sent in {seconds:.1f} s "
        f"(CPU {cpu:.1f} s) = {sent / seconds:,.0f} e-mails/s (sample of {sample:,}, in-process)")
    # Back to the digest preference and pending, for the digest run.
    EmailDelivery.objects.all().delete()
    OutboxMessage.objects.all().delete()
    registry.register(NotificationKind(key="bench.daily", label="Bench", template=TEMPLATE,
                                       default_frequency=Frequency.DAILY))


def _relay_until_empty(_worker: int) -> int:
    """One worker process: keep claiming one outbox row (a batch of 100 digests) at a time."""
    connection.close()  # never share the parent's connection after fork
    sent = 0
    while True:
        count = outbox_relay(limit=1, max_batches=1)
        if not count:
            return sent
        sent += count


def bench_digests(people: int, *, measure_memory: bool, processes: int = 1) -> None:
    """Schedule the daily digests, then send them with ``processes`` worker processes that
    claim the send batches from the outbox side by side (as Celery workers would)."""
    import multiprocessing
    import resource

    from ecosystem.notifications import outbox

    DigestDelivery.objects.all().delete()
    OutboxMessage.objects.all().delete()
    now = timezone.now() + timedelta(seconds=1)
    if measure_memory:
        tracemalloc.start()
    kick = outbox.kick_relay_on_commit
    outbox.kick_relay_on_commit = lambda: None  # the workers below publish instead
    started, cpu = time.perf_counter(), time.process_time()
    try:
        scheduled = digests.digests_schedule(frequency=Frequency.DAILY, now=now)
    finally:
        outbox.kick_relay_on_commit = kick
    scheduled_in = time.perf_counter() - started
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if processes > 1:
        connection.close()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_relay_until_empty, range(processes))
    else:
        while outbox_relay(limit=1000, max_batches=10):
            pass
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (time.process_time() - cpu + children.ru_utime - children_before.ru_utime
           + children.ru_stime - children_before.ru_stime)
    sent = DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count()
    if measure_memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        log(f"digests (tracemalloc on, slower): {sent:,} sent in {seconds:.1f} s, "
            f"peak Python memory {peak / 1024 / 1024:.1f} MiB")
    else:
        log(f"digests: {scheduled:,} scheduled in {scheduled_in:.1f} s; {sent:,} assembled "
            f"and sent in {seconds:.1f} s total with {processes} worker process(es) "
            f"(CPU {cpu:.1f} s) = {sent / seconds:,.0f} people/s "
            f"(target: {people:,} people < 60 s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--per-person", type=int, default=10)
    parser.add_argument("--instant-sample", type=int, default=5_000)
    parser.add_argument("--parts", default="relay,instant,digests,memory",
                        help="comma-separated subset of relay,instant,digests,memory")
    parser.add_argument("--processes", type=int, default=0,
                        help="digest worker processes (default: 2 on PostgreSQL, 1 on SQLite)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the notifications of a previous run (skip the setup)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    registry.register(NotificationKind(key="bench.daily", label="Bench", template=TEMPLATE,
                                       default_frequency=Frequency.DAILY))
    log(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    started = time.perf_counter()
    if args.reuse and Notification.objects.exists():
        call_command("migrate", verbosity=0)
        total = Notification.objects.count()
        log(f"reusing {total:,} notifications")
    else:
        _users, total = prepare(args.people, args.per_person)
        log(f"setup:   {total:,} notifications to {args.people:,} people "
            f"in {time.perf_counter() - started:.1f} s")
    if "relay" in parts:
        bench_relay(total)
    if "instant" in parts:
        bench_instant(args.instant_sample)
    processes = args.processes or (2 if connection.vendor == "postgresql" else 1)
    if "digests" in parts:
        if processes > 1:
            bench_digests(args.people, measure_memory=False, processes=1)
        bench_digests(args.people, measure_memory=False, processes=processes)
    if "memory" in parts:
        bench_digests(args.people, measure_memory=True)


if __name__ == "__main__":
    main()
