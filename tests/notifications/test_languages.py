"""Every notification kind is written in the recipient's language, not the sender's: the
e-mail (subject, text, HTML) is rendered with the recipient's language active, and once the
catalogues are translated its subject differs from the English one."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.template.loader import get_template
from django.utils import translation

from ecosystem.i18n.catalogues import catalogue_path, problems
from ecosystem.notifications import emails
from ecosystem.notifications.models import Notification
from ecosystem.notifications.registry import all_kinds, get_kind
from stakeholders.tasks import invitation_send_task
from tests.factories import UserFactory

LANGUAGES = ("hr", "de", "it")
# The digest has its own test below (its context is the list of notifications).
KINDS = [kind.key for kind in all_kinds()
         if not kind.key.startswith("tests.") and kind.key != "notifications.digest"]
DECEMBER = {"hr": "prosinca", "de": "Dezember", "it": "dicembre"}


def _translated(language: str) -> bool:
    path = catalogue_path(language, "django")
    return path.exists() and not problems(path)


class Sample(datetime):
    """Stands for any target: a date where a date is formatted, and every attribute another
    sample, shown as "sample"."""

    def __new__(cls, *args, **kwargs):
        return super().__new__(cls, 2026, 12, 2, 14, 0, tzinfo=UTC)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Sample()

    def __str__(self):
        return "sample"

    def __iter__(self):
        return iter(())


def _render(kind, user, monkeypatch):
    seen = []
    monkeypatch.setattr(Notification, "target", property(lambda self: Sample()), raising=False)
    render = emails.render_to_string

    def recording(name, context=None, *args, **kwargs):
        seen.append((name, translation.get_language()))
        return render(name, context, *args, **kwargs)

    monkeypatch.setattr(emails, "render_to_string", recording)
    notification = Notification.objects.create(
        recipient=user, kind=kind.key, subject=str(kind.label), body="", context={"url": "/sample/"}
    )
    with translation.override("en"):  # the sender's language
        message = emails.notification_message(notification=notification, kind=kind)
    return message, seen


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KINDS)
def test_notification_email_in_the_recipients_language(key, language, monkeypatch):
    kind = get_kind(key)
    recipient = UserFactory(language=language)
    message, seen = _render(kind, recipient, monkeypatch)
    assert seen and {lang for _name, lang in seen} == {language}, seen
    assert message.to == [recipient.email]
    subject_source = get_template(f"{kind.template}.subject.txt").template.source
    if _translated(language) and "translate" in subject_source:
        english, _seen = _render(kind, UserFactory(language="en"), monkeypatch)
        assert message.subject != english.subject, f"{key}: subject still English in {language}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_in_the_invitees_language(language, org_a, admin_a, monkeypatch):
    import stakeholders.services as tasks  # the e-mail is written by the service
    from stakeholders.models import Invitation

    admin_a.language = "en"
    admin_a.save(update_fields=["language"])
    invitee = UserFactory(email=f"invitee-{language}@example.org", language=language)
    invitation = Invitation.objects.create(organisation=org_a, email=invitee.email,
                                           invited_by=admin_a)
    seen = []
    render = tasks.render_to_string

    def recording(name, context=None, *args, **kwargs):
        seen.append(translation.get_language())
        return render(name, context, *args, **kwargs)

    monkeypatch.setattr(tasks, "render_to_string", recording)
    mail.outbox = []
    assert invitation_send_task(invitation.pk)
    assert seen and set(seen) == {language}
    assert mail.outbox[0].to == [invitee.email]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_digest_in_the_recipients_language(language, monkeypatch):
    from ecosystem.notifications import digests
    from ecosystem.notifications.models import DigestDelivery

    recipient = UserFactory(language=language)
    digest = DigestDelivery.objects.create(
        user=recipient, frequency="daily", period_start=datetime(2026, 12, 1, 6, tzinfo=UTC),
        period_end=datetime(2026, 12, 2, 6, tzinfo=UTC),
    )
    seen = []
    render = emails.render_to_string

    def recording(name, context=None, *args, **kwargs):
        seen.append(translation.get_language())
        return render(name, context, *args, **kwargs)

    monkeypatch.setattr(emails, "render_to_string", recording)
    with translation.override("en"):
        message = digests._digest_message(digest=digest, items=[], total=0)
    assert seen and set(seen) == {language}
    # The period is written the recipient's way (month names from Django's catalogues).
    assert DECEMBER[language] in message.body
