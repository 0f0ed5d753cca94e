"""Open data: every registered dataset as CSV and JSON, no personal data in any file,
conditional requests, and a DCAT-AP catalogue that parses to the same graph in both formats."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ecosystem.opendata import registry
from procurement.models import Call
from tests.procurement.factories import CallFactory

from .conftest import EMAIL, NAME, OTHER_EMAIL, OTHER_NAME

pytestmark = pytest.mark.django_db

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
EXPECTED = {"organisations", "events", "calls", "awards", "projects", "pilots",
            "pilot-indicators", "measurements", "feedback"}


def _get(path, **headers):
    response = Client().get(path, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode()


def test_catalogue_lists_every_dataset_with_its_files_and_licence(world):
    assert {d.key for d in registry.datasets()} == EXPECTED
    response, page = _get("/open-data/")
    assert response.status_code == 200
    for key in EXPECTED:
        assert f'href="/open-data/{key}.csv"' in page and f'href="/open-data/{key}.json"' in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "/events/feed.ics" in page and "/api/v1/ocds/releases/" in page


def test_files_have_the_documented_columns_and_public_rows_only(world):
    draft = CallFactory(title="Unpublished drainage call")
    assert draft.status == Call.Status.DRAFT
    for dataset in registry.datasets():
        response, text = _get(f"/open-data/{dataset.key}.csv")
        assert response.status_code == 200 and response.streaming, dataset.key
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows[0] == dataset.column_names()
        response, text = _get(f"/open-data/{dataset.key}.json")
        data = json.loads(text)
        assert len(data) == len(rows) - 1, dataset.key
        assert all(list(row) == dataset.column_names() for row in data)
    _response, calls = _get("/open-data/calls.csv")
    assert world.call.title in calls and "Unpublished drainage call" not in calls
    _response, feedback = _get("/open-data/feedback.json")
    assert "More charging points near the station." in feedback


def test_open_data_files_contain_no_email_address_or_name_of_a_person(world):
    names = [n for n in get_user_model().objects.values_list("full_name", flat=True) if n]
    assert NAME in names and OTHER_NAME in names
    for dataset in registry.datasets():
        for fmt in ("csv", "json"):
            _response, text = _get(f"/open-data/{dataset.key}.{fmt}")
            assert not EMAIL_PATTERN.search(text), (dataset.key, EMAIL_PATTERN.search(text))
            for needle in [EMAIL, OTHER_EMAIL, *names]:
                assert needle not in text, (dataset.key, fmt, needle)


def test_addresses_and_phone_numbers_typed_into_feedback_are_redacted(world):
    from projects.models import Feedback
    from tests.projects.factories import FeedbackFactory

    FeedbackFactory(body="Write to me at bike.fan@example.com or call 091 555 1234, thanks!",
                    status=Feedback.Status.PUBLISHED)
    _response, text = _get("/open-data/feedback.csv")
    assert "Write to me at […] or call […], thanks!" in text


def test_conditional_requests_answer_304_until_the_data_changes(world):
    response, _text = _get("/open-data/organisations.csv")
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag and modified and 'rel="license"' in response["Link"]
    again, body = _get("/open-data/organisations.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and body == "" and again["ETag"] == etag
    since, _body = _get("/open-data/organisations.csv", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    json_version, _body = _get("/open-data/organisations.json")
    assert json_version["ETag"] != etag
    world.org.name = "Kvarner Mobility Lab d.o.o."
    world.org.save()
    changed, text = _get("/open-data/organisations.csv", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Kvarner Mobility Lab d.o.o." in text


def test_unknown_dataset_or_format_is_404(db):
    assert Client().get("/open-data/people.csv").status_code == 404
    assert Client().get("/open-data/events.xml").status_code == 404
    assert Client().post("/open-data/events.csv").status_code == 405


def _graphs():
    import rdflib

    _response, jsonld = _get("/open-data/catalog.jsonld")
    response, turtle = _get("/open-data/catalog.ttl")
    assert response["Content-Type"].startswith("text/turtle")
    return (rdflib.Graph().parse(data=jsonld, format="json-ld"),
            rdflib.Graph().parse(data=turtle, format="turtle"))


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_dcat_catalogue_has_every_mandatory_property_in_both_formats(world):
    pytest.importorskip("rdflib")
    from rdflib import RDF, Namespace
    from rdflib.compare import isomorphic

    DCAT = Namespace("http://www.w3.org/ns/dcat#")
    DCT = Namespace("http://purl.org/dc/terms/")
    FOAF = Namespace("http://xmlns.com/foaf/0.1/")
    from_jsonld, from_turtle = _graphs()
    assert isomorphic(from_jsonld, from_turtle)
    graph = from_turtle
    [catalogue] = list(graph.subjects(RDF.type, DCAT.Catalog))
    for prop in (DCT.title, DCT.description, DCT.publisher, DCAT.dataset):
        assert graph.value(catalogue, prop) is not None, prop
    assert graph.value(graph.value(catalogue, DCT.publisher), FOAF.name) is not None
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == len(EXPECTED)
    for dataset in datasets:
        for prop in (DCT.title, DCT.description, DCT.license, DCAT.contactPoint, DCAT.theme,
                     DCT.accrualPeriodicity):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        assert str(graph.value(dataset, DCAT.theme)).startswith(
            "http://publications.europa.eu/resource/authority/data-theme/")
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) >= 2
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            for prop in (DCAT.accessURL, DCAT.mediaType, DCT.license):
                assert graph.value(distribution, prop) is not None, (distribution, prop)
    organisations = next(d for d in datasets if str(d).endswith("#organisations"))
    assert graph.value(organisations, DCT.modified) is not None
    formats = {str(graph.value(d, DCT["format"])) for d in
               graph.objects(organisations, DCAT.distribution)}
    assert "http://publications.europa.eu/resource/authority/file-type/CSV" in formats


def test_catalogue_and_files_use_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganisationFactory

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            _get(path)
        return len(queries)

    before = (count("/open-data/"), count("/open-data/organisations.csv"))
    OrganisationFactory.create_batch(20)
    assert (count("/open-data/"), count("/open-data/organisations.csv")) == before
    assert before[0] == len(registry.datasets())  # one aggregate per dataset
    assert before[1] == 2  # the version (count, last change), then the rows
