"""The transactional outbox: work that must not be lost.

``outbox_enqueue`` writes rows in the caller's transaction and, after commit, kicks the relay
task (if the broker is down the kick fails quietly: beat's sweep publishes the rows later).
``outbox_relay`` claims due rows (``SKIP LOCKED``, so relays running side by side never
publish the same row), publishes each to Celery and leaves it ``PUBLISHED``; the task calls
``outbox_done`` when its work is finished or ``outbox_failed`` when it failed. A failed row
goes back to ``PENDING`` with exponential backoff; after ``MAX_ATTEMPTS`` it is dead letter.
A row published long ago but never done (its message was lost, e.g. Redis restarted without
persistence) is published again, which is safe because every consumer is idempotent.

Every task fed by the outbox takes ``outbox_id`` as a keyword argument.
"""

import logging
import time
from contextlib import nullcontext
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)
BACKOFF_BASE_SECONDS = getattr(settings, "OUTBOX_BACKOFF_SECONDS", 30)
BACKOFF_MAX_SECONDS = 6 * 3600
BATCH_SIZE = 500


def _stale_after() -> timedelta:
    """A published row not done after this long has lost its message: publish it again.
    Longer than the broker's visibility timeout plus the hard time limit, so a message that
    the broker itself will redeliver is not doubled needlessly."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return timedelta(seconds=visibility + settings.CELERY_TASK_TIME_LIMIT + 60)


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 2 min, 4 min ... capped at 6 h."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


# After a failed kick this process stops trying for a while: reaching a broker that is away
# takes seconds (the Redis client retries), and requests must stay fast during an outage.
KICK_PAUSE_SECONDS = 30
# Tasks are queued by name (``tasks.py`` imports this module, never the other way round).
RELAY_TASK = "notifications.outbox_relay"
_kick_paused_until = 0.0


def kick_relay() -> None:
    """Ask a worker to publish pending rows now. Never raises: the beat sweep is the safety
    net, and a request must not fail because the broker is away."""
    global _kick_paused_until
    if time.monotonic() < _kick_paused_until:
        return
    try:
        current_app.tasks[RELAY_TASK].apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - the sweep publishes later
        if _is_broker_error(exc):
            _kick_paused_until = time.monotonic() + KICK_PAUSE_SECONDS
        logger.warning("Could not kick the outbox relay (%s); the beat sweep will publish "
                       "the messages later.", exc)


def kick_relay_on_commit() -> None:
    transaction.on_commit(kick_relay)


def outbox_enqueue(*, task: str, payload: dict | None = None, kick: bool = True) -> OutboxMessage:
    """Queue ``task(**payload, outbox_id=...)`` to run after the caller's transaction commits.
    ``payload`` must be JSON-serialisable (ids, never model instances)."""
    message = OutboxMessage.objects.create(task=task, payload=payload or {})
    if kick:
        kick_relay_on_commit()
    return message


def outbox_enqueue_many(*, task: str, payloads: list[dict], kick: bool = True) -> int:
    if not payloads:
        return 0
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=task, payload=payload, created_at=now, next_attempt_at=now)
         for payload in payloads],
        batch_size=1000,
    )
    if kick:
        kick_relay_on_commit()
    return len(payloads)


def _is_broker_error(exc: Exception) -> bool:
    from kombu.exceptions import OperationalError

    return isinstance(exc, OperationalError | ConnectionError | TimeoutError)


@transaction.atomic
def _claim(*, now, limit: int) -> list[OutboxMessage]:
    """Lock and mark due rows as published; each claim counts as one attempt."""
    due = Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.PUBLISHED, published_at__lt=now - _stale_after()
    )
    rows = list(
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(due)
        .order_by("id")[:limit]
    )
    if not rows:
        return []
    exhausted = [row.pk for row in rows if row.attempts >= MAX_ATTEMPTS]
    if exhausted:
        OutboxMessage.objects.filter(pk__in=exhausted).update(
            status=OutboxMessage.Status.DEAD,
            last_error=f"Published {MAX_ATTEMPTS} times and never completed.",
        )
    claimed = [row for row in rows if row.attempts < MAX_ATTEMPTS]
    OutboxMessage.objects.filter(pk__in=[row.pk for row in claimed]).update(
        status=OutboxMessage.Status.PUBLISHED, published_at=now, attempts=F("attempts") + 1
    )
    for row in claimed:
        row.attempts += 1
    return claimed


def outbox_relay(*, limit: int = BATCH_SIZE, now=None, max_batches: int = 20) -> int:
    """Publish due outbox rows to Celery. Returns how many were published.

    A broker error stops the run and gives the unpublished rows back without charging an
    attempt (the broker being away is not the message's fault). Any other error when
    publishing (in eager mode: the task itself failing) counts as a failed attempt.
    """
    published = 0
    for _batch in range(max_batches):
        rows = _claim(now=now or timezone.now(), limit=limit)
        if not rows:
            break
        done = 0
        try:
            with _producer() as producer:
                for row in rows:
                    try:
                        _publish(row, producer)
                    except Exception as exc:  # noqa: BLE001
                        if _is_broker_error(exc):
                            raise
                        outbox_failed(outbox_id=row.pk, error=f"{type(exc).__name__}: {exc}")
                    else:
                        published += 1
                    done += 1
        except Exception as exc:  # noqa: BLE001
            if not _is_broker_error(exc):
                raise
            logger.warning("Broker unavailable; %s outbox rows left pending: %s",
                           len(rows) - done, exc)
            OutboxMessage.objects.filter(
                pk__in=[r.pk for r in rows[done:]], status=OutboxMessage.Status.PUBLISHED,
            ).update(status=OutboxMessage.Status.PENDING, attempts=F("attempts") - 1)
            return published
        if len(rows) < limit:
            break
    return published


def _producer():
    """One broker connection for a whole batch (none needed in eager mode)."""
    if current_app.conf.task_always_eager:
        return nullcontext()
    return current_app.producer_or_acquire()


def _publish(row: OutboxMessage, producer=None) -> None:
    kwargs = {**row.payload, "outbox_id": row.pk}
    if current_app.conf.task_always_eager:
        # Without a broker (``make run``, tests) the task runs here and now.
        current_app.tasks[row.task].apply(kwargs=kwargs, throw=True)
    else:
        current_app.send_task(row.task, kwargs=kwargs, retry=False, producer=producer)


def outbox_done(*, outbox_id: int | None) -> None:
    if outbox_id is None:
        return
    OutboxMessage.objects.filter(pk=outbox_id).exclude(status=OutboxMessage.Status.DONE).update(
        status=OutboxMessage.Status.DONE, done_at=timezone.now(), last_error=""
    )


@transaction.atomic
def outbox_failed(*, outbox_id: int | None, error: str, now=None) -> OutboxMessage | None:
    """The task failed: retry later with backoff, or give up as dead letter."""
    if outbox_id is None:
        return None
    now = now or timezone.now()
    row = OutboxMessage.objects.select_for_update().filter(pk=outbox_id).first()
    if row is None or row.status in (OutboxMessage.Status.DONE, OutboxMessage.Status.DEAD):
        return row
    row.last_error = error[:4000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxMessage.Status.DEAD
        logger.error("Outbox message %s is dead letter after %s attempts: %s",
                     row.pk, row.attempts, error)
    else:
        row.status = OutboxMessage.Status.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
    row.save(update_fields=["status", "last_error", "next_attempt_at"])
    return row


@transaction.atomic
def outbox_retry(*, ids, actor=None) -> int:
    """Staff give dead (or stuck) rows another set of attempts, now."""
    from ecosystem.audit import audit

    rows = list(
        OutboxMessage.objects.select_for_update()
        .filter(pk__in=list(ids))
        .exclude(status=OutboxMessage.Status.DONE)
    )
    for row in rows:
        row.status = OutboxMessage.Status.PENDING
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        if actor is not None:
            audit(actor=actor, action="notifications.outbox.retried", target=row)
    if rows:
        kick_relay_on_commit()
    return len(rows)
