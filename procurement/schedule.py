"""Periodic work of procurement, merged into beat by ecosystem/celery.py. Every write also
checks the server clock itself, so a late beat never lets a late submission in."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "procurement-close-due-calls": {
        "task": "procurement.tasks.close_due_calls_task",
        "schedule": crontab(minute="*"),
    },
}
