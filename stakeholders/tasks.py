"""Background work of the stakeholders app. Tasks take ids and re-read the rows."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors
from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(invitation_id: int) -> bool:
    """E-mail the invitation link, if the invitation is still open when the task runs."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return False
    # The recipient's language: their account's when they have one; otherwise the inviter's
    # is the best guess (a colleague of the same organisation).
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = (
        getattr(invitee, "language", None) or getattr(invitation.invited_by, "language", None)
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "url": settings.SITE_URL + selectors.invitation_url(invitation),
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("stakeholders/email/invitation_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("stakeholders/email/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("stakeholders/email/invitation.html", context), "text/html"
        )
        message.send()
    return True
