import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from procurement import services
from procurement.models import Application, Call

from .conftest import answers_for, past_deadline, submitted_application
from .factories import CallFactory, exe_upload, pdf_upload

pytestmark = pytest.mark.django_db


def test_calls_list_and_detail(api, published_call):
    rows = api.get("/api/v1/calls/").json()["results"]
    assert [row["id"] for row in rows] == [published_call.pk]
    assert rows[0]["status"] == "published" and rows[0]["ocid"] == published_call.ocid
    detail = api.get(f"/api/v1/calls/{published_call.pk}/").json()
    assert [c["weight"] for c in detail["criteria"]] == [60, 40]


def test_calls_filters_match_the_page(api, published_call, buyer, buyer_admin):
    other = services.call_publish(call=CallFactory(buyer=buyer, procedure="challenge_prize"),
                                  actor=buyer_admin)
    ids = [r["id"] for r in api.get("/api/v1/calls/?procedure=challenge_prize").json()["results"]]
    assert ids == [other.pk]
    past_deadline(published_call)
    rows = api.get("/api/v1/calls/?status=evaluation").json()["results"]
    assert [r["id"] for r in rows] == [published_call.pk] and rows[0]["status"] == "evaluation"
    assert api.get("/api/v1/calls/?status=bogus").status_code == 400


