"""Daily and weekly digests.

Beat runs ``digests_schedule`` at ``DIGEST_HOUR`` (weekly ones on ``DIGEST_WEEKDAY``). The
period is computed from the server clock, so a late or repeated run finds the same period.
It walks the people with unread notifications in the period in chunks of ids (never loading
every notification), writes one ``DigestDelivery`` per person, frequency and period (unique,
so a second run or a second beat creates nothing) and queues send tasks for batches of
digests through the outbox. ``digests_send`` locks each row and sends only if it is still
pending.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.formats import date_format

from . import emails
from .models import DigestDelivery, EmailDelivery, Notification, Preference
from .outbox import outbox_enqueue_many
from .registry import Frequency, all_kinds, get_kind

SEND_DIGESTS_TASK = "notifications.send_digests"
DIGEST_KIND = "notifications.digest"
USER_CHUNK = 500
SEND_BATCH = 100
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
        ).order_by("pk").values_list("pk", flat=True)
    )
    outbox_enqueue_many(
        task=SEND_DIGESTS_TASK,
        payloads=[{"digest_ids": created[i:i + SEND_BATCH]}
                  for i in range(0, len(created), SEND_BATCH)],
    )
    return len(created)


def _items_for(digests: list[DigestDelivery]) -> dict[int, tuple[list[Notification], int]]:
    """The newest ``MAX_ITEMS`` items and the total for each digest, a few queries for the
    whole batch: people who want the same kinds in the same period share one query, limited
    per person with a window function (so one busy person cannot flood memory)."""
    groups: dict[tuple, list[int]] = {}
    wanted = {}
    for frequency in {digest.frequency for digest in digests}:
        wanted.update(_kinds_by_frequency(
            [d.user_id for d in digests if d.frequency == frequency], frequency))
    for digest in digests:
        key = (digest.period_start, digest.period_end, frozenset(wanted[digest.user_id]))
        groups.setdefault(key, []).append(digest.user_id)
    found: dict[int, tuple[list[Notification], int]] = {}
    for (start, end, kinds), user_ids in groups.items():
        if not kinds:
            continue
        candidates = _candidates(start, end).filter(recipient_id__in=user_ids, kind__in=kinds)
        totals = dict(
            candidates.order_by().values("recipient_id").annotate(n=Count("id"))
            .values_list("recipient_id", "n")
        )
        newest = candidates.annotate(
            rank=Window(RowNumber(), partition_by=[F("recipient_id")],
                        order_by=[F("created_at").desc(), F("id").desc()])
        ).filter(rank__lte=MAX_ITEMS).order_by("recipient_id", "rank")
        items: dict[int, list[Notification]] = {}
        for notification in newest:
            items.setdefault(notification.recipient_id, []).append(notification)
        for user_id in user_ids:
            found[user_id] = (items.get(user_id, []), totals.get(user_id, 0))
    return found


def digests_send(*, digest_ids: list[int]) -> int:
    """Send a batch of digests, each at most once. Items are read for the whole batch; then
    each digest row is locked, checked to be still pending, sent and marked sent in its own
    transaction (committed after the mail server accepted it). A failure stops the batch and
    raises, so the outbox retries it; digests already sent are skipped then."""
    digests = list(
        DigestDelivery.objects.filter(pk__in=digest_ids, status=DigestDelivery.Status.PENDING)
        .select_related("user").order_by("pk")
    )
    if not digests:
        return 0
    items = _items_for(digests)
    sent = 0
    for digest in digests:
        with transaction.atomic():
            status = (
                DigestDelivery.objects.select_for_update().filter(pk=digest.pk)
                .values_list("status", flat=True).first()
            )
            if status != DigestDelivery.Status.PENDING:
                continue
            shown, total = items.get(digest.user_id, ([], 0))
            user = digest.user
            if not shown or not user.is_active or not user.email:
                DigestDelivery.objects.filter(pk=digest.pk).update(
                    status=DigestDelivery.Status.SKIPPED)
                continue
            _digest_message(digest=digest, items=shown, total=total).send(fail_silently=False)
            DigestDelivery.objects.filter(pk=digest.pk).update(
                status=DigestDelivery.Status.SENT, sent_at=timezone.now(),
                notification_count=total,
            )
            sent += 1
    return sent


def digest_send(*, digest_id: int) -> DigestDelivery | None:
    """Send one digest at most once (see ``digests_send``)."""
    digests_send(digest_ids=[digest_id])
    return DigestDelivery.objects.filter(pk=digest_id).first()


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
            # Formatted once here rather than in both the text and the HTML part.
            "period_start": date_format(timezone.localtime(digest.period_start),
                                        "DATETIME_FORMAT"),
            "period_end": date_format(timezone.localtime(digest.period_end), "DATETIME_FORMAT"),
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
