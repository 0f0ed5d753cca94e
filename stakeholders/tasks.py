"""Background work of the stakeholders app. Tasks take ids and call a service."""

from celery import shared_task

from ecosystem.notifications.outbox import outbox_done, outbox_failed

from . import services


@shared_task(name=services.INVITATION_SEND_TASK, acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)
def invitation_send_task(invitation_id: int, outbox_id: int | None = None) -> bool:
    """Published by the outbox; a failure is retried by the outbox with backoff."""
    try:
        sent = services.invitation_email_send(invitation_id=invitation_id)
    except Exception as exc:
        outbox_failed(outbox_id=outbox_id, error=f"{type(exc).__name__}: {exc}")
        raise
    outbox_done(outbox_id=outbox_id)
    return sent
