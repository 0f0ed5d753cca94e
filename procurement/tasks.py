from celery import shared_task


@shared_task
def close_due_calls_task() -> int:
    """Move published calls past their submission deadline to evaluation (beat)."""
    from .services import close_due_calls

    return close_due_calls()
