"""What the notifications app stores about people (the privacy registry) and for how long."""

from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import KEEP, PersonalData, RetentionRule

from .models import Announcement, DigestDelivery, Follow, Notification, OutboxMessage, Preference


def register():
    registry.register(PersonalData(
        model=Notification, fields=("recipient", "subject", "body", "context"),
        person=("recipient",),
        export_fields=("id", "kind", "subject", "body", "url", "created_at", "read_at"),
        scrub=("subject", "body", "context"),
        purpose=_("What the portal told you: the notification centre and its e-mails."),
        seen_by=_("You."),
        retention=_("Read notifications are deleted after the read-notification period."),
    ))
    registry.register(PersonalData(
        model=Follow, fields=("user",),
        export_fields=("id", "target_type__app_label", "target_type__model", "target_id",
                       "created_at"),
        purpose=_("What you follow (organisations, events, calls, projects, pilots), to tell "
                  "you about changes."),
        seen_by=_("You."),
    ))
    registry.register(PersonalData(
        model=Preference, fields=("user",), export_fields=("id", "kind", "frequency",
                                                           "updated_at"),
        purpose=_("How often you want e-mails of each kind."), seen_by=_("You."),
    ))
    registry.register(PersonalData(
        model=DigestDelivery, fields=("user",),
        export_fields=("id", "frequency", "period_start", "period_end", "status",
                       "notification_count", "sent_at"),
        purpose=_("Which digests were e-mailed to you, so none goes out twice."),
        seen_by=_("Portal staff."),
    ))
    registry.register(PersonalData(
        model=Announcement, fields=("created_by",), person=("created_by",),
        export_fields=("id", "subject", "created_at", "sent_at"), erase=KEEP,
        purpose=_("Announcements staff wrote."), seen_by=_("Portal staff."),
        kept=_("What the portal announced to people is part of its public record; it no "
               "longer names its author."),
        kept_for=_("As long as the portal runs."),
    ))
    registry.register(PersonalData(
        model=OutboxMessage, fields=("last_error",), rows=lambda user: OutboxMessage.objects.none(),
        exported=False, erase=KEEP, scrub=("last_error",),
        purpose=_("Background work waiting to run (ids only); a mail server's error may quote "
                  "an e-mail address."),
        seen_by=_("Portal staff."),
        kept=_("Delivered rows are deleted after the delivered-outbox period; addresses quoted "
               "in errors are replaced at erasure."),
    ))
    registry.register_retention(RetentionRule(
        key="read_notifications", label=_("Read notifications"), default_days=180,
        expired=lambda cutoff: Notification.objects.filter(read_at__lt=cutoff),
        description=_("Notifications you have read, counted from when you read them."),
    ))
    registry.register_retention(RetentionRule(
        key="delivered_outbox", label=_("Delivered outbox rows"), default_days=14,
        expired=lambda cutoff: OutboxMessage.objects.filter(
            status=OutboxMessage.Status.DONE, done_at__lt=cutoff),
        description=_("Background work that is done."),
    ))
