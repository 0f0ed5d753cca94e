"""Building notification e-mails: the person's language, HTML and plain text, a one-click
unsubscribe link (signed token, no login) and the ``List-Unsubscribe`` headers (RFC 8058)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .registry import Frequency, NotificationKind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DIGEST_SCOPE = {Frequency.DAILY: "digest:daily", Frequency.WEEKLY: "digest:weekly"}


def unsubscribe_token(*, user, scope: str) -> str:
    """``scope`` is a kind key, or ``digest:daily`` / ``digest:weekly`` for every kind that
    person receives in that digest. The token never expires: old e-mails keep working."""
    return signing.dumps({"u": user.pk, "s": scope}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises ``signing.BadSignature`` for anything tampered with or malformed."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(
        data.get("s"), str
    ):
        raise signing.BadSignature("Malformed unsubscribe token.")
    return data["u"], data["s"]


def absolute(url: str) -> str:
    if not url or urlsplit(url).scheme:
        return url
    return settings.SITE_URL + (url if url.startswith("/") else "/" + url)


def language_of(user) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_optional(name: str, context: dict, default: str = "") -> str:
    try:
        return render_to_string(name, context).strip()
    except TemplateDoesNotExist:
        return default


def build_message(
    *, user, subject: str, text: str, html: str, scope: str, message_id: str, extra=None
) -> EmailMultiAlternatives:
    """Wrap a rendered subject and body in the common layout with the unsubscribe footer."""
    token = unsubscribe_token(user=user, scope=scope)
    unsubscribe_url = settings.SITE_URL + reverse(
        "notifications:unsubscribe", kwargs={"token": token}
    )
    context = {
        "recipient": user,
        "site_url": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
        "subject": subject,
        "text": text,
        "html": html,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        **(extra or {}),
    }
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=render_to_string("notifications/email/base.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Message-ID": f"<{message_id}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>",
        },
    )
    message.attach_alternative(render_to_string("notifications/email/base.html", context),
                               "text/html")
    return message


def notification_message(*, notification, kind: NotificationKind) -> EmailMultiAlternatives:
    """The instant e-mail for one notification, rendered now in the recipient's language
    with the target re-read (it may have changed or gone since ``notify``)."""
    user = notification.recipient
    with translation.override(language_of(user)):
        try:
            target = notification.target
        except Exception:  # noqa: BLE001 - a deleted content type or a broken generic link
            target = None
        context = {
            **(notification.context or {}),
            "recipient": user,
            "target": target,
            "site_url": settings.SITE_URL,
            "notification": notification,
        }
        subject = render_optional(f"{kind.template}.subject.txt", context, notification.subject)
        text = render_optional(f"{kind.template}.txt", context, notification.body)
        html = render_optional(f"{kind.template}.html", context)
        return build_message(
            user=user,
            subject=subject,
            text=text,
            html=html,
            scope=kind.key,
            message_id=f"notification-{notification.pk}",
            extra={"url": absolute(notification.url), "kind": kind},
        )
