"""The one way every app tells people something: ``notify``; following; reading; e-mail
preferences and unsubscribing; instant e-mail delivery; staff announcements."""

import json
import logging
import uuid
from collections import namedtuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import Conflict, InvalidInput, NotAllowed

from . import audiences, emails
from .models import Announcement, EmailDelivery, Follow, Notification, Preference
from .outbox import outbox_enqueue, outbox_enqueue_many
from .registry import Frequency, all_kinds, get_kind
from .selectors import DELIVER_EMAIL_TASK

logger = logging.getLogger(__name__)

ANNOUNCEMENT_KIND = "notifications.announcement"
ANNOUNCEMENT_SEND_TASK = "notifications.announcement_send"
CHUNK = 1000
_Reader = namedtuple("_Reader", "pk is_active language")  # a recipient as ``notify`` reads one


def _target_key(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


def followers_of(target: models.Model):
    content_type, object_id = _target_key(target)
    return get_user_model().objects.filter(
        is_active=True, follows__target_type=content_type, follows__target_id=object_id
    )


def followed(*, user_ids, model: type[models.Model]) -> list[tuple[int, int]]:
    """(user id, item id) for every item of ``model`` these people follow (one query)."""
    content_type = ContentType.objects.get_for_model(model)
    return [(user_id, int(target_id)) for user_id, target_id in Follow.objects.filter(
        user_id__in=list(user_ids), target_type=content_type).order_by("pk")
        .values_list("user_id", "target_id") if str(target_id).isdigit()]


# --- preferences ---------------------------------------------------------------------------

def frequencies_for(*, user_ids, kind: str, chosen_among=None) -> dict[int, str]:
    """The effective e-mail frequency of ``kind`` for each person (one query per 1,000, or
    one query when ``chosen_among``, a subquery of the same people's ids, is given)."""
    default = get_kind(kind).default_frequency
    frequencies = dict.fromkeys(user_ids, default)
    if chosen_among is not None:
        frequencies.update(Preference.objects.filter(user_id__in=chosen_among, kind=kind)
                           .values_list("user_id", "frequency"))
        return frequencies
    ids = list(user_ids)
    for start in range(0, len(ids), CHUNK):
        frequencies.update(
            Preference.objects.filter(user_id__in=ids[start:start + CHUNK], kind=kind)
            .values_list("user_id", "frequency")
        )
    return frequencies


def effective_preferences(*, user) -> dict[str, str]:
    """Every registered kind with the person's frequency (their choice or the default)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind.key: chosen.get(kind.key, kind.default_frequency) for kind in all_kinds()}


@transaction.atomic
def preferences_update(*, user, frequencies: dict[str, str]) -> dict[str, str]:
    """Set the person's frequency for each given kind (unknown kinds or values: 400)."""
    errors = {}
    for key, frequency in frequencies.items():
        try:
            kind = get_kind(key)
        except LookupError:
            errors[key] = [_("Unknown notification kind.")]
            continue
        if not kind.user_configurable:
            errors[key] = [_("This kind cannot be changed.")]
        elif frequency not in Frequency.values:
            errors[key] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Frequency.values)}]
    if errors:
        raise InvalidInput(_("Some preferences are not valid."), fields=errors)
    now = timezone.now()
    for key, frequency in frequencies.items():
        Preference.objects.update_or_create(
            user=user, kind=key, defaults={"frequency": frequency, "updated_at": now}
        )
    return effective_preferences(user=user)


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[models.Model, list[str]]:
    """One-click unsubscribe from an e-mail: no login, the signed token says who and what.
    Returns the person and the kinds now set to "never"."""
    try:
        user_id, scope = emails.read_unsubscribe_token(token)
    except signing.BadSignature:
        raise InvalidInput(_("This unsubscribe link is not valid."), code="bad_token") from None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidInput(_("This unsubscribe link is not valid."), code="bad_token")
    if scope in emails.DIGEST_SCOPE.values():
        frequency = scope.split(":", 1)[1]
        kinds = [key for key, value in effective_preferences(user=user).items()
                 if value == frequency and get_kind(key).user_configurable]
    else:
        try:
            kinds = [get_kind(scope).key]
        except LookupError:
            raise InvalidInput(_("This unsubscribe link is not valid."), code="bad_token") from None
    preferences_update(user=user, frequencies=dict.fromkeys(kinds, Frequency.NEVER))
    audit(actor=user, action="notifications.preference.unsubscribed", target=user,
          changes={"kinds": kinds})
    return user, kinds