def test_application_lifecycle_through_the_api(api, published_call, org_a, admin_a):
    api.force_authenticate(admin_a)
    created = api.post("/api/v1/applications/", {"call": published_call.pk,
                                                  "organisation": org_a.slug}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    again = api.post("/api/v1/applications/", {"call": published_call.pk,
                                                "organisation": org_a.slug}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_applied"
    incomplete = api.post(f"/api/v1/applications/{pk}/submit/")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "incomplete"
    assert set(incomplete.json()) == {"message", "code", "fields"}
    api.patch(f"/api/v1/applications/{pk}/", {"answers": answers_for(published_call)},
              format="json")
    bad = api.post(f"/api/v1/applications/{pk}/documents/", {"file": exe_upload()},
                   format="multipart")
    assert bad.status_code == 400 and bad.json()["code"] == "file_type"
    good = api.post(f"/api/v1/applications/{pk}/documents/", {"file": pdf_upload()},
                    format="multipart")
    assert good.status_code == 201
    submitted = api.post(f"/api/v1/applications/{pk}/submit/")
    assert submitted.status_code == 200 and len(submitted.json()["receipt_sha256"]) == 64
    assert api.post(f"/api/v1/applications/{pk}/submit/").status_code == 409
    edit = api.patch(f"/api/v1/applications/{pk}/", {"answers": {}}, format="json")
    assert edit.status_code == 409
    assert api.post(f"/api/v1/applications/{pk}/withdraw/").json()["status"] == "withdrawn"


def test_api_refuses_writes_after_the_deadline_before_beat(api, published_call, org_a, admin_a):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    services.application_update(application=application, actor=admin_a,
                                answers=answers_for(published_call))
    document = services.application_document_add(application=application, actor=admin_a,
                                                 upload=pdf_upload())
    past_deadline(published_call)
    api.force_authenticate(admin_a)
    base = f"/api/v1/applications/{application.pk}"
    for response in (
        api.post(f"{base}/submit/"),
        api.patch(f"{base}/", {"answers": {}}, format="json"),
        api.post(f"{base}/documents/", {"file": pdf_upload()}, format="multipart"),
        api.delete(f"{base}/documents/{document.pk}/"),
        api.post(f"/api/v1/calls/{published_call.pk}/questions/",
                 {"organisation": org_a.slug, "text": "late"}, format="json"),
    ):
        assert response.status_code == 409, response.json()
        assert response.json()["code"] in ("deadline_passed", "invalid_state")
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.documents.count() == 1


def test_questions_api_hides_the_asker(api, published_call, org_a, admin_a, buyer_admin):
    api.force_authenticate(admin_a)
    asked = api.post(f"/api/v1/calls/{published_call.pk}/questions/",
                     {"organisation": org_a.slug, "text": "Night operation?"}, format="json")
    assert asked.status_code == 201
    services.question_answer(question=published_call.questions.get(), actor=buyer_admin,
                             answer="24/7.")
    rows = api.get(f"/api/v1/calls/{published_call.pk}/questions/").json()
    assert rows == [{"id": rows[0]["id"], "text": "Night operation?", "answer": "24/7.",
                     "asked_at": rows[0]["asked_at"], "answered_at": rows[0]["answered_at"]}]


def test_scoresheets_api(api, evaluation_call, evaluator):
    application = evaluation_call.applications.first()
    api.force_authenticate(evaluator)
    criteria = list(evaluation_call.criteria.all())
    early = api.post("/api/v1/scoresheets/", {"application": application.pk, "scores": []},
                     format="json")
    assert early.status_code == 404  # not declared yet: the application is not visible
    declared = api.post("/api/v1/conflict-declarations/",
                        {"application": application.pk, "has_conflict": False}, format="json")
    assert declared.status_code == 201
    scores = [{"criterion": c.pk, "value": "7.5", "justification": "Good."} for c in criteria]
    sheet = api.post("/api/v1/scoresheets/", {"application": application.pk, "scores": scores},
                     format="json")
    assert sheet.status_code == 201, sheet.json()
    locked = api.post(f"/api/v1/scoresheets/{sheet.json()['id']}/submit/")
    assert locked.status_code == 200 and locked.json()["submitted_at"]
    again = api.post("/api/v1/scoresheets/", {"application": application.pk, "scores": scores},
                     format="json")
    assert again.status_code == 409 and again.json()["code"] == "locked"


def _make_calls(n, buyer, buyer_admin, theme):
    for _ in range(n):
        call = services.call_publish(call=CallFactory(buyer=buyer), actor=buyer_admin)
        call.themes.add(theme)


@pytest.mark.parametrize("path", ["/calls/", "/api/v1/calls/"])
def test_list_query_count_does_not_grow(path, buyer, buyer_admin, django_assert_num_queries):
    from tests.factories import ThemeFactory

    theme = ThemeFactory()
    client = Client()
    _make_calls(2, buyer, buyer_admin, theme)
    client.get(path)  # warm caches (content types, sites)
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as two:
        assert client.get(path).status_code == 200
    _make_calls(18, buyer, buyer_admin, theme)
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_give_one_submitted_application(buyer, buyer_admin, org_a,
                                                                   admin_a, member_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite serialises "
                    "writers and cannot show the race")
    call = services.call_publish(call=CallFactory(buyer=buyer), actor=buyer_admin)
    application = services.application_create(call=call, organisation=org_a, actor=admin_a)
    services.application_update(application=application, actor=admin_a,
                                answers=answers_for(call))
    barrier = threading.Barrier(2)
    results = []

    def submit(user):
        from django.db import connections

        try:
            barrier.wait()
            services.application_submit(application=application, actor=user)
            results.append("ok")
        except Exception as error:  # noqa: BLE001 - the loser's error is the point
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(user,)) for user in (admin_a, member_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["InvalidTransition", "ok"]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    from ecosystem.models import AuditEntry
    assert AuditEntry.objects.filter(action="procurement.application.submitted").count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creations_give_one_application(buyer, buyer_admin, org_a, admin_a,
                                                       member_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL to race two transactions")
    call = services.call_publish(call=CallFactory(buyer=buyer), actor=buyer_admin)
    barrier = threading.Barrier(2)
    results = []

    def create(user):
        from django.db import connections

        try:
            barrier.wait()
            services.application_create(call=call, organisation=org_a, actor=user)
            results.append("ok")
        except Exception as error:  # noqa: BLE001
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(user,)) for user in (admin_a, member_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["Conflict", "ok"]
    assert Application.objects.filter(call=call).count() == 1


def test_call_detail_past_deadline_shows_effective_status(published_call):
    Call.objects.filter(pk=published_call.pk).update(
        clarification_deadline=timezone.now() - timedelta(days=1),
        submission_deadline=timezone.now() - timedelta(seconds=1))
    page = Client().get(published_call.get_absolute_url()).content.decode()
    assert "Under evaluation" in page and "Applications are closed." in page


def test_submitted_application_visible_in_results(evaluation_call, buyer_admin, api):
    api.force_authenticate(buyer_admin)
    assert api.get("/api/v1/applications/").json()["results"] == []  # applicant-only endpoint
    assert submitted_application  # used by fixtures
