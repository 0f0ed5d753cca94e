"""Reads of notifications: a person only ever sees their own; staff see none about a sealed
application (``ecosystem.sealing``)."""

from django.db.models import IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from ecosystem import sealing

from .models import Follow, Notification, OutboxMessage

DELIVER_EMAIL_TASK = "notifications.deliver_email"

UNREAD_CAP = 100


def notifications_of(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user, *, cap: int = UNREAD_CAP) -> int:
    """At most ``cap``: one bounded count on the (recipient, read_at) index."""
    return notifications_of(user).filter(read_at__isnull=True).order_by()[:cap].count()


def followed_by(user, *, limit: int = 8) -> list:
    """What ``user`` follows and may still see, newest follow first: one query per kind."""
    from .registry import followable_queryset

    follows = list(Follow.objects.filter(user=user).select_related("target_type")
                   .order_by("-created_at", "-id")[:limit])
    by_label: dict[str, list[Follow]] = {}
    for follow in follows:
        by_label.setdefault(follow.target_type.model_class()._meta.label_lower, []).append(follow)
    targets = {}
    for label, group in by_label.items():
        queryset = followable_queryset(label, user)
        if queryset is None:
            continue
        ids = [follow.target_id for follow in group]
        for obj in queryset.filter(pk__in=ids):
            targets[(label, str(obj.pk))] = obj
    return [targets[key] for key in (
        (f.target_type.model_class()._meta.label_lower, f.target_id) for f in follows)
        if key in targets]


def notifications_visible_to(viewer, queryset=None) -> QuerySet[Notification]:
    """Notifications staff may see (the admin): none about a sealed application."""
    return sealing.records_visible_to(
        Notification.objects.all() if queryset is None else queryset, viewer, kind_field="kind")


def outbox_rows_visible_to(viewer, queryset=None) -> QuerySet[OutboxMessage]:
    """Outbox rows staff may see: the e-mail of a sealed notification is left out with it."""
    queryset = OutboxMessage.objects.all() if queryset is None else queryset
    sealed = Notification.objects.exclude(pk__in=notifications_visible_to(viewer).values("pk"))
    return queryset.alias(
        _notification=Cast(KT("payload__notification_id"), IntegerField())
    ).exclude(Q(task=DELIVER_EMAIL_TASK) & Q(_notification__in=sealed.values("pk")))