# --- notify --------------------------------------------------------------------------------

def _render(template: str, context: dict, default: str = "") -> str:
    return emails.render_optional(template, context, default)


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

    Runs inside the caller's transaction: the notifications and the outbox rows for instant
    e-mails commit (or roll back) with the caller's change; e-mails go out after commit.
    ``context`` must be JSON-serialisable. ``dedupe_key`` makes the call safe to repeat: a
    second call with the same key creates nothing for a recipient who already has it.
    The actor is never notified of their own action. Returns the notifications created.
    """
    notification_kind = get_kind(kind)
    context = dict(context or {})
    try:
        json.dumps(context)
    except TypeError as exc:
        raise TypeError(f"notify(context=...) must be JSON-serialisable: {exc}") from None
    if recipients is None:
        recipients = followers_of(target) if target is not None else []
    if isinstance(recipients, models.QuerySet) and not notification_kind.personal:
        # Templates that never read the recipient need only who they are and their language
        # (thousands of people at publish time: tuples, not model instances).
        recipients = [_Reader(*row) for row in
                      recipients.values_list("pk", "is_active", "language")]
    actor_id = getattr(actor, "pk", None)
    people = {}
    for recipient in recipients:
        if recipient.pk != actor_id and recipient.is_active:
            people.setdefault(recipient.pk, recipient)
    key = (dedupe_key or uuid.uuid4().hex)[:200]
    if dedupe_key and connection.vendor != "postgresql":
        # (On PostgreSQL the insert itself skips them: ON CONFLICT DO NOTHING.)
        ids = list(people)
        for start in range(0, len(ids), CHUNK):
            for existing in Notification.objects.filter(
                dedupe_key=key, recipient_id__in=ids[start:start + CHUNK]
            ).values_list("recipient_id", flat=True):
                people.pop(existing, None)
    if not people:
        return []
    content_type, object_id = _target_key(target) if target is not None else (None, "")
    url = context.get("url") or (
        target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    )
    now = timezone.now()
    common = {"kind": kind, "target_type_id": content_type.pk if content_type else None,
              "target_id": object_id, "url": url[:500], "context": context,
              "dedupe_key": key, "created_at": now}
    texts = {}  # recipient id -> (subject, body)
    rendered = {}
    for recipient in people.values():
        language = emails.language_of(recipient)
        memo = None if notification_kind.personal else language
        if memo is None or memo not in rendered:
            render_context = {**context, "recipient": recipient, "target": target,
                              "site_url": settings.SITE_URL}
            with translation.override(language):
                rendered[memo] = (
                    " ".join(_render(f"{notification_kind.template}.subject.txt",
                                     render_context, str(notification_kind.label)).split())[:255],
                    _render(f"{notification_kind.template}.txt", render_context))
        texts[recipient.pk] = rendered[memo]
    created = _insert_new(common, texts)
    # The people just notified are this call's rows (its key and time): a subquery instead
    # of thousands of ids sent back.
    frequencies = frequencies_for(
        user_ids=[n.recipient_id for n in created], kind=kind,
        chosen_among=Notification.objects.filter(dedupe_key=key, created_at=now)
        .values("recipient_id"))
    outbox_enqueue_many(
        task=DELIVER_EMAIL_TASK,
        payloads=[{"notification_id": n.pk} for n in created
                  if frequencies.get(n.recipient_id) == Frequency.INSTANT],
    )
    return created


def _insert_new(common: dict, texts: dict[int, tuple[str, str]]) -> list[Notification]:
    """Write the notifications of one ``notify`` call: the fields all rows share
    (``common``, by attribute name), and each recipient's subject and body (``texts``),
    except for recipients who already have one with that key (a second run, or one running
    at the same time). Returns the rows written, with their ids, by recipient."""
    written = []
    if connection.vendor == "postgresql":
        # One statement per chunk: the values all rows share once, the recipients as an
        # array, each row's subject and body by its index in the (few) distinct texts.
        # Django's bulk_create prepares every field of every row and cannot return the ids
        # of rows it skipped a conflict for: at thousands of recipients (a call matching
        # thousands of organisations) that was half the publish-time fan-out.
        column = {f.attname: f.column for f in Notification._meta.concrete_fields}
        columns = ", ".join(column[name] for name in (
            "recipient_id", "kind", "target_type_id", "target_id", "subject", "body", "url",
            "context", "dedupe_key", "created_at"))
        sql = (f"INSERT INTO {Notification._meta.db_table} ({columns}) SELECT r.recipient, "
               f"%s, %s, %s, (%s::text[])[r.text], (%s::text[])[r.text], %s, %s::jsonb, %s, %s"
               f" FROM unnest(%s::bigint[], %s::int[]) AS r(recipient, text)"
               f" ON CONFLICT ({column['recipient_id']}, {column['dedupe_key']}) DO NOTHING"
               f" RETURNING {column['recipient_id']}, {Notification._meta.pk.column}")
        recipients = list(texts)
        for start in range(0, len(recipients), CHUNK * 10):
            chunk = recipients[start:start + CHUNK * 10]
            distinct = {}
            for recipient_id in chunk:
                distinct.setdefault(texts[recipient_id], len(distinct) + 1)
            with connection.cursor() as cursor:
                cursor.execute(sql, [
                    common["kind"], common["target_type_id"], common["target_id"],
                    [subject for subject, _body in distinct], [body for _subject, body in distinct],
                    common["url"], json.dumps(common["context"]), common["dedupe_key"],
                    common["created_at"], chunk, [distinct[texts[pk]] for pk in chunk]])
                written.extend(cursor.fetchall())
    else:
        Notification.objects.bulk_create(
            [Notification(recipient_id=pk, subject=subject, body=body, **common)
             for pk, (subject, body) in texts.items()],
            batch_size=CHUNK, ignore_conflicts=True)
        ids = list(texts)
        for start in range(0, len(ids), CHUNK):
            written.extend(Notification.objects.filter(
                dedupe_key=common["dedupe_key"], recipient_id__in=ids[start:start + CHUNK],
                created_at=common["created_at"]).values_list("recipient_id", "pk"))
    # Built as rows read from the database are (positional values, no descriptors): for
    # thousands of recipients, keyword construction was a third of the fan-out.
    attnames = [f.attname for f in Notification._meta.concrete_fields]
    values = {**dict.fromkeys(attnames), "read_at": None, **common}
    created = []
    for recipient_id, pk in sorted(written):
        subject, body = texts[recipient_id]
        row = {**values, "id": pk, "recipient_id": recipient_id, "subject": subject,
               "body": body}
        created.append(Notification.from_db(Notification.objects.db, attnames,
                                            [row[name] for name in attnames]))
    return created


# --- reading -------------------------------------------------------------------------------

@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the person's own notifications read (fetch it through
    ``selectors.notifications_of(user)`` first: someone else's is a 404)."""
    if notification.recipient_id != user.pk:
        raise NotAllowed()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- following -----------------------------------------------------------------------------

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


