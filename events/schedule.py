"""Periodic tasks of the events app (merged into beat by ecosystem/celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "events-reminders": {
        "task": "events.tasks.reminders_send_task",
        "schedule": crontab(minute="*/15"),
    },
}
