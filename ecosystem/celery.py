"""The Celery application.

Without a broker (``REDIS_URL`` unset, the ``make run`` default) settings turn on
``task_always_eager`` so every task runs in-process and nothing else needs to run.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecosystem.settings.dev")

app = Celery("ecosystem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