# --- instant e-mail ------------------------------------------------------------------------

def email_deliver(*, notification_id: int) -> EmailDelivery | None:
    """Send the instant e-mail for one notification, exactly once.

    The delivery row is the idempotency key: it is locked for the whole send, and ``SENT`` is
    committed only after the mail server accepted the message. A second delivery of the same
    task waits for the lock and then finds it sent; a worker killed mid-send rolls the
    transaction back, so the redelivered task sends it (once). Raises if sending fails, so the
    task (and the outbox) retries.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None:
            return None
        EmailDelivery.objects.get_or_create(notification_id=notification.pk)
        delivery = EmailDelivery.objects.select_for_update().get(notification_id=notification.pk)
        if delivery.status != EmailDelivery.Status.PENDING:
            return delivery
        reason = _skip_reason(notification)
        if reason:
            delivery.status, delivery.reason = EmailDelivery.Status.SKIPPED, reason
            delivery.save(update_fields=["status", "reason"])
            return delivery
        message = emails.notification_message(
            notification=notification, kind=get_kind(notification.kind)
        )
        message.send(fail_silently=False)
        delivery.status, delivery.sent_at = EmailDelivery.Status.SENT, timezone.now()
        delivery.save(update_fields=["status", "sent_at"])
        return delivery


def _skip_reason(notification: Notification) -> str:
    user = notification.recipient
    if not user.is_active or not user.email:
        return "no active address"
    try:
        kind = get_kind(notification.kind)
    except LookupError:
        return "unknown kind"
    frequency = frequencies_for(user_ids=[user.pk], kind=kind.key)[user.pk]
    if frequency != Frequency.INSTANT:
        return f"preference: {frequency}"
    return ""


# --- announcements -------------------------------------------------------------------------

def announcement_audience(announcement: Announcement):
    """The active people an announcement goes to (as the registered audience reads them)."""
    return audiences.people(announcement)


@transaction.atomic
def announcement_queue(*, announcement: Announcement, actor) -> Announcement:
    """Staff send an announcement: a background job (through the outbox) reaches the audience,
    so the admin request stays short; the admin list shows it "being sent", then the count."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not announcement.subject.strip() or not announcement.body.strip():
        raise InvalidInput(_("An announcement needs a subject and a text."))
    if announcement.status == Announcement.Status.SENDING:
        raise Conflict(_("This announcement is already being sent."), code="sending")
    announcement.status = Announcement.Status.SENDING
    announcement.save(update_fields=["status"])
    outbox_enqueue(task=ANNOUNCEMENT_SEND_TASK,
                   payload={"announcement_id": announcement.pk,
                            "actor_id": getattr(actor, "pk", None)})
    audit(actor=actor, action="notifications.announcement.queued", target=announcement)
    return announcement


