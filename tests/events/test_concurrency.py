"""50 people register at once for 10 places: exactly 10 confirmed, 40 waiting.

30 people register at once through the API for the last 4 places, on PostgreSQL (row locks)
and on SQLite as ``make run`` configures it (write lock taken when a transaction begins, a busy
timeout, WAL): 4 confirmed, 26 on the waiting list, no ``database is locked`` 500.
"""

import contextlib
import os
import sqlite3
import tempfile
import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from ecosystem.errors import DomainError
from events import services
from events.models import Registration
from tests.factories import UserFactory

from .factories import EventFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_50_concurrent_registrations_for_10_places():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises "
                    "writers and cannot show the race.")
    event = EventFactory(capacity=10)
    users = [UserFactory() for _ in range(50)]
    barrier = threading.Barrier(len(users))
    errors = []

    def register(user):
        try:
            barrier.wait()
            services.registration_create(event=event, user=user)
        except DomainError as exc:  # pragma: no cover - would fail the test below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("confirmed") == 10
    assert statuses.count("waiting") == 40
    numbers = sorted(Registration.objects.filter(event=event, status="waiting")
                     .values_list("queue_number", flat=True))
    assert numbers == list(range(1, 41))


def test_concurrent_cancellations_promote_each_waiting_person_once():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT ... FOR UPDATE) need PostgreSQL.")
    event = EventFactory(capacity=5)
    holders = [services.registration_create(event=event, user=UserFactory()) for _ in range(5)]
    waiting = [services.registration_create(event=event, user=UserFactory()) for _ in range(8)]
    barrier = threading.Barrier(len(holders))

    def cancel(registration):
        try:
            barrier.wait()
            services.registration_cancel(registration=registration, actor=registration.user)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    confirmed = set(Registration.objects.filter(event=event, status="confirmed")
                    .values_list("pk", flat=True))
    assert confirmed == {r.pk for r in waiting[:5]}  # first come, first served


@contextlib.contextmanager
def _shared_database():
    """Threads open their own connections. PostgreSQL: the test database itself. SQLite: the
    in-memory test database cannot be shared by writers, so it is copied to a file database
    (with the settings' options: IMMEDIATE transactions, busy timeout, WAL) for the race."""
    if connection.vendor != "sqlite":
        yield
        return
    settings = connection.settings_dict
    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "race.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory_name = settings["NAME"]
    settings["NAME"] = path  # connections opened from now on (other threads) use the file
    try:
        yield
    finally:
        settings["NAME"] = memory_name
        for name in os.listdir(directory):
            os.unlink(os.path.join(directory, name))
        os.rmdir(directory)


def _in_a_thread(work):
    """Run ``work`` on a connection of its own (the race's database) and return its result."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_30_people_register_through_the_api_for_the_last_4_places():
    event = EventFactory(capacity=10)
    for _ in range(6):
        services.registration_create(event=event, user=UserFactory())
    users = [UserFactory() for _ in range(30)]
    with _shared_database():
        barrier = threading.Barrier(len(users))
        answers = []

        def register(user):
            client = Client(raise_request_exception=False)
            client.force_login(user)
            try:
                barrier.wait()
                answers.append(client.post(f"/api/v1/events/{event.pk}/register/", {},
                                           content_type="application/json").status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=register, args=(user,)) for user in users]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = _in_a_thread(lambda: list(
            Registration.objects.filter(event=event, user__in=users)
            .values_list("status", flat=True)))
        elapsed = time.monotonic() - started
    print(f"\n{connection.vendor}: answers {sorted(set(answers))}, "
          f"{statuses.count('confirmed')} confirmed, {statuses.count('waiting')} waiting "
          f"in {elapsed:.2f} s")
    assert answers == [201] * 30
    assert statuses.count("confirmed") == 4
    assert statuses.count("waiting") == 26
