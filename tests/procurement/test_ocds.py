"""Every OCDS package validates against the official 1.1.5 schema, at every stage."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from procurement import services
from procurement.models import Release

from .conftest import submitted_application
from .ocds_schema import cove_errors, require_zip, schema_errors

pytestmark = pytest.mark.django_db


def _package(call) -> dict:
    response = Client().get(f"/api/v1/calls/{call.pk}/ocds/")
    assert response.status_code == 200
    return response.json()


def _assert_valid(package, tmp_path=None):
    require_zip()
    errors = schema_errors(package)
    assert errors == [], errors
    if tmp_path is not None:
        assert cove_errors(package, tmp_path) == []


def _award(call, buyer_admin, evaluator, winner):
    for application in call.applications.filter(status="submitted"):
        services.conflict_declare(application=application, actor=evaluator, has_conflict=False)
        sheet = services.scoresheet_save(
            application=application, actor=evaluator,
            scores={c.pk: ("7", "Convincing.") for c in call.criteria.all()})
        services.scoresheet_submit(scoresheet=sheet, actor=evaluator)
    return services.call_award(call=call, actor=buyer_admin, winners=[winner],
                               reasons="Best quality for the price.")


def test_ocid_uses_the_configured_prefix(published_call, settings):
    assert published_call.ocid.startswith(settings.OCDS_PREFIX + "-")
    assert len(settings.OCDS_PREFIX) == len("ocds-") + 6


def test_published_package_is_valid_and_has_no_bidders(published_call, org_a, admin_a, tmp_path):
    submitted_application(published_call, org_a, admin_a)
    package = _package(published_call)
    _assert_valid(package, tmp_path)
    release = package["releases"][-1]
    assert release["tag"] == ["tender"]
    assert release["tender"]["status"] == "active"
    assert "tenderers" not in release["tender"] and not release.get("awards")
    assert org_a.name not in str(package)
    assert release["tender"]["items"][0]["classification"]["scheme"] == "CPV"
    assert release["tender"]["awardCriteriaDetails"] == "Quality: 60%; Price: 40%"


def test_amended_and_answered_package(published_call, buyer_admin, org_a, admin_a, tmp_path):
    question = services.question_ask(call=published_call, actor=admin_a, organisation=org_a,
                                     text="Can we reuse poles?")
    services.question_answer(question=question, actor=buyer_admin, answer="Yes.")
    services.call_amend(call=published_call, actor=buyer_admin, rationale="More sensors.",
                        estimated_value=300000)
    package = _package(published_call)
    _assert_valid(package, tmp_path)
    tags = [release["tag"] for release in package["releases"]]
    assert tags == [["tender"], ["tenderUpdate"], ["tenderAmendment"]]
    last = package["releases"][-1]
    assert last["tender"]["amendments"][0]["rationale"] == "More sensors."
    assert last["tender"]["value"]["amount"] == 300000
    assert "admin@alpha" not in str(package) and org_a.name not in str(package)
    assert len({release["id"] for release in package["releases"]}) == 3


def test_cancelled_package(published_call, buyer_admin, tmp_path):
    services.call_cancel(call=published_call, actor=buyer_admin, reason="Budget withdrawn.")
    package = _package(published_call)
    _assert_valid(package, tmp_path)
    assert package["releases"][-1]["tag"] == ["tenderCancellation"]
    assert package["releases"][-1]["tender"]["status"] == "cancelled"


def test_awarded_and_contract_packages(evaluation_call, buyer_admin, evaluator, org_a, org_b,
                                       tmp_path):
    winner = evaluation_call.applications.get(organisation=org_a)
    _award(evaluation_call, buyer_admin, evaluator, winner)
    package = _package(evaluation_call)
    _assert_valid(package, tmp_path)
    award = package["releases"][-1]
    assert award["tag"] == ["award"]
    assert award["tender"]["numberOfTenderers"] == 2
    roles = {party["name"]: party["roles"] for party in award["parties"]}
    assert roles[org_a.name] == ["tenderer", "supplier"] and roles[org_b.name] == ["tenderer"]
    assert award["awards"][0]["status"] == "pending"  # standstill
    for person in ("admin@alpha", "admin@beta", "expert@example.org", "Test Person"):
        assert person not in str(package)
    evaluation_call.refresh_from_db()
    services.contract_record(call=evaluation_call, actor=buyer_admin, application=winner,
                             title="Sensor network", value=240000,
                             start_date=timezone.now().date(),
                             end_date=timezone.now().date() + timedelta(days=365),
                             now=evaluation_call.standstill_ends_at + timedelta(seconds=1))
    package = _package(evaluation_call)
    _assert_valid(package, tmp_path)
    contract = package["releases"][-1]
    assert contract["tag"] == ["contract"]
    assert contract["contracts"][0]["awardID"] == contract["awards"][0]["id"]
    assert contract["awards"][0]["status"] == "active"


def test_releases_feed_is_paginated_and_filterable(published_call, buyer_admin, tmp_path):
    services.call_amend(call=published_call, actor=buyer_admin, rationale="r1", title="T1")
    services.call_amend(call=published_call, actor=buyer_admin, rationale="r2", title="T2")
    client = Client()
    first = client.get("/api/v1/ocds/releases/?page_size=2")
    assert first.status_code == 200
    _assert_valid(first.json())
    assert len(first.json()["releases"]) == 2
    next_url = first["Link"].split(";")[0].strip("<>")
    second = client.get(next_url)
    assert [r["tag"] for r in second.json()["releases"]] == [["tenderAmendment"]]
    assert "Link" not in second
    future = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert client.get(f"/api/v1/ocds/releases/?date_from={future}").json()["releases"] == []
    assert client.get("/api/v1/ocds/releases/?date_from=yesterday").status_code == 400
    stream = client.get("/api/v1/ocds/releases/stream/")
    import json

    streamed = json.loads(b"".join(stream.streaming_content))
    _assert_valid(streamed, tmp_path)
    assert len(streamed["releases"]) == Release.objects.count() == 3


def test_draft_call_package_is_not_public(draft_call):
    assert Client().get(f"/api/v1/calls/{draft_call.pk}/ocds/").status_code == 404
