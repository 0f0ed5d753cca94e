"""The one way every app tells people something: ``notify``; and following things."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from .models import Follow, Notification
from .registry import get_kind


def _target_key(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


def followers_of(target: models.Model):
    from django.contrib.auth import get_user_model

    content_type, object_id = _target_key(target)
    return get_user_model().objects.filter(
        is_active=True, follows__target_type=content_type, follows__target_id=object_id
    )


def _render(kind, suffix: str, context: dict, default: str = "") -> str:
    try:
        return render_to_string(f"{kind.template}.{suffix}", context).strip()
    except TemplateDoesNotExist:
        return default


@transaction.atomic
def notify(
    *,
    kind: str,
    target: models.Model | None = None,
    recipients=None,
    context: dict | None = None,
    actor=None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (default: the followers of ``target``) about ``kind``.

    ``context`` must be JSON-serialisable. ``dedupe_key`` makes the call safe to repeat: a
    second call with the same key creates nothing for a recipient who already has it.
    The actor is never notified of their own action.
    """
    notification_kind = get_kind(kind)
    context = context or {}
    if recipients is None:
        recipients = followers_of(target) if target is not None else []
    key = dedupe_key or uuid.uuid4().hex
    content_type, object_id = _target_key(target) if target is not None else (None, "")
    url = context.get("url") or (
        target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    )
    created = []
    for recipient in recipients:
        if actor is not None and recipient.pk == getattr(actor, "pk", None):
            continue
        render_context = {
            **context,
            "recipient": recipient,
            "target": target,
            "site_url": settings.SITE_URL,
        }
        notification, was_created = Notification.objects.get_or_create(
            recipient=recipient,
            dedupe_key=key,
            defaults={
                "kind": kind,
                "target_type": content_type,
                "target_id": object_id,
                "subject": _render(
                    notification_kind, "subject.txt", render_context, str(notification_kind.label)
                )[:255],
                "body": _render(notification_kind, "txt", render_context),
                "url": url,
                "context": context,
            },
        )
        if was_created:
            created.append(notification)
    return created


def follow(*, user, target: models.Model) -> Follow:
    content_type, object_id = _target_key(target)
    return Follow.objects.get_or_create(
        user=user, target_type=content_type, target_id=object_id
    )[0]


def unfollow(*, user, target: models.Model) -> None:
    content_type, object_id = _target_key(target)
    Follow.objects.filter(user=user, target_type=content_type, target_id=object_id).delete()


def is_following(*, user, target: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    content_type, object_id = _target_key(target)
    return Follow.objects.filter(
        user=user, target_type=content_type, target_id=object_id
    ).exists()
