"""The API's shared platform: tokens, throttling, the offline docs, health probes."""

import re

import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def verified(db):
    user = UserFactory(email="ana@adriatic.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_token_for_a_verified_account(api, verified):
    response = api.post(TOKEN_URL, {"email": "Ana@Adriatic.example", "password": "pass-word-123"})
    assert response.status_code == 200, response.json()
    token = response.json()["token"]
    assert Token.objects.get(user=verified).key == token
    again = api.post(TOKEN_URL, {"email": "ana@adriatic.example", "password": "pass-word-123"})
    assert again.json()["token"] == token


def test_token_authenticates_api_writes(api, verified):
    token = api.post(TOKEN_URL, {"email": verified.email, "password": "pass-word-123"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.post(
        "/api/v1/organisations/", {"name": "Kvarner Data", "kind": "sme", "country": "HR"}
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"email": "ana@adriatic.example", "password": "wrong"}, 401, "invalid_credentials"),
        ({"email": "nobody@adriatic.example", "password": "pass-word-123"}, 401,
         "invalid_credentials"),
        ({"email": "not-an-email", "password": "x"}, 400, "invalid"),
        ({}, 400, "invalid"),
    ],
)
def test_token_refused_for_bad_credentials(api, verified, payload, status, code):
    response = api.post(TOKEN_URL, payload)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Token.objects.exists()


def test_no_token_before_the_email_is_verified(api):
    UserFactory(email="new@example.org")
    response = api.post(TOKEN_URL, {"email": "new@example.org", "password": "pass-word-123"})
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert not Token.objects.exists()


def test_no_token_for_a_deactivated_account(api, verified):
    verified.is_active = False
    verified.save()
    response = api.post(TOKEN_URL, {"email": verified.email, "password": "pass-word-123"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response["WWW-Authenticate"] == "Token"


def test_revoking_the_token(api, verified):
    token = api.post(TOKEN_URL, {"email": verified.email, "password": "pass-word-123"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.exists()
    assert api.delete(TOKEN_URL).status_code == 401  # the token is gone


def test_anonymous_cannot_revoke(api):
    response = api.delete(TOKEN_URL)
    assert response.status_code in {401, 403}
    assert set(response.json()) == {"message", "code", "fields"}


def test_token_endpoint_is_throttled(api, verified, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth_token": "3/min"})
    from django.core.cache import cache

    cache.clear()
    statuses = [
        api.post(TOKEN_URL, {"email": verified.email, "password": "wrong"}).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    response = api.post(TOKEN_URL, {"email": verified.email, "password": "pass-word-123"})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_throttling_is_configured_for_the_whole_api():
    rest = settings.REST_FRAMEWORK
    assert "rest_framework.throttling.AnonRateThrottle" in rest["DEFAULT_THROTTLE_CLASSES"]
    assert "rest_framework.throttling.UserRateThrottle" in rest["DEFAULT_THROTTLE_CLASSES"]
    assert {"anon", "user", "auth_token"} <= set(rest["DEFAULT_THROTTLE_RATES"])


def test_swagger_ui_loads_everything_from_static_with_no_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith(("/static/", "/api/docs/")) for src in sources), sources
    for src in sources:
        asset = client.get(src)
        assert asset.status_code == 200, src
        assert asset.get("Content-Security-Policy") is not None
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_openapi_schema_documents_the_error_format_and_auth(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])
    assert "post" in schema["paths"]["/api/v1/auth/token/"]
    assert '"message"' in schema["info"]["description"]


def test_readyz_reports_redis_when_configured(client, settings):
    url = settings.REDIS_URL or "redis://127.0.0.1:6379/6"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    settings.REDIS_URL = url
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_is_unavailable_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/6"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_without_redis_checks_only_the_database(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/readyz").json()["checks"] == {"database": "ok"}


def test_readyz_is_unavailable_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: OperationalError"
