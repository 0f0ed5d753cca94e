import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_security_headers_on_every_response(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_api_errors_share_one_format(api):
    response = api.get("/api/v1/organisations/does-not-exist/")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "code", "fields"}
    assert response.json()["code"] == "not_found"


def test_api_validation_error_lists_fields(api, citizen):
    api.force_authenticate(citizen)
    response = api.post("/api/v1/organisations/", {"name": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"name", "kind", "country"} <= set(body["fields"])
