"""Signing in through the web and getting an API token are one door with one lock."""

import pytest
from allauth.account import signals
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "pass-word-123"
LOCKOUT = override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "5/5m/key"})


@pytest.fixture
def person(db):
    cache.clear()  # the lockout counts in the cache: start each test from zero
    user = UserFactory(email="ana@adriatic.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _token(email, password=PASSWORD):
    return APIClient().post(TOKEN_URL, {"email": email, "password": password}, format="json")


def _web_login(email, password=PASSWORD):
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": password})
    return client


@LOCKOUT
def test_failed_token_requests_lock_the_web_login_too(person):
    for _ in range(5):
        assert _token(person.email, "wrong password").status_code == 401
    locked = _token(person.email)
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_login_attempts"
    assert "_auth_user_id" not in _web_login(person.email).session
    assert not Token.objects.filter(user=person).exists()


@LOCKOUT
def test_failed_web_logins_lock_the_token_endpoint(person):
    for _ in range(5):
        _web_login(person.email, "wrong password")
    assert _token(person.email).status_code == 429


@LOCKOUT
def test_a_right_password_does_not_reset_the_count(person):
    for _ in range(4):
        _token(person.email, "wrong password")
    assert _token(person.email).status_code == 200
    assert _token(person.email, "wrong password").status_code == 401  # the fifth failure
    assert _token(person.email).status_code == 429


def test_no_token_for_an_unverified_secondary_address(person):
    EmailAddress.objects.create(user=person, email="ana.private@example.org", verified=False,
                                primary=False)
    response = _token("ana.private@example.org")
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert _token(person.email).status_code == 200


def test_an_invalid_token_is_401_with_the_scheme(person):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"message", "code", "fields"}
    assert response.json()["code"] == "invalid_token"


def test_changing_the_password_revokes_tokens(person):
    token = _token(person.email).json()["token"]
    client = Client()
    client.force_login(person)
    response = client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "a-new-pass-phrase-9", "password2":
        "a-new-pass-phrase-9"})
    assert response.status_code == 302
    assert not Token.objects.filter(key=token).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/notifications/").status_code == 401


def test_a_password_reset_revokes_tokens_and_other_sessions(person):
    _token(person.email)
    other_session = Client()
    other_session.force_login(person)
    person.set_password("reset-pass-phrase-7")
    person.save()
    signals.password_reset.send(sender=type(person), request=None, user=person)
    assert not Token.objects.filter(user=person).exists()
    # Django's session hash follows the password: the other session is signed out.
    response = other_session.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_password_set_by_staff_in_the_admin_revokes_tokens(person):
    _token(person.email)
    staff = StaffFactory(is_superuser=True)
    client = Client()
    client.force_login(staff)
    response = client.post(f"/admin/ecosystem/user/{person.pk}/password/", {
        "password1": "admin-set-phrase-5", "password2": "admin-set-phrase-5",
        "usable_password": "true"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=person).exists()
