import pytest
from django.core import mail

from ecosystem.notifications.models import EmailDelivery, Notification, OutboxMessage
from ecosystem.notifications.services import notify

from .conftest import INSTANT, ctx

pytestmark = pytest.mark.django_db


def test_smoke(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(kind=INSTANT, recipients=[alice], context=ctx())
    assert len(created) == 1
    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.get().status == "done"
    assert EmailDelivery.objects.get().status == "sent"
    assert len(mail.outbox) == 1
    print(mail.outbox[0].message().as_string())
