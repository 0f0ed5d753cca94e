from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from ecosystem.notifications import digests
from ecosystem.notifications.digests import digests_schedule, period_for
from ecosystem.notifications.models import DigestDelivery, Notification
from ecosystem.notifications.outbox import outbox_relay
from ecosystem.notifications.services import email_deliver, notify, preferences_update
from ecosystem.notifications.tasks import schedule_digests_task
from tests.factories import UserFactory

from .conftest import DAILY, INSTANT, WEEKLY, ctx

pytestmark = pytest.mark.django_db

ZAGREB = ZoneInfo("Europe/Zagreb")


def at(*args):
    return datetime(*args, tzinfo=ZAGREB)


@pytest.fixture(autouse=True)
def _digest_settings(settings):
    settings.DIGEST_HOUR = 7
    settings.DIGEST_WEEKDAY = 1
    settings.TIME_ZONE = "Europe/Zagreb"


def test_daily_period_is_the_last_full_day_to_the_digest_hour():
    assert period_for("daily", at(2026, 11, 25, 7, 0)) == (at(2026, 11, 24, 7), at(2026, 11, 25, 7))
    assert period_for("daily", at(2026, 11, 25, 9, 30)) == (at(2026, 11, 24, 7), at(2026, 11, 25, 7))
    assert period_for("daily", at(2026, 11, 25, 6, 59)) == (at(2026, 11, 23, 7), at(2026, 11, 24, 7))


def test_weekly_period_ends_on_the_digest_weekday():
    # 2026-11-23 is a Monday.
    assert period_for("weekly", at(2026, 11, 23, 7, 5)) == (at(2026, 11, 16, 7), at(2026, 11, 23, 7))
    assert period_for("weekly", at(2026, 11, 26, 12)) == (at(2026, 11, 16, 7), at(2026, 11, 23, 7))
    assert period_for("weekly", at(2026, 11, 23, 6)) == (at(2026, 11, 9, 7), at(2026, 11, 16, 7))


def _notify_at(when, **kwargs):
    created = notify(**kwargs)
    Notification.objects.filter(pk__in=[n.pk for n in created]).update(created_at=when)
    return created


def test_digest_run_twice_for_the_same_period_sends_one(alice):
    _notify_at(at(2026, 11, 24, 15), kind=DAILY, recipients=[alice], context=ctx("New event"))
    assert digests_schedule(frequency="daily", now=at(2026, 11, 25, 7, 0)) == 1
    assert digests_schedule(frequency="daily", now=at(2026, 11, 25, 7, 3)) == 0  # beat again
    outbox_relay()
    outbox_relay()
    assert len(mail.outbox) == 1
    digest = DigestDelivery.objects.get()
    assert (digest.status, digest.notification_count) == (DigestDelivery.Status.SENT, 1)
    assert "New event" in mail.outbox[0].body
    # A worker running the send again (redelivery) changes nothing.
    digests.digest_send(digest_id=digest.pk)
    assert len(mail.outbox) == 1


def test_what_goes_into_a_daily_digest(alice, bob):
    in_period = at(2026, 11, 24, 15)
    _notify_at(in_period, kind=DAILY, recipients=[alice], context=ctx("Daily one"))
    _notify_at(in_period, kind=WEEKLY, recipients=[alice], context=ctx("Weekly one"))
    _notify_at(at(2026, 11, 23, 15), kind=DAILY, recipients=[alice], context=ctx("Too old"))
    read = _notify_at(in_period, kind=DAILY, recipients=[alice], context=ctx("Already read"))
    Notification.objects.filter(pk=read[0].pk).update(read_at=timezone.now())
    instant = _notify_at(in_period, kind=INSTANT, recipients=[alice], context=ctx("E-mailed"))
    email_deliver(notification_id=instant[0].pk)
    # Bob wants the instant kind in his daily digest.
    preferences_update(user=bob, frequencies={INSTANT: "daily"})
    _notify_at(in_period, kind=INSTANT, recipients=[bob], context=ctx("For Bob daily"))
    mail.outbox = []

    digests_schedule(frequency="daily", now=at(2026, 11, 25, 7))
    outbox_relay()
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {"alice@example.org", "bob@example.org"}
    alice_mail = by_person["alice@example.org"].body
    assert "Daily one" in alice_mail
    for absent in ("Weekly one", "Too old", "Already read", "E-mailed"):
        assert absent not in alice_mail
    assert "For Bob daily" in by_person["bob@example.org"].body
    assert "daily digest" in by_person["alice@example.org"].subject


