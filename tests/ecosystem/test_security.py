"""Security headers on every kind of response, and errors in one format (JSON under /api/,
pages extending base.html elsewhere)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'",
}


def assert_security_headers(response):
    directives = {part.strip() for part in response["Content-Security-Policy"].split(";")}
    assert EXPECTED_CSP <= directives, directives
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def boom_client(settings):
    settings.ROOT_URLCONF = "tests.ecosystem.urls_boom"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path, status, content_type",
    [
        ("/", 200, "text/html"),
        ("/organisations/", 200, "text/html"),
        ("/healthz", 200, "application/json"),
        ("/readyz", 200, "application/json"),
        ("/api/v1/organisations/", 200, "application/json"),
        ("/api/v1/organisations/nobody/", 404, "application/json"),
        ("/api/v1/no-such-endpoint/", 404, "application/json"),
        ("/api/schema/", 200, "application/vnd.oai.openapi"),
        ("/api/docs/", 200, "text/html"),
        ("/no-such-page/", 404, "text/html"),
        ("/static/css/site.css", 200, "text/css"),
    ],
)
def test_every_response_carries_the_security_headers(client, path, status, content_type):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
    assert_security_headers(response)


def test_server_errors_carry_the_security_headers(boom_client):
    for path in ["/boom/", "/api/v1/boom/"]:
        response = boom_client.get(path)
        assert response.status_code == 500
        assert_security_headers(response)


def test_unknown_api_path_answers_in_the_api_error_format(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "fields": {}}


def test_api_server_error_is_json_without_details(boom_client):
    response = boom_client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "server_error" and body["fields"] == {}
    assert "boom" not in response.content.decode()


def test_page_server_error_is_the_portal_page_without_details(boom_client):
    response = boom_client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/static/css/site.css"' in html and 'id="main"' in html
    assert "boom" not in html and "Traceback" not in html


def test_missing_page_is_the_portal_page(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert "We could not find this page" in html
    assert 'class="skip-link"' in html and "<title>Page not found" in html


def test_permission_denied_page(rf, boom_client):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from ecosystem.views import permission_denied

    request = rf.get("/organisations/alpha/edit/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
    assert "/accounts/login/?next=/organisations/alpha/edit/" in response.content.decode()
    api_response = permission_denied(rf.get("/api/v1/anything/"), PermissionDenied())
    assert api_response.status_code == 403
    assert api_response["Content-Type"] == "application/json"


def test_no_inline_script_or_style_in_the_base_pages(client):
    """The CSP forbids inline code: pages must not rely on it (it would silently not run)."""
    import re

    for path in ["/", "/organisations/", "/no-such-page/", "/accounts/login/", "/accounts/signup/"]:
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html, path
        assert not re.search(r"""\sstyle=["']""", html), path
        assert not re.search(r"""\son[a-z]+=["']""", html), path


def test_language_switcher_changes_the_page_language(client):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/organisations/"})
    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
    html = client.get("/organisations/").content.decode()
    assert '<html lang="de">' in html
    assert '<option value="de" selected lang="de">' in html


def test_production_cookies_are_secure(monkeypatch):
    import importlib
    import secrets

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example")
    monkeypatch.setenv("SITE_URL", "https://portal.example")
    production = importlib.import_module("ecosystem.settings.production")
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_SSL_REDIRECT and production.DEBUG is False
