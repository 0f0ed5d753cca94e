"""50 people register at once for 10 places: exactly 10 confirmed, 40 waiting."""

import threading

import pytest
from django.db import close_old_connections, connection

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
