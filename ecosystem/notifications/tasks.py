"""Thin Celery tasks: they take ids, re-read rows and are safe to run twice.

Every task here uses late acknowledgement (the message is acknowledged after the task
finished) and ``reject_on_worker_lost`` (a worker killed mid-task puts the message back), so
a crash means the task runs again; the delivery and digest rows make the repeat a no-op.
Failures are retried by the outbox with exponential backoff, not by Celery.
"""

import logging

from celery import shared_task

from . import digests, services
from .outbox import RELAY_TASK, outbox_done, outbox_failed, outbox_relay

logger = logging.getLogger(__name__)

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


def _run_for_outbox(outbox_id, work):
    try:
        work()
    except Exception as exc:
        outbox_failed(outbox_id=outbox_id, error=f"{type(exc).__name__}: {exc}")
        raise
    outbox_done(outbox_id=outbox_id)


@shared_task(name=RELAY_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def outbox_relay_task() -> int:
    """Publish pending outbox rows; kicked after commit and swept by beat."""
    return outbox_relay()


@shared_task(name=services.DELIVER_EMAIL_TASK, soft_time_limit=60, time_limit=90, **RELIABLE)
def deliver_email_task(notification_id: int, outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.email_deliver(notification_id=notification_id))


@shared_task(name="notifications.schedule_digests", soft_time_limit=240, time_limit=300,
             **RELIABLE)
def schedule_digests_task(frequency: str) -> int:
    return digests.digests_schedule(frequency=frequency)


@shared_task(name=digests.SEND_DIGESTS_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def send_digests_task(digest_ids: list[int], outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: digests.digests_send(digest_ids=digest_ids))


@shared_task(name=services.ANNOUNCEMENT_SEND_TASK, soft_time_limit=1800, time_limit=1900,
             **RELIABLE)
def announcement_send_task(announcement_id: int, actor_id: int | None = None,
                           outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.announcement_send_job(
        announcement_id=announcement_id, actor_id=actor_id))
