"""What an API body may hold, and that the schema says the same: unknown keys are refused,
decimals and web addresses are described as exactly what the fields take, and a request
without credentials is told how to authenticate."""

import importlib
import inspect
import random
import re
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from ecosystem.api.schema import URL_PATTERN, decimal_pattern
from ecosystem.api.serializers import StrictInput
from stakeholders.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API_MODULES = [
    "ecosystem.api.auth", "ecosystem.api.schema", "ecosystem.matching.api.serializers",
    "ecosystem.notifications.api.serializers", "ecosystem.search.api.serializers",
    "events.api.serializers", "procurement.api.serializers", "projects.api.matching",
    "projects.api.serializers", "stakeholders.api.serializers",
]


def test_a_typo_in_a_body_is_refused_and_saves_nothing(api):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/organisations/",
                        {"name": "Kvarner Data", "kind": "sme", "country": "HR", "webiste": "x"},
                        format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["webiste"]
    assert not Organisation.objects.filter(name="Kvarner Data").exists()


def test_read_only_fields_sent_back_are_ignored(api):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/organisations/",
                        {"name": "Kvarner Data", "kind": "sme", "country": "HR",
                         "id": 999999, "verified": True},
                        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id"] != 999999
    assert Organisation.objects.get(name="Kvarner Data").verified is False


def test_an_unknown_key_with_a_huge_number_is_a_clear_400(api):
    """The parser bounds every number; under a key no field takes it is the key that is
    wrong, and either way the answer is a 400 in the error format."""
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/organisations/",
                        data='{"name": "Kvarner Data", "kind": "sme", "country": "HR", '
                             '"extra": 1000000000000000000000000000}',
                        content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "fields"}


def test_a_body_of_many_unknown_keys_answers_with_a_few_of_them(api):
    api.force_authenticate(UserFactory())
    body = {f"k{i}": i for i in range(500)} | {"name": "Kvarner Data", "kind": "sme",
                                                "country": "HR"}
    response = api.post("/api/v1/organisations/", body, format="json")
    assert response.status_code == 400
    assert 0 < len(response.json()["fields"]) <= 20


def test_every_api_serializer_refuses_unknown_keys():
    loose = []
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if (issubclass(value, serializers.Serializer) and value.__module__ == module_name
                    and not issubclass(value, StrictInput)):
                loose.append(f"{module_name}.{name}")
    assert not loose, f"base these on ecosystem.api.serializers: {loose}"


def test_every_request_body_in_the_schema_is_closed():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    open_bodies = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media_type, media in (operation.get("requestBody") or {}).get("content", {}).items():
                name = media["schema"].get("$ref", "").rsplit("/", 1)[-1]
                if components[name].get("additionalProperties") is not False:
                    open_bodies.append(f"{method.upper()} {path} {media_type}")
    assert not open_bodies
    # Nested bodies too: the scores of a scoresheet.
    assert components["ScoreInputRequest"]["additionalProperties"] is False


@pytest.mark.parametrize("options", [
    {"max_digits": 4, "decimal_places": 1, "min_value": 0, "max_value": 10},
    {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)},
    {"max_digits": 9, "decimal_places": 6, "min_value": -90, "max_value": 90},
    {"max_digits": 9, "decimal_places": 6, "min_value": -180, "max_value": 180},
    {"max_digits": 14, "decimal_places": 3},
    {"max_digits": 3, "decimal_places": 0, "min_value": 0, "max_value": 250},
])
def test_a_decimal_pattern_takes_only_what_the_field_takes(options):
    field = serializers.DecimalField(**options)
    pattern = re.compile(decimal_pattern(field))
    rng = random.Random(20261203)
    taken = 0
    for _ in range(20_000):
        text = "".join(rng.choice("0123456789.-") for _ in range(rng.randint(0, 8)))
        if not pattern.fullmatch(text):
            continue
        taken += 1
        field.run_validation(text)  # raises if the pattern said more than the field takes
    assert taken > 100
    # And what a person writes in range is described.
    fractions = ["0.5", ".5", "5."] if options["decimal_places"] else []
    for text in ["0", "5", *fractions, str(options.get("max_value", 9))]:
        assert pattern.fullmatch(text), text
    if options.get("max_value") is not None:
        assert not pattern.fullmatch(str(options["max_value"] + 1))
    if options.get("min_value") == 0:
        assert not pattern.fullmatch("-1")


def test_a_decimal_pattern_is_not_given_where_a_pattern_cannot_say_the_range():
    assert decimal_pattern(serializers.DecimalField(max_digits=5, decimal_places=2,
                                                    min_value=Decimal("0.5"))) is None
    assert decimal_pattern(serializers.DecimalField(max_digits=5, decimal_places=2,
                                                    min_value=1, max_value=10)) is None


@pytest.mark.parametrize("address", ["https://adriatic-sensors.example/en/", "http://a.bc",
                                     "https://www.rijeka.hr/gradska-uprava"])
def test_the_url_pattern_describes_addresses_django_takes(address):
    assert re.fullmatch(URL_PATTERN, address)
    serializers.URLField().run_validation(address)


def test_no_credentials_answers_401_with_the_scheme(api):
    response = api.get("/api/v1/me/saved-searches/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/api/v1/applications/", "/api/v1/organisations/"])
def test_a_broken_multipart_body_is_a_400(api, path):
    api.force_authenticate(UserFactory())
    response = api.generic("POST", path, data=b"--a59b\r\n\xc3\xa5L--a59b--\r\n",
                           content_type="multipart/form-data; boundary=a59b")
    assert response.status_code == 400, response.content
    assert response.json()["fields"]
    assert not Organisation.objects.exists()


def test_a_body_of_a_type_the_operation_does_not_take_is_a_documented_415(api):
    api.force_authenticate(UserFactory())
    response = api.generic("POST", "/api/v1/organisations/", data=b"name=x", content_type="")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "415" in schema["paths"]["/api/v1/organisations/"]["post"]["responses"]
    assert "415" not in schema["paths"]["/api/v1/organisations/"]["get"]["responses"]


def test_a_form_body_never_promises_null():
    """A form has no null: an empty field is "none". The JSON body keeps null."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    content = schema["paths"]["/api/v1/organisations/"]["post"]["requestBody"]["content"]
    form = components[content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    json_body = components[content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert not [name for name, field in form["properties"].items() if field.get("nullable")]
    assert json_body["properties"]["employees"]["nullable"] is True
    assert form["additionalProperties"] is False


def test_an_empty_form_field_is_none(api):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/organisations/",
                        {"name": "Kvarner Data", "kind": "sme", "country": "HR", "employees": ""},
                        format="multipart")
    assert response.status_code == 201, response.json()
    assert Organisation.objects.get(name="Kvarner Data").employees is None
