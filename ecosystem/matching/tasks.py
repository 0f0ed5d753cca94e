"""Thin tasks: ids in, services do the work; safe to run twice."""

import logging

from celery import current_app, shared_task
from celery.signals import worker_init
from django.db import connections

from ecosystem.notifications.tasks import RELIABLE, _run_for_outbox

from . import services, store

logger = logging.getLogger(__name__)


@worker_init.connect
def warm_text_indexes(**_kwargs) -> None:
    """A worker learns the live text indexes as it starts, before it forks its processes
    (which inherit them), so the first call published does not wait for its kind's index.
    A worker that cannot (no database yet) starts anyway: the first publish learns it."""
    try:
        seconds = store.warm_text_indexes()
        logger.info("matching: text indexes learned in %.2f s", seconds)
    except Exception:  # a warm-up must never stop a worker from starting
        logger.warning("matching: text indexes not learned at start", exc_info=True)
    finally:
        connections.close_all()  # never share a connection with the forked processes


@shared_task(name=services.REFRESH_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def refresh_organisations_task(organisation_ids: list[int], outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.recommendations_refresh(
        organisation_ids=organisation_ids))


@shared_task(name=services.REFRESH_ALL_TASK, soft_time_limit=1500, time_limit=1800, **RELIABLE)
def refresh_all_task() -> int:
    """The nightly job: queue one batch job per ``BATCH_SIZE`` organisations for the workers
    to share; without a broker (tasks run eagerly) the whole refresh runs here."""
    if current_app.conf.task_always_eager:
        return services.recommendations_refresh_all()
    return services.recommendations_queue_all()


@shared_task(name=services.REFRESH_BATCH_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def refresh_batch_task(organisation_ids: list[int], run: str,
                       outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.recommendations_refresh_batch(
        organisation_ids=organisation_ids, run=run))


@shared_task(name=services.PEOPLE_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def refresh_people_task(user_ids: list[int], run: str | None = None,
                        outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.people_refresh_batch(user_ids=user_ids, run=run))


@shared_task(name=services.TARGET_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def target_published_task(kind: str, target_id: int, outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.target_published(kind=kind, target_id=target_id))


@shared_task(name=services.TARGET_ROWS_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def target_rows_task(kind: str, target_id: int, organisation_ids: list[int],
                     outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.target_rows(
        kind=kind, target_id=target_id, organisation_ids=organisation_ids))
