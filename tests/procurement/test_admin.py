"""The admin goes through the same rules: sealed stays sealed, no write after a deadline."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from procurement import services
from procurement.models import Call, Question

from .conftest import past_deadline, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(portal_staff):
    portal_staff.is_superuser = True
    portal_staff.save()
    client = Client()
    client.force_login(portal_staff)
    return client


def test_sealed_applications_are_hidden_and_refused(admin_client, published_call, org_a, admin_a):
    application = submitted_application(published_call, org_a, admin_a)
    document = services.application_document_add
    listing = admin_client.get("/admin/procurement/application/")
    assert listing.status_code == 200
    assert org_a.name not in listing.content.decode()
    change = admin_client.get(f"/admin/procurement/application/{application.pk}/change/")
    assert change.status_code in (302, 404)
    assert document  # documents of the sealed application are not reachable either:
    assert admin_client.get("/admin/procurement/applicationdocument/").status_code == 200
    past_deadline(published_call)
    listing = admin_client.get("/admin/procurement/application/")
    assert org_a.name in listing.content.decode()
    view = admin_client.get(f"/admin/procurement/application/{application.pk}/change/")
    assert view.status_code == 200
    # read-only even after the deadline
    admin_client.post(f"/admin/procurement/application/{application.pk}/change/",
                      {"status": "draft"})
    application.refresh_from_db()
    assert application.status == "submitted"


def test_staff_cannot_download_a_sealed_document(published_call, org_a, admin_a, portal_staff):
    from .factories import pdf_upload

    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    document = services.application_document_add(application=application, actor=admin_a,
                                                 upload=pdf_upload())
    client = Client()
    client.force_login(portal_staff)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_question_answer_refused_after_deadline_in_admin(admin_client, published_call, org_a,
                                                         admin_a):
    question = services.question_ask(call=published_call, actor=admin_a, organisation=org_a,
                                     text="Power supply available?")
    url = f"/admin/procurement/question/{question.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert org_a.name not in page
    past_deadline(published_call)
    admin_client.post(url, {"answer": "Too late"})
    question.refresh_from_db()
    assert question.answer == ""


def test_question_answered_in_admin_goes_through_the_service(admin_client, published_call, org_a,
                                                             admin_a):
    question = services.question_ask(call=published_call, actor=admin_a, organisation=org_a,
                                     text="Power supply available?")
    response = admin_client.post(f"/admin/procurement/question/{question.pk}/change/",
                                 {"answer": "Yes, 230 V."})
    assert response.status_code == 302
    question = Question.objects.get(pk=question.pk)
    assert question.answered_at is not None
    assert published_call.releases.filter(tag=["tenderUpdate"]).exists()


def test_call_created_in_admin_via_service_and_published_call_read_only(admin_client, buyer,
                                                                        published_call):
    deadline = timezone.now() + timedelta(days=40)
    response = admin_client.post("/admin/procurement/call/add/", {
        "buyer": buyer.pk, "title_en": "Challenge prize", "challenge_en": "Ideas for e-government.",
        "title_hr": "Nagrada za izazov",
        "procedure": "challenge_prize", "cpv_codes": "72000000-5", "nuts_region": "ITH20",
        "estimated_value": "50000", "currency": "EUR", "standstill_days": 10,
        "clarification_deadline": (deadline - timedelta(days=5)).strftime("%Y-%m-%dT12:00"),
        "submission_deadline": deadline.strftime("%Y-%m-%dT12:00"),
        **{f"{prefix}-{key}": value
           for prefix in ("criteria", "lots", "amendments",
                          "ecosystem-auditentry-target_type-target_id")
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    call = Call.objects.get(title="Challenge prize")
    assert call.ocid.startswith("ocds-") and call.status == Call.Status.DRAFT
    assert call.slug == "challenge-prize"
    assert call.title_hr == "Nagrada za izazov"  # every language, side by side
    page = admin_client.get(f"/admin/procurement/call/{published_call.pk}/change/")
    assert page.status_code == 200
    assert "procurement.call.published" in page.content.decode()  # the audit trail
    admin_client.post(f"/admin/procurement/call/{published_call.pk}/change/", {"title": "Hacked"})
    published_call.refresh_from_db()
    assert published_call.title != "Hacked"


def test_csv_export(admin_client, published_call):
    response = admin_client.post("/admin/procurement/call/", {
        "action": "export_csv", "_selected_action": [published_call.pk]})
    assert response.status_code == 200
    assert published_call.ocid in b"".join(response.streaming_content).decode()
