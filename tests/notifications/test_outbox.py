from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from ecosystem.celery import app as celery_app
from ecosystem.notifications import outbox
from ecosystem.notifications.models import EmailDelivery, OutboxMessage
from ecosystem.notifications.outbox import outbox_relay
from ecosystem.notifications.services import notify

from .conftest import INSTANT, ctx

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def fail(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr(EmailBackend, "send_messages", fail)


def test_relay_publishes_and_the_task_marks_done(alice):
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    assert outbox_relay() == 1
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxMessage.Status.DONE, 1)
    assert row.done_at is not None
    assert len(mail.outbox) == 1
    assert outbox_relay() == 0


def test_failure_is_retried_with_exponential_backoff(alice, smtp_down, monkeypatch):
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    outbox_relay()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.PENDING
    assert row.attempts == 1
    assert "SMTP server unreachable" in row.last_error
    first_wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)
    assert not EmailDelivery.objects.filter(status="sent").exists()

    assert outbox_relay() == 0  # not due yet
    outbox_relay(now=row.next_attempt_at + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=50)  # doubled

    monkeypatch.undo()  # the mail server is back
    outbox_relay(now=row.next_attempt_at + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.DONE
    assert len(mail.outbox) == 1


def test_dead_letter_after_max_attempts_and_staff_retry(alice, admin_user, smtp_down,
                                                        monkeypatch, client):
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    later = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        later += timedelta(days=1)
        outbox_relay(now=later)
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.DEAD
    assert row.attempts == outbox.MAX_ATTEMPTS
    outbox_relay(now=later + timedelta(days=1))
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.DEAD  # dead letter stays put

    client.force_login(admin_user)
    listing = client.get("/admin/notifications/outboxmessage/?status__exact=dead")
    assert listing.status_code == 200
    assert "SMTP server unreachable" in listing.text
    monkeypatch.undo()
    response = client.post("/admin/notifications/outboxmessage/",
                           {"action": "retry", "_selected_action": [row.pk]})
    assert response.status_code == 302
    outbox_relay()
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.DONE
    assert len(mail.outbox) == 1


@pytest.fixture
def broker_down(monkeypatch):
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(celery_app, "send_task", refuse)
    from ecosystem.notifications.tasks import outbox_relay_task

    monkeypatch.setattr(outbox_relay_task, "apply_async", refuse)
    yield
    celery_app.conf.task_always_eager = eager


def test_broker_down_never_fails_the_caller_nor_burns_attempts(
    alice, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=INSTANT, recipients=[alice], context=ctx())  # the kick fails quietly
    for _ in range(3):
        assert outbox_relay() == 0
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxMessage.Status.PENDING, 0)
    assert outbox._kick_paused_until > 0  # later kicks in this process wait


def test_published_but_never_done_is_published_again(alice):
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    stale = timezone.now() - outbox._stale_after() - timedelta(minutes=1)
    OutboxMessage.objects.update(status=OutboxMessage.Status.PUBLISHED, published_at=stale,
                                 attempts=1)
    assert outbox_relay() == 1
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxMessage.Status.DONE, 2)
    assert len(mail.outbox) == 1


def test_recently_published_is_left_alone(alice):
    notify(kind=INSTANT, recipients=[alice], context=ctx())
    OutboxMessage.objects.update(status=OutboxMessage.Status.PUBLISHED,
                                 published_at=timezone.now(), attempts=1)
    assert outbox_relay() == 0
    assert mail.outbox == []


def test_backoff_is_capped():
    assert outbox.backoff(1) == timedelta(seconds=30)
    assert outbox.backoff(2) == timedelta(seconds=60)
    assert outbox.backoff(30) == timedelta(hours=6)


def test_beat_sweeps_the_outbox():
    from ecosystem.notifications.schedule import BEAT_SCHEDULE

    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {"notifications.outbox_relay", "notifications.schedule_digests"} <= tasks
    assert set(BEAT_SCHEDULE) <= set(celery_app.conf.beat_schedule)