def test_nothing_to_say_means_no_digest(alice):
    _notify_at(at(2026, 11, 24, 15), kind=INSTANT, recipients=[alice], context=ctx())
    assert digests_schedule(frequency="daily", now=at(2026, 11, 25, 7)) == 0
    assert not DigestDelivery.objects.exists()


def test_weekly_digest_and_its_unsubscribe_link(alice, client):
    _notify_at(at(2026, 11, 18, 10), kind=WEEKLY, recipients=[alice], context=ctx("Hackathon"))
    digests_schedule(frequency="weekly", now=at(2026, 11, 23, 7))
    outbox_relay()
    (message,) = mail.outbox
    assert "weekly digest" in message.subject and "Hackathon" in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200
    from ecosystem.notifications.services import effective_preferences

    assert effective_preferences(user=alice)[WEEKLY] == "never"
    assert effective_preferences(user=alice)[DAILY] == "daily"


def test_long_digest_shows_the_newest_and_counts_the_rest(alice, monkeypatch):
    monkeypatch.setattr(digests, "MAX_ITEMS", 3)
    for n in range(5):
        _notify_at(at(2026, 11, 24, 10 + n), kind=DAILY, recipients=[alice],
                   context=ctx(f"Item {n}"))
    digests_schedule(frequency="daily", now=at(2026, 11, 25, 7))
    outbox_relay()
    body = mail.outbox[0].body
    assert "Item 4" in body and "Item 2" in body and "Item 1" not in body
    assert "2 more" in body
    assert DigestDelivery.objects.get().notification_count == 5


def test_people_are_walked_in_chunks(monkeypatch):
    monkeypatch.setattr(digests, "USER_CHUNK", 2)
    people = UserFactory.create_batch(5)
    _notify_at(at(2026, 11, 24, 12), kind=DAILY, recipients=people, context=ctx())
    assert digests_schedule(frequency="daily", now=at(2026, 11, 25, 7)) == 5
    outbox_relay()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_beat_task_runs_the_schedule(alice):
    start, _end = period_for("weekly")
    _notify_at(start + timedelta(days=1), kind=WEEKLY, recipients=[alice], context=ctx())
    schedule_digests_task.apply(args=("weekly",), throw=True)
    assert DigestDelivery.objects.filter(user=alice, frequency="weekly").exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_one_digest_each():
    """Two schedulers and relays racing on PostgreSQL: the unique row and the row lock win."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent writers")
    people = UserFactory.create_batch(6)
    _notify_at(at(2026, 11, 24, 12), kind=DAILY, recipients=people, context=ctx())
    barrier = threading.Barrier(2)
    errors = []

    def beat():
        try:
            barrier.wait()
            digests_schedule(frequency="daily", now=at(2026, 11, 25, 7))
            outbox_relay()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outbox_relay()
    assert errors == []
    assert DigestDelivery.objects.count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_sending_a_batch_reads_items_once_not_per_person():
    """Items and counts for a whole batch come from a fixed number of queries; each digest
    then costs only its own lock, update and savepoint, whatever its length."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n):
        DigestDelivery.objects.all().delete()
        Notification.objects.all().delete()
        people = UserFactory.create_batch(n)
        for index in range(3):
            _notify_at(at(2026, 11, 24, 9 + index), kind=DAILY, recipients=people,
                       context=ctx(f"Item {index}"))
        digests.digests_schedule(frequency="daily", now=at(2026, 11, 25, 7))
        ids = list(DigestDelivery.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as captured:
            assert digests.digests_send(digest_ids=ids) == n
        return len(captured)

    two, five, twenty = queries_for(2), queries_for(5), queries_for(20)
    per_digest = (five - two) / 3
    assert per_digest <= 4
    assert twenty - two == per_digest * 18
