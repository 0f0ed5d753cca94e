"""Periodic tasks of search; ``ecosystem/celery.py`` merges them into the beat schedule."""

SAVED_SEARCHES_SECONDS = 300

BEAT_SCHEDULE = {
    "search-saved-searches": {
        "task": "search.saved_searches_run",
        "schedule": SAVED_SEARCHES_SECONDS,
        "options": {"expires": SAVED_SEARCHES_SECONDS * 2},
    },
}
