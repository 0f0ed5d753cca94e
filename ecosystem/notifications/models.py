"""Notifications, following, e-mail preferences and the transactional outbox.

How a message flows: ``notify()`` writes ``Notification`` rows and, for people who want the
kind instantly, ``OutboxMessage`` rows in the caller's transaction. The relay publishes due
outbox rows to Celery; the e-mail task writes one ``EmailDelivery`` per notification (so a
message delivered twice sends one e-mail). Digests are one ``DigestDelivery`` per person,
frequency and period.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.text import TEXT_MAX_LENGTH

from .registry import Frequency


class Notification(models.Model):
    """One message to one person, shown in the notification centre (and e-mailed by policy)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=100)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Follow(models.Model):
    """A person follows an organisation, event, call, project or pilot."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.user} → {self.target_type.model} {self.target_id}"


class Preference(models.Model):
    """How a person wants one kind by e-mail. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=100)
    frequency = models.CharField(_("e-mail"), max_length=8, choices=Frequency.choices)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values), name="preference_frequency"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}: {self.get_frequency_display()}"


class OutboxMessage(models.Model):
    """Work that must not be lost: written in the same transaction as the change, published
    to Celery by the relay, marked done by the task. Failed work is retried with exponential
    backoff and ends as dead letter after ``MAX_ATTEMPTS``; staff retry it from the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be published")
        PUBLISHED = "published", _("Published to the workers")
        DONE = "done", _("Done")
        DEAD = "dead", _("Dead letter (gave up)")

    task = models.CharField(_("task"), max_length=200)
    payload = models.JSONField(_("arguments"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="outbox_due",
            ),
            models.Index(
                fields=["published_at"],
                condition=models.Q(status="published"),
                name="outbox_in_flight",
            ),
            models.Index(fields=["status", "-id"], name="outbox_status"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.task} ({self.get_status_display()})"


class EmailDelivery(models.Model):
    """The one e-mail for one notification: its idempotency key. ``SENT`` is written in the
    transaction that holds this row's lock during the SMTP send, so a second delivery of the
    same task waits and then sees it sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (preference or address)")

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email_delivery"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.notification_id}: {self.get_status_display()}"


class DigestDelivery(models.Model):
    """At most one digest per person, frequency and period, however often beat runs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Nothing to send")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(
        _("frequency"), max_length=8,
        choices=[(Frequency.DAILY, Frequency.DAILY.label), (Frequency.WEEKLY, Frequency.WEEKLY.label)],
    )
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    notification_count = models.PositiveIntegerField(_("notifications"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-period_start", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period_start"], name="digest_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="digest_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.frequency} {self.period_start:%Y-%m-%d}"


class Announcement(models.Model):
    """A message from portal staff to a chosen audience, sent through ``notify``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Being sent (background job)")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    url = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("Optional page to point people to.")
    )
    all_people = models.BooleanField(
        _("everyone"), default=False,
        help_text=_("Send to every active person; the filters below are then ignored."),
    )
    # Choices come from the registered audience (``audiences``), checked by the admin form.
    helix = models.CharField(_("helix"), max_length=10, blank=True)
    organisation_kind = models.CharField(_("organisation kind"), max_length=16, blank=True)
    themes = models.ManyToManyField(
        "ecosystem.Theme", verbose_name=_("themes"), blank=True, related_name="+",
        help_text=_("People in organisations with at least one of these themes."),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    verified_only = models.BooleanField(
        _("verified organisations only"), default=False
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    def clean(self):
        from django.core.exceptions import ValidationError

        url = self.url.strip()
        if url and not (url.startswith("/") and not url.startswith("//")) and not (
            url.startswith(("https://", "http://"))
        ):
            raise ValidationError(
                {"url": _("Use a page of the portal (/events/...) or an http(s):// address.")}
            )
