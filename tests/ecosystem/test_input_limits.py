"""No 500 for anything a client can send: deep JSON, huge numbers, huge or dirty texts."""

import re

import pytest
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.test import APIClient

from ecosystem.api.parsers import MAX_DEPTH, bounded
from stakeholders.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def _client(user=None):
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


def test_deep_json_on_the_anonymous_token_endpoint_is_a_400():
    response = _post(_client(), "/api/v1/auth/token/", DEEP)
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"


def write_endpoints():
    for path, _regex, method, _view in EndpointEnumerator().get_api_endpoints():
        if method in ("POST", "PUT", "PATCH"):
            yield re.sub(r"\{[^}]+\}", "1", path), method.lower()


def test_deep_json_never_answers_500_on_any_write_endpoint(admin_a, org_a):
    endpoints = list(write_endpoints())
    assert len(endpoints) > 10
    for client in (_client(), _client(admin_a)):
        for url, method in endpoints:
            response = _post(client, url, DEEP, method)
            assert response.status_code < 500, (method, url, response.status_code)
            if response.status_code == 400:
                assert response.json()["code"] in ("too_deep", "invalid", "parse_error"), url


@pytest.mark.parametrize("body", [
    '{"name": "Deep", "helix": ' + "[" * 40 + "]" * 40 + "}",
    '{"name": "Huge", "employees": ' + "9" * 40 + "}",
    '{"name": "Huge", "employees": 1e400}',
    '{"name": "NaN", "employees": NaN}',
    '{"name": "' + "x" * 30000 + '"}',
])
def test_bodies_out_of_bounds_are_400_in_the_error_format(body, admin_a):
    response = _post(_client(admin_a), "/api/v1/organisations/", body)
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "fields"}


def test_a_huge_lot_number_on_an_application_is_a_400(admin_a, org_a):
    from procurement import services
    from tests.procurement.factories import CallFactory

    call = CallFactory()
    from tests.factories import MembershipFactory

    officer = MembershipFactory(organisation=call.buyer, role="admin").user
    services.call_publish(call=call, actor=officer)
    application = services.application_create(call=call, organisation=org_a, actor=admin_a)
    client = _client(admin_a)
    for lots in (10**30, 2**63, 40000):
        response = _post(client, f"/api/v1/applications/{application.pk}/",
                         {"lots": [lots]}, "patch")
        assert response.status_code == 400, lots
    response = _post(client, "/api/v1/applications/", {"call": 10**19, "organisation": "x"})
    assert response.status_code == 400


def test_control_characters_are_removed_and_descriptions_are_limited(admin_a, org_a):
    client = _client(admin_a)
    response = _post(client, f"/api/v1/organisations/{org_a.slug}/",
                     {"name": "Alpha\x00 Sensors\x1b d.o.o.\x07"}, "patch")
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Sensors d.o.o."
    response = _post(client, f"/api/v1/organisations/{org_a.slug}/",
                     {"description": "Smart parking. " * 400}, "patch")
    assert response.status_code == 400
    assert "description" in response.json()["fields"]
    huge = _post(client, f"/api/v1/organisations/{org_a.slug}/",
                 {"description": "x" * 3_000_000}, "patch")
    assert huge.status_code == 400
    assert len(Organisation.objects.get(pk=org_a.pk).description) < 5000


def test_bounded_walks_without_recursion():
    data = value = []
    for _ in range(MAX_DEPTH - 1):
        value.append([])
        value = value[0]
    assert bounded(data) == data
    value.append([])
    with pytest.raises(Exception, match="nested too deeply"):
        bounded(data)


def test_the_token_endpoint_still_works(db):
    user = UserFactory(email="reader@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.set_password("correct horse battery")
    user.save()
    response = _post(_client(), "/api/v1/auth/token/",
                     {"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 200 and response.json()["token"]


# --- Every text a person can type has a length limit, at every door ------------------------

# Written by the portal itself, never typed by a person.
SYSTEM_TEXT = {"search.searchdocument.body", "notifications.outboxmessage.last_error",
               "privacy.dataexport.error"}


OWN_PACKAGES = ("ecosystem", "stakeholders", "events", "procurement", "projects")


def _own_models():
    from django.apps import apps

    return [model for model in apps.get_models() if model.__module__.startswith(OWN_PACKAGES)]


def test_every_text_field_of_a_model_has_a_length_limit():
    from django.db import models

    unlimited = [
        f"{model._meta.label_lower}.{field.name}" for model in _own_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.max_length is None
        and f"{model._meta.label_lower}.{field.name}" not in SYSTEM_TEXT
    ]
    assert unlimited == []


def _form_classes():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    for package in OWN_PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if info.name.rsplit(".", 1)[-1] not in ("forms", "accounts", "admin"):
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_text_input_of_a_web_form_has_a_length_limit():
    from django import forms

    checked, unlimited = 0, []
    for form_class in _form_classes():
        # Fields a library's form declares (Django's admin password pair) are its own.
        inherited = {name for base in form_class.__mro__[1:]
                     if not base.__module__.startswith(OWN_PACKAGES)
                     for name in getattr(base, "base_fields", {})}
        for name, field in getattr(form_class, "base_fields", {}).items():
            if type(field) is forms.CharField and name not in inherited:
                checked += 1
                if field.max_length is None:
                    unlimited.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert checked > 20
    assert unlimited == []


def test_an_over_long_description_is_refused_on_the_page_and_nothing_is_saved(client):
    from tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(description="Short and true.")
    admin = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(admin)
    page = client.get(f"/organisations/{organisation.slug}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "") or name == "logo":
            continue
        data[name] = value
    data["description"] = "x" * 3_000_000
    response = client.post(f"/organisations/{organisation.slug}/edit/", data)
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    data["description"] = "Longer, still true."
    assert client.post(f"/organisations/{organisation.slug}/edit/", data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Longer, still true."
    data["description"] = "x" * 3_000_000
    client.post(f"/organisations/{organisation.slug}/edit/", data)
    organisation.refresh_from_db()
    assert organisation.description == "Longer, still true."
