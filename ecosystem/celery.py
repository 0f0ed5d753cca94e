"""The Celery application.

Without a broker (``REDIS_URL`` unset, the ``make run`` default) settings turn on
``task_always_eager`` so every task runs in-process and nothing else needs to run.

Each app may declare its periodic tasks in ``<app>/schedule.py`` as ``BEAT_SCHEDULE``;
they are merged here and beat (django-celery-beat) stores them in the database, where
staff can change them in the admin.
"""

import os
from importlib import import_module
from importlib.util import find_spec

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.settings.dev")

app = Celery("ecosystem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    from django.apps import apps

    schedule = dict(sender.conf.beat_schedule or {})
    for config in apps.get_app_configs():
        module_name = f"{config.name}.schedule"
        if find_spec(module_name) is not None:
            schedule.update(getattr(import_module(module_name), "BEAT_SCHEDULE", {}))
    sender.conf.beat_schedule = schedule
