import pytest
from django.core import mail

from ecosystem.notifications import registry
from ecosystem.notifications.registry import Frequency, NotificationKind
from tests.factories import UserFactory

# Test kinds reuse the announcement templates: subject and body come from the context.
TEMPLATE = "notifications/notifications/announcement"
INSTANT = "tests.instant"
DAILY = "tests.daily"
WEEKLY = "tests.weekly"


@pytest.fixture(autouse=True)
def test_kinds():
    for key, frequency in [(INSTANT, Frequency.INSTANT), (DAILY, Frequency.DAILY),
                           (WEEKLY, Frequency.WEEKLY)]:
        registry.register(NotificationKind(key=key, label=f"Test {frequency}",
                                           default_frequency=frequency, template=TEMPLATE))
    yield
    for key in (INSTANT, DAILY, WEEKLY):
        registry._KINDS.pop(key, None)


@pytest.fixture(autouse=True)
def _clean_outbox_state():
    from ecosystem.notifications import outbox

    outbox._kick_paused_until = 0.0
    mail.outbox = []


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.org", full_name="Alice Example")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.org", full_name="Bob Example")


def ctx(subject="Call for e-mobility pilots published", body="Submit by 1 March."):
    return {"subject": subject, "body": body}
