"""Periodic tasks of the privacy app (merged by ``ecosystem/celery.py``, stored by beat)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "privacy-retention": {
        "task": "privacy.retention_apply",
        "schedule": crontab(minute=30, hour=3),
    },
}
