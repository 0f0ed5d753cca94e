"""Reads of notifications: a person only ever sees their own."""

from django.db.models import QuerySet

from .models import Notification

UNREAD_CAP = 100


def notifications_of(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user, *, cap: int = UNREAD_CAP) -> int:
    """At most ``cap``: one bounded count on the (recipient, read_at) index."""
    return notifications_of(user).filter(read_at__isnull=True).order_by()[:cap].count()
