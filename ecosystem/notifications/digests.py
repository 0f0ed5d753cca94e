"""Daily and weekly digests.

Beat runs ``digests_schedule`` at ``DIGEST_HOUR`` (weekly ones on ``DIGEST_WEEKDAY``). The
period is computed from the server clock, so a late or repeated run finds the same period.
It walks the people with unread notifications in the period in chunks of ids (never loading
every notification), writes one ``DigestDelivery`` per person, frequency and period (unique,
so a second run or a second beat creates nothing) and queues one send task per digest through
the outbox. ``digest_send`` locks its row and sends only if it is still pending.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from . import emails
from .models import DigestDelivery, EmailDelivery, Notification, Preference
from .outbox import outbox_enqueue_many
from .registry import Frequency, all_kinds, get_kind

SEND_DIGEST_TASK = "notifications.send_digest"
DIGEST_KIND = "notifications.digest"
USER_CHUNK = 500
MAX_ITEMS = 50


def digest_hour() -> int:
    return settings.DIGEST_HOUR


def digest_weekday() -> int:
    """ISO weekday (1 = Monday) on which the weekly digest goes out."""
    return getattr(settings, "DIGEST_WEEKDAY", 1)


def period_for(frequency: str, now=None) -> tuple[datetime, datetime]:
    """The last complete period that ended at the digest hour, in the portal's time zone."""
    local = timezone.localtime(now or timezone.now())
    end_date = local.date()
    if local.hour < digest_hour():
        end_date -= timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        end_date -= timedelta(days=(end_date.isoweekday() - digest_weekday()) % 7)
        length = 7
    elif frequency == Frequency.DAILY:
        length = 1
    else:
        raise ValueError(f"No digest for frequency {frequency!r}")
    zone = timezone.get_current_timezone()
    end = timezone.make_aware(datetime.combine(end_date, time(digest_hour())), zone)
    start = timezone.make_aware(
        datetime.combine(end_date - timedelta(days=length), time(digest_hour())), zone
    )
    return start, end


def _candidates(start, end):
    return Notification.objects.filter(
        created_at__gte=start, created_at__lt=end, read_at__isnull=True
    ).exclude(email_delivery__status=EmailDelivery.Status.SENT)


def _kinds_by_frequency(user_ids: list[int], frequency: str) -> dict[int, set[str]]:
    """For each person, the kinds they receive in this digest (one query per chunk)."""
    defaults = {kind.key: kind.default_frequency for kind in all_kinds() if kind.user_configurable}
    chosen: dict[int, dict[str, str]] = {}
    for user_id, kind, value in Preference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "kind", "frequency"
    ):
        chosen.setdefault(user_id, {})[kind] = value
    return {
        user_id: {key for key, default in defaults.items()
                  if chosen.get(user_id, {}).get(key, default) == frequency}
        for user_id in user_ids
    }


def digests_schedule(*, frequency: str, now=None) -> int:
    """Create the digests of the last period and queue their sending. Returns how many new
    digests were created (0 when this period was already scheduled)."""
    now = now or timezone.now()
    start, end = period_for(frequency, now)
    candidates = _candidates(start, end)
    created_total = 0
    last_id = 0
    while True:
        user_ids = list(
            candidates.filter(recipient_id__gt=last_id)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:USER_CHUNK]
        )
        if not user_ids:
            break
        last_id = user_ids[-1]
        wanted = _kinds_by_frequency(user_ids, frequency)
        pairs = (
            candidates.filter(recipient_id__in=user_ids)
            .values_list("recipient_id", "kind")
            .distinct()
        )
        eligible = sorted({user_id for user_id, kind in pairs if kind in wanted[user_id]})
        created_total += _create_digests(eligible, frequency, start, end, now)
    return created_total


@transaction.atomic
def _create_digests(user_ids, frequency, start, end, now) -> int:
    if not user_ids:
        return 0
    existing = set(
        DigestDelivery.objects.filter(
            user_id__in=user_ids, frequency=frequency, period_start=start
        ).values_list("user_id", flat=True)
    )
    new = [uid for uid in user_ids if uid not in existing]
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user_id=uid, frequency=frequency, period_start=start, period_end=end,
                        created_at=now) for uid in new],
        ignore_conflicts=True,
    )
    created = list(
        DigestDelivery.objects.filter(
            user_id__in=new, frequency=frequency, period_start=start, created_at=now
        ).values_list("pk", flat=True)
    )
    outbox_enqueue_many(task=SEND_DIGEST_TASK, payloads=[{"digest_id": pk} for pk in created])
    return len(created)


def digest_items(*, digest: DigestDelivery, kinds: set[str]):
    return (
        _candidates(digest.period_start, digest.period_end)
        .filter(recipient_id=digest.user_id, kind__in=kinds)
        .order_by("-created_at", "-id")
    )


def digest_send(*, digest_id: int) -> DigestDelivery | None:
    """Send one digest, at most once: the row is locked during the send and marked sent in
    the same transaction, after the mail server accepted it."""
    with transaction.atomic():
        digest = (
            DigestDelivery.objects.select_for_update().select_related("user")
            .filter(pk=digest_id).first()
        )
        if digest is None or digest.status != DigestDelivery.Status.PENDING:
            return digest
        user = digest.user
        kinds = _kinds_by_frequency([user.pk], digest.frequency)[user.pk]
        items_qs = digest_items(digest=digest, kinds=kinds)
        items = list(items_qs[:MAX_ITEMS])
        total = items_qs.count() if len(items) == MAX_ITEMS else len(items)
        if not items or not user.is_active or not user.email:
            digest.status = DigestDelivery.Status.SKIPPED
            digest.save(update_fields=["status"])
            return digest
        message = _digest_message(digest=digest, items=items, total=total)
        message.send(fail_silently=False)
        digest.status = DigestDelivery.Status.SENT
        digest.sent_at = timezone.now()
        digest.notification_count = total
        digest.save(update_fields=["status", "sent_at", "notification_count"])
        return digest


def _digest_message(*, digest: DigestDelivery, items, total: int):
    user = digest.user
    kind = get_kind(DIGEST_KIND)
    with translation.override(emails.language_of(user)):
        for item in items:
            item.absolute_url = emails.absolute(item.url)
        context = {
            "recipient": user, "digest": digest, "items": items, "total": total,
            "more": total - len(items), "site_url": settings.SITE_URL,
            "is_weekly": digest.frequency == Frequency.WEEKLY,
            "period_start": timezone.localtime(digest.period_start),
            "period_end": timezone.localtime(digest.period_end),
        }
        subject = emails.render_optional(f"{kind.template}.subject.txt", context, str(kind.label))
        text = emails.render_optional(f"{kind.template}.txt", context)
        html = emails.render_optional(f"{kind.template}.html", context)
        return emails.build_message(
            user=user, subject=subject, text=text, html=html,
            scope=emails.DIGEST_SCOPE[digest.frequency],
            message_id=f"digest-{digest.pk}",
            extra={"url": settings.SITE_URL + "/notifications/"},
        )
