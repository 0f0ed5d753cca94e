"""Thin Celery tasks: they take ids, re-read rows and call a service."""

from celery import shared_task

from . import services


@shared_task(name=services.SCHEDULER_RUN_TASK, acks_late=True, soft_time_limit=120,
             time_limit=180)
def scheduler_run_task(run_id: int) -> int:
    return services.scheduler_run(run_id=run_id).placed


@shared_task
def reminders_send_task() -> int:
    return services.reminders_send()