def announcement_send_job(*, announcement_id: int, actor_id: int | None = None) -> int:
    """The background job of ``announcement_queue`` (re-reads the rows; safe to repeat)."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return announcement_send(announcement=announcement, actor=actor)


@transaction.atomic
def announcement_send(*, announcement: Announcement, actor) -> int:
    """Send to the audience through ``notify``. Safe to repeat: the dedupe key means a second
    send reaches only people who joined the audience since. Returns how many were reached."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not announcement.subject.strip() or not announcement.body.strip():
        raise InvalidInput(_("An announcement needs a subject and a text."))
    created = notify(
        kind=ANNOUNCEMENT_KIND,
        target=announcement,
        recipients=announcement_audience(announcement).iterator(chunk_size=2000),
        context={"subject": announcement.subject, "body": announcement.body,
                 "url": announcement.url},
        actor=actor,
        dedupe_key=f"announcement:{announcement.pk}",
    )
    announcement.status = Announcement.Status.SENT
    announcement.recipient_count += len(created)
    announcement.sent_at = announcement.sent_at or timezone.now()
    announcement.save(update_fields=["status", "recipient_count", "sent_at"])
    audit(actor=actor, action="notifications.announcement.sent", target=announcement,
          changes={"recipients": len(created)})
    return len(created)
