import pytest
from django.core import signing

from ecosystem.notifications.emails import unsubscribe_token
from ecosystem.notifications.models import Preference
from ecosystem.notifications.services import effective_preferences

from .conftest import DAILY, INSTANT

pytestmark = pytest.mark.django_db


def url(token):
    return f"/notifications/unsubscribe/{token}/"


def test_get_asks_first_and_changes_nothing(client, alice):
    response = client.get(url(unsubscribe_token(user=alice, scope=INSTANT)))
    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert not Preference.objects.exists()


def test_one_click_post_without_login_or_csrf(alice):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(url(unsubscribe_token(user=alice, scope=INSTANT)),
                                {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert effective_preferences(user=alice)[INSTANT] == "never"
    assert effective_preferences(user=alice)[DAILY] == "daily"


def test_repeating_the_click_is_harmless(client, alice):
    token = unsubscribe_token(user=alice, scope=INSTANT)
    assert client.post(url(token)).status_code == 200
    assert client.post(url(token)).status_code == 200
    assert Preference.objects.filter(user=alice).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("mangle", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "not-a-token",
    lambda token: signing.dumps({"u": 1, "s": INSTANT}, salt="another.purpose"),
    lambda token: signing.dumps(["u", 1], salt="notifications.unsubscribe"),
    lambda token: signing.dumps({"u": 1, "s": "no.such.kind"}, salt="notifications.unsubscribe"),
])
def test_tampered_or_foreign_tokens_are_a_400_page(client, alice, method, mangle):
    response = getattr(client, method)(url(mangle(unsubscribe_token(user=alice, scope=INSTANT))))
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert not Preference.objects.exists()


def test_a_token_for_a_deleted_person_is_a_400(client, alice):
    token = unsubscribe_token(user=alice, scope=INSTANT)
    alice.delete()
    assert client.post(url(token)).status_code == 400
