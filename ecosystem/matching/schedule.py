"""Periodic work of matchmaking, merged into beat by ecosystem/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "matching-refresh-all": {
        "task": "matching.refresh_all",
        "schedule": crontab(hour=3, minute=15),
    },
}
