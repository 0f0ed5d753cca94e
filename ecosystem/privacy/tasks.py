"""Thin tasks: they take ids, and the services they call are safe to run twice."""

from celery import shared_task

from ecosystem.notifications.outbox import outbox_done, outbox_failed

from . import services

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


def _run_for_outbox(outbox_id, work):
    try:
        work()
    except Exception as exc:
        outbox_failed(outbox_id=outbox_id, error=f"{type(exc).__name__}: {exc}")
        raise
    outbox_done(outbox_id=outbox_id)


@shared_task(name=services.BUILD_EXPORT_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def export_build_task(export_id: int, outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.export_build(export_id=export_id))


@shared_task(name=services.ERASE_ACCOUNT_TASK, soft_time_limit=240, time_limit=300, **RELIABLE)
def erasure_run_task(erasure_id: int, outbox_id: int | None = None) -> None:
    _run_for_outbox(outbox_id, lambda: services.erasure_run(erasure_id=erasure_id))


@shared_task(name="privacy.retention_apply", soft_time_limit=240, time_limit=300, **RELIABLE)
def retention_apply_task() -> dict[str, int]:
    return services.retention_apply()
