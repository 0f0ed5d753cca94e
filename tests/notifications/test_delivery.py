import pytest
from django.core import mail

from ecosystem.notifications.models import EmailDelivery, Notification
from ecosystem.notifications.services import email_deliver, notify, preferences_update
from ecosystem.notifications.tasks import deliver_email_task

from .conftest import INSTANT, ctx

pytestmark = pytest.mark.django_db


@pytest.fixture
def notification(alice):
    (notification,) = notify(kind=INSTANT, recipients=[alice], context=ctx())
    return notification


def test_the_same_task_delivered_twice_sends_one_email(notification):
    deliver_email_task.apply(kwargs={"notification_id": notification.pk}, throw=True)
    deliver_email_task.apply(kwargs={"notification_id": notification.pk}, throw=True)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.SENT and delivery.sent_at


def test_email_has_text_html_and_one_click_unsubscribe(notification):
    email_deliver(notification_id=notification.pk)
    (message,) = mail.outbox
    assert message.subject == "Call for e-mobility pilots published"
    assert "Submit by 1 March." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<p>Submit by 1 March.</p>" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://") and "/notifications/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body and unsubscribe.strip("<>") in html
    assert message.extra_headers["Message-ID"].startswith(f"<notification-{notification.pk}@")


def test_email_is_in_the_persons_language(alice, notification):
    alice.language = "de"
    alice.save()
    email_deliver(notification_id=notification.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="de">' in html


def test_links_in_the_email_are_absolute(alice, settings):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(slug="kvarner-data")
    (notification,) = notify(kind=INSTANT, recipients=[alice], target=organisation, context=ctx())
    email_deliver(notification_id=notification.pk)
    assert f"{settings.SITE_URL}/organisations/kvarner-data/" in mail.outbox[0].body


@pytest.mark.parametrize("frequency", ["daily", "weekly", "never"])
def test_no_instant_email_when_the_person_chose_otherwise(alice, notification, frequency):
    preferences_update(user=alice, frequencies={INSTANT: frequency})
    delivery = email_deliver(notification_id=notification.pk)
    assert delivery.status == EmailDelivery.Status.SKIPPED
    assert delivery.reason == f"preference: {frequency}"
    assert mail.outbox == []


def test_deactivated_person_gets_no_email(alice, notification):
    alice.is_active = False
    alice.save()
    assert email_deliver(notification_id=notification.pk).status == EmailDelivery.Status.SKIPPED
    assert mail.outbox == []


def test_a_deleted_notification_is_stale_work(notification):
    notification.delete()
    assert email_deliver(notification_id=notification.pk) is None
    assert mail.outbox == []


def test_a_failed_send_leaves_it_pending_for_the_retry(notification, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def fail(self, messages):
        raise OSError("connection reset")

    monkeypatch.setattr(EmailBackend, "send_messages", fail)
    with pytest.raises(OSError):
        email_deliver(notification_id=notification.pk)
    assert not EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).exists()
    monkeypatch.undo()
    assert email_deliver(notification_id=notification.pk).status == EmailDelivery.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email(alice):
    """Threads racing on PostgreSQL: the row lock makes the second wait, then skip."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SQLite serialises writers instead)")
    (notification,) = notify(kind=INSTANT, recipients=[alice], context=ctx())
    barrier = threading.Barrier(4)
    errors = []

    def deliver():
        try:
            barrier.wait()
            email_deliver(notification_id=notification.pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 1
