"""Journeys through the pages: web forms, POST and CSRF like a browser."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from procurement import services
from procurement.models import Application, Call, ConflictDeclaration, Question, Scoresheet

from .conftest import answers_for, past_deadline, submitted_application
from .factories import CallFactory, exe_upload, pdf_upload

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        client.force_login(user)
    return client


def test_list_and_detail_show_public_calls_only(published_call, buyer):
    draft = CallFactory(buyer=buyer, title="Secret draft")
    response = client_for().get("/calls/")
    assert response.status_code == 200
    assert published_call.title in response.content.decode()
    assert draft.title not in response.content.decode()
    assert client_for().get(draft.get_absolute_url()).status_code == 404
    detail = client_for().get(published_call.get_absolute_url())
    assert detail.status_code == 200
    assert "Quality" in detail.content.decode()


def test_list_filters(published_call, buyer, buyer_admin):
    other = services.call_publish(call=CallFactory(buyer=buyer, procedure="challenge_prize",
                                                   cpv_codes=["72000000-5"]), actor=buyer_admin)
    page = client_for().get("/calls/?procedure=challenge_prize").content.decode()
    assert other.title in page and published_call.title not in page
    page = client_for().get("/calls/?cpv=7200").content.decode()
    assert other.title in page and published_call.title not in page
    past_deadline(published_call)
    page = client_for().get("/calls/?status=evaluation").content.decode()
    assert published_call.title in page and other.title not in page
    page = client_for().get("/calls/?status=published").content.decode()
    assert other.title in page and published_call.title not in page


def test_buyer_creates_and_publishes_through_pages(buyer, buyer_admin):
    client = client_for(buyer_admin)
    deadline = timezone.now() + timedelta(days=30)
    response = client.post("/calls/new/", {
        "buyer": buyer.pk, "title": "Open data platform", "challenge": "One platform for data.",
        "procedure": "pre_commercial", "cpv_codes": "48000000-8, 72300000-8",
        "nuts_region": "hr031", "estimated_value": "300000", "currency": "EUR",
        "clarification_deadline": (deadline - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "submission_deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "standstill_days": 10,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(title="Open data platform")
    assert call.nuts_region == "HR031" and call.cpv_codes == ["48000000-8", "72300000-8"]
    client.post(f"/calls/{call.slug}/criteria/", {"name": "Quality", "weight": 70})
    client.post(f"/calls/{call.slug}/publish/")
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT  # 70 != 100
    client.post(f"/calls/{call.slug}/criteria/", {"name": "Price", "weight": 30})
    client.post(f"/calls/{call.slug}/publish/")
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    manage = client.get(f"/calls/{call.slug}/manage/")
    assert manage.status_code == 200 and "Audit trail" in manage.content.decode()


def test_amend_through_the_page(published_call, buyer_admin):
    client = client_for(buyer_admin)
    form = client.get(f"/calls/{published_call.slug}/edit/")
    assert form.status_code == 200
    data = {
        "title": published_call.title, "challenge": published_call.challenge + " Bikes too.",
        "procedure": published_call.procedure, "cpv_codes": ", ".join(published_call.cpv_codes),
        "nuts_region": published_call.nuts_region, "estimated_value": "250000.00",
        "currency": "EUR", "standstill_days": 10, "rationale": "Bicycles added.",
        "clarification_deadline": timezone.localtime(published_call.clarification_deadline)
        .strftime("%Y-%m-%dT%H:%M"),
        "submission_deadline": timezone.localtime(published_call.submission_deadline)
        .strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(f"/calls/{published_call.slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    amendment = published_call.amendments.get()
    assert amendment.invalidates_submissions and "challenge" in amendment.changes


def test_applicant_journey(published_call, org_a, admin_a):
    client = client_for(admin_a)
    response = client.post(f"/calls/{published_call.slug}/apply/", {"organisation": org_a.pk})
    application = Application.objects.get(call=published_call, organisation=org_a)
    assert response["Location"] == application.get_absolute_url()
    data = {f"answer_{pk}": text for pk, text in answers_for(published_call).items()}
    assert client.post(application.get_absolute_url(), data).status_code == 302
    client.post(f"/applications/{application.pk}/documents/", {"file": exe_upload()})
    assert not application.documents.exists()
    client.post(f"/applications/{application.pk}/documents/", {"file": pdf_upload()})
    document = application.documents.get()
    download = client.get(document.get_absolute_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.post(f"/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    page = client.get(application.get_absolute_url()).content.decode()
    assert application.receipt_sha256 in page
    client.post(f"/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_question_through_pages_hides_the_asker(published_call, org_a, admin_a, buyer_admin):
    client_for(admin_a).post(f"/calls/{published_call.slug}/questions/",
                             {"organisation": org_a.pk, "text": "Which LoRaWAN frequency?"})
    question = Question.objects.get()
    manage = client_for(buyer_admin).get(f"/calls/{published_call.slug}/manage/").content.decode()
    assert "Which LoRaWAN frequency?" in manage and org_a.name not in manage
    client_for(buyer_admin).post(f"/questions/{question.pk}/answer/", {"answer": "EU868."})
    page = client_for().get(published_call.get_absolute_url()).content.decode()
    assert "EU868." in page and org_a.name not in page


def test_the_asker_sees_their_question_pending_and_nobody_else_does(published_call, org_a,
                                                                     admin_a, admin_b):
    client_for(admin_a).post(f"/calls/{published_call.slug}/questions/",
                             {"organisation": org_a.pk, "text": "May a consortium apply?"})
    own = client_for(admin_a).get(published_call.get_absolute_url()).content.decode()
    assert "Your questions waiting for an answer" in own and "May a consortium apply?" in own
    for viewer in (admin_b, None):
        page = client_for(viewer).get(published_call.get_absolute_url()).content.decode()
        assert "May a consortium apply?" not in page


def test_public_calls_filter_does_not_offer_drafts(client):
    page = client.get("/calls/").content.decode()
    assert '<select name="status"' in page and 'value="draft"' not in page


def test_page_writes_after_deadline_are_refused(published_call, org_a, admin_a):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    services.application_update(application=application, actor=admin_a,
                                answers=answers_for(published_call))
    past_deadline(published_call)
    client = client_for(admin_a)
    client.post(f"/applications/{application.pk}/submit/")
    client.post(f"/applications/{application.pk}/documents/", {"file": pdf_upload()})
    client.post(f"/calls/{published_call.slug}/questions/", {"organisation": org_a.pk,
                                                             "text": "late?"})
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert not application.documents.exists() and not Question.objects.exists()


def test_evaluation_and_award_through_pages(evaluation_call, evaluator, evaluator2, buyer_admin,
                                            org_a, admin_a):
    for user in (evaluator, evaluator2):
        client = client_for(user)
        assert client.get(f"/evaluation/calls/{evaluation_call.slug}/").status_code == 200
        for application in evaluation_call.applications.all():
            assert client.get(f"/evaluation/applications/{application.pk}/").status_code == 404
            client.post(f"/evaluation/applications/{application.pk}/declare/",
                        {"has_conflict": "no"})
            data = {}
            for criterion in evaluation_call.criteria.all():
                data[f"score_{criterion.pk}"] = "7.5"
                data[f"justification_{criterion.pk}"] = "Solid plan."
            assert client.post(f"/evaluation/applications/{application.pk}/", data).status_code == 302
            client.post(f"/evaluation/applications/{application.pk}/submit/")
    assert ConflictDeclaration.objects.count() == 4
    assert Scoresheet.objects.filter(submitted_at__isnull=False).count() == 4
    winner = evaluation_call.applications.get(organisation=org_a)
    client = client_for(buyer_admin)
    assert "Std. dev." in client.get(f"/calls/{evaluation_call.slug}/manage/").content.decode()
    client.post(f"/calls/{evaluation_call.slug}/award/", {"winners": [winner.pk],
                                                         "reasons": "Best plan."})
    evaluation_call.refresh_from_db()
    assert evaluation_call.status == Call.Status.AWARDED
    page = client_for().get(evaluation_call.get_absolute_url()).content.decode()
    assert "Best plan." in page and org_a.name in page


def test_sealed_page_for_buyer_before_deadline(published_call, org_a, admin_a, buyer_admin):
    application = submitted_application(published_call, org_a, admin_a)
    manage = client_for(buyer_admin).get(f"/calls/{published_call.slug}/manage/").content.decode()
    assert "Sealed" in manage and org_a.name not in manage
    assert client_for(buyer_admin).get(application.get_absolute_url()).status_code == 404


def test_nothing_typed_is_lost_when_uploading_deleting_or_submitting(published_call, org_a,
                                                                      admin_a):
    client = client_for(admin_a)
    client.post(f"/calls/{published_call.slug}/apply/", {"organisation": org_a.pk})
    application = Application.objects.get(call=published_call, organisation=org_a)
    answers = {f"answer_{pk}": f"{text} (typed, never saved)"
               for pk, text in answers_for(published_call).items()}
    page = client.get(application.get_absolute_url()).content.decode()
    assert page.count('enctype="multipart/form-data"') == 1  # one form holds answers and files

    # A refused file: the answers are kept and saved, the error says what to do.
    response = client.post(application.get_absolute_url(),
                           {**answers, "action": "upload", "file": exe_upload()})
    assert response.status_code == 200
    assert not application.documents.exists()
    application.refresh_from_db()
    assert sorted(application.answers.values()) == sorted(answers.values())
    assert "Your answers are saved, but" in response.content.decode()

    edited = {key: value.replace("typed", "edited") for key, value in answers.items()}
    response = client.post(application.get_absolute_url(),
                           {**edited, "action": "upload", "file": pdf_upload()})
    assert response.status_code == 302
    document = application.documents.get()
    application.refresh_from_db()
    assert sorted(application.answers.values()) == sorted(edited.values())

    again = {key: value + " More." for key, value in edited.items()}
    client.post(application.get_absolute_url(), {**again, "action": f"delete-{document.pk}"})
    assert not application.documents.exists()
    application.refresh_from_db()
    assert sorted(application.answers.values()) == sorted(again.values())

    assert client.post(application.get_absolute_url(),
                       {**again, "action": "delete-not-a-number"}).status_code == 404
    client.post(application.get_absolute_url(), {**again, "action": "upload", "file": pdf_upload()})
    client.post(application.get_absolute_url(), {**again, "action": "submit"})
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
