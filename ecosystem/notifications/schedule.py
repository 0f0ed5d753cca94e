"""Periodic tasks of the notifications app; ``ecosystem/celery.py`` merges them and
django-celery-beat stores them in the database, where staff can change them in the admin."""

from celery.schedules import crontab
from django.conf import settings

OUTBOX_SWEEP_SECONDS = 30

BEAT_SCHEDULE = {
    "notifications-outbox-sweep": {
        "task": "notifications.outbox_relay",
        "schedule": OUTBOX_SWEEP_SECONDS,
        "options": {"expires": OUTBOX_SWEEP_SECONDS * 2},
    },
    "notifications-daily-digest": {
        "task": "notifications.schedule_digests",
        "schedule": crontab(minute=0, hour=settings.DIGEST_HOUR),
        "args": ("daily",),
    },
    "notifications-weekly-digest": {
        "task": "notifications.schedule_digests",
        "schedule": crontab(
            minute=0, hour=settings.DIGEST_HOUR,
            day_of_week=getattr(settings, "DIGEST_WEEKDAY", 1) % 7,
        ),
        "args": ("weekly",),
    },
}
