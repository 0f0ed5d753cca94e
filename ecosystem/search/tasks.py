from celery import shared_task

from . import services


@shared_task(name="search.saved_searches_run")
def saved_searches_run_task(frequency: str | None = None) -> int:
    """Beat: tell people about new matches of their saved searches that are due."""
    return services.saved_searches_run(frequency=frequency)
