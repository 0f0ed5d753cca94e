from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from ecosystem.errors import Conflict, DeadlinePassed, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.models import AuditEntry
from ecosystem.notifications.models import Notification
from ecosystem.notifications.services import follow
from procurement import selectors, services
from procurement.models import Application, Call, Criterion, Release
from stakeholders.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import answers_for, past_deadline, submitted_application
from .factories import CallFactory, docx_upload, exe_upload, odt_upload, pdf_upload, xlsx_upload

pytestmark = pytest.mark.django_db


# Publishing -------------------------------------------------------------------------------

def test_publish_requires_weights_summing_to_100(draft_call, buyer_admin):
    Criterion.objects.filter(call=draft_call, name="Price").update(weight=30)
    with pytest.raises(InvalidInput) as error:
        services.call_publish(call=draft_call, actor=buyer_admin)
    assert "criteria" in error.value.fields
    draft_call.refresh_from_db()
    assert draft_call.status == Call.Status.DRAFT
    assert not Release.objects.exists()


def test_publish_requires_notice_fields(buyer, buyer_admin):
    call = CallFactory(buyer=buyer, cpv_codes=[], nuts_region="", estimated_value=None)
    with pytest.raises(InvalidInput) as error:
        services.call_publish(call=call, actor=buyer_admin)
    assert {"cpv_codes", "nuts_region", "estimated_value"} <= set(error.value.fields)


def test_publish_requires_clarification_before_submission(draft_call, buyer_admin):
    with pytest.raises(InvalidInput) as error:
        services.call_update(call=draft_call, actor=buyer_admin,
                             clarification_deadline=draft_call.submission_deadline)
    assert "clarification_deadline" in error.value.fields
    with pytest.raises(IntegrityError):  # the database holds the rule too
        Call.objects.filter(pk=draft_call.pk).update(
            clarification_deadline=draft_call.submission_deadline + timedelta(hours=1))


def test_publish_refuses_a_deadline_in_the_past(draft_call, buyer_admin):
    with pytest.raises(InvalidInput):
        services.call_publish(call=draft_call, actor=buyer_admin,
                              now=draft_call.submission_deadline + timedelta(seconds=1))


def test_buyer_must_be_a_public_authority(buyer_admin):
    sme = OrganisationFactory()
    MembershipFactory(organisation=sme, user=buyer_admin, role=Membership.Role.ADMIN)
    with pytest.raises(NotAllowed):
        services.call_create(actor=buyer_admin, buyer=sme, title="x", challenge="y",
                             procedure="small_value")
    call = CallFactory(buyer=sme)
    with pytest.raises(InvalidInput) as error:
        services.call_publish(call=call, actor=buyer_admin)
    assert "buyer" in error.value.fields


def test_only_buyer_admins_publish(draft_call, buyer_member, other_city_admin, admin_a):
    for user in (buyer_member, other_city_admin, admin_a):
        with pytest.raises(NotAllowed):
            services.call_publish(call=draft_call, actor=user)


def test_invalid_cpv_code_is_refused(buyer, buyer_admin):
    with pytest.raises(InvalidInput) as error:
        services.call_create(actor=buyer_admin, buyer=buyer, title="Sensors", challenge="c",
                             procedure="small_value", cpv_codes=["48000000"])
    assert "cpv_codes" in error.value.fields


def test_publish_sets_status_release_and_audit(published_call):
    assert published_call.status == Call.Status.PUBLISHED
    assert published_call.publication_date is not None
    release = Release.objects.get(call=published_call)
    assert release.tag == ["tender"]
    assert release.data["tender"]["status"] == "active"
    assert AuditEntry.objects.filter(action="procurement.call.published").exists()


def test_published_call_is_changed_only_by_amendment(published_call, buyer_admin):
    with pytest.raises(InvalidTransition):
        services.call_update(call=published_call, actor=buyer_admin, title="New")


# Amendments -------------------------------------------------------------------------------

def test_substantive_amendment_invalidates_submitted_applications(
        published_call, buyer_admin, org_a, admin_a, citizen):
    follow(user=citizen, target=published_call)
    application = submitted_application(published_call, org_a, admin_a)
    amendment = services.call_amend(
        call=published_call, actor=buyer_admin, rationale="Sensors must also count bicycles.",
        challenge=published_call.challenge + " Also count bicycles.")
    assert amendment.invalidates_submissions
    application.refresh_from_db()
    assert application.status == Application.Status.NEEDS_CONFIRMATION
    assert Notification.objects.filter(recipient=citizen, kind="procurement.call_amended").exists()
    assert Notification.objects.filter(recipient=admin_a,
                                       kind="procurement.application_needs_confirmation").exists()
    assert Release.objects.filter(call=published_call, tag=["tenderAmendment"]).exists()
    # confirming again = submitting again, with a new receipt
    resubmitted = services.application_submit(application=application, actor=admin_a)
    assert resubmitted.status == Application.Status.SUBMITTED


def test_minor_amendment_keeps_submissions(published_call, buyer_admin, org_a, admin_a):
    application = submitted_application(published_call, org_a, admin_a)
    services.call_amend(call=published_call, actor=buyer_admin, rationale="Typo in the title.",
                        title="Smart parking sensors for the old town")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_no_amendment_after_the_deadline(published_call, buyer_admin):
    past_deadline(published_call)
    with pytest.raises(DeadlinePassed):
        services.call_amend(call=published_call, actor=buyer_admin, rationale="late",
                            title="Too late")


# Questions --------------------------------------------------------------------------------

def test_question_and_answer_published_without_asker(published_call, org_a, admin_a, buyer_admin,
                                                      citizen):
    follow(user=citizen, target=published_call)
    question = services.question_ask(call=published_call, actor=admin_a, organisation=org_a,
                                     text="May we use existing lamp posts?")
    services.question_answer(question=question, actor=buyer_admin, answer="Yes.")
    assert list(selectors.public_questions(call=published_call)) == [question]
    note = Notification.objects.get(recipient=citizen, kind="procurement.question_answered")
    assert org_a.name not in note.body and "admin@alpha" not in note.body
    assert Release.objects.filter(call=published_call, tag=["tenderUpdate"]).exists()


def test_no_question_after_clarification_deadline_even_before_beat(published_call, org_a, admin_a):
    with pytest.raises(DeadlinePassed):
        services.question_ask(call=published_call, actor=admin_a, organisation=org_a, text="Late?",
                              now=published_call.clarification_deadline + timedelta(seconds=1))


def test_only_members_ask_for_their_organisation(published_call, org_a, admin_b):
    with pytest.raises(NotAllowed):
        services.question_ask(call=published_call, actor=admin_b, organisation=org_a, text="?")


def test_no_answer_after_submission_deadline(published_call, org_a, admin_a, buyer_admin):
    question = services.question_ask(call=published_call, actor=admin_a, organisation=org_a,
                                     text="?")
    past_deadline(published_call)
    with pytest.raises(DeadlinePassed):
        services.question_answer(question=question, actor=buyer_admin, answer="Late")


# Applications -----------------------------------------------------------------------------

def test_one_application_per_organisation(published_call, org_a, admin_a, member_a):
    services.application_create(call=published_call, organisation=org_a, actor=admin_a)
    with pytest.raises(Conflict):
        services.application_create(call=published_call, organisation=org_a, actor=member_a)


def test_submit_gives_a_receipt_that_matches_the_content(published_call, org_a, admin_a):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    services.application_update(application=application, actor=admin_a,
                                answers=answers_for(published_call))
    services.application_document_add(application=application, actor=admin_a,
                                      upload=pdf_upload())
    submitted = services.application_submit(application=application, actor=admin_a)
    assert submitted.status == Application.Status.SUBMITTED
    assert len(submitted.receipt_sha256) == 64
    assert submitted.receipt_sha256 == services.receipt_hash(submitted, submitted.submitted_at)
    assert Notification.objects.filter(recipient=admin_a,
                                       kind="procurement.application_submitted").exists()
    # the receipt covers the documents: another document would give another hash
    submitted.documents.update(sha256="0" * 64)
    assert submitted.receipt_sha256 != services.receipt_hash(submitted, submitted.submitted_at)


def test_submit_requires_an_answer_per_criterion(published_call, org_a, admin_a):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    with pytest.raises(InvalidInput) as error:
        services.application_submit(application=application, actor=admin_a)
    assert error.value.code == "incomplete"


def test_sme_only_call_refuses_a_large_enterprise(buyer, buyer_admin, large_org):
    call = services.call_publish(call=CallFactory(buyer=buyer, smes_only=True), actor=buyer_admin)
    user = MembershipFactory(organisation=large_org).user
    application = services.application_create(call=call, organisation=large_org, actor=user)
    services.application_update(application=application, actor=user, answers=answers_for(call))
    with pytest.raises(InvalidInput) as error:
        services.application_submit(application=application, actor=user)
    assert error.value.code == "not_eligible"


def test_country_and_helix_eligibility(buyer, buyer_admin, org_a, admin_a):
    call = services.call_publish(
        call=CallFactory(buyer=buyer, allowed_countries=["DE"], allowed_helices=["academia"]),
        actor=buyer_admin)
    problems = services.eligibility_problems(call=call, organisation=org_a)
    assert len(problems) == 2


def test_withdraw_and_resubmit_until_the_deadline(published_call, org_a, admin_a):
    application = submitted_application(published_call, org_a, admin_a)
    services.application_withdraw(application=application, actor=admin_a)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    services.application_update(application=application, actor=admin_a,
                                answers={str(published_call.criteria.first().pk): "Better."})
    again = services.application_submit(application=application, actor=admin_a)
    assert again.status == Application.Status.SUBMITTED


def test_submitted_application_cannot_be_edited(published_call, org_a, admin_a):
    application = submitted_application(published_call, org_a, admin_a)
    with pytest.raises(InvalidTransition):
        services.application_update(application=application, actor=admin_a, answers={})


def test_nothing_changes_after_the_deadline_even_before_beat(published_call, org_a, admin_a,
                                                             org_b, admin_b):
    draft = services.application_create(call=published_call, organisation=org_b, actor=admin_b)
    services.application_update(application=draft, actor=admin_b,
                                answers=answers_for(published_call))
    document = services.application_document_add(application=draft, actor=admin_b,
                                                 upload=pdf_upload())
    submitted = submitted_application(published_call, org_a, admin_a)
    late = published_call.submission_deadline + timedelta(seconds=1)
    assert Call.objects.get(pk=published_call.pk).status == Call.Status.PUBLISHED  # beat has not run
    with pytest.raises(DeadlinePassed):
        services.application_submit(application=draft, actor=admin_b, now=late)
    with pytest.raises(DeadlinePassed):
        services.application_update(application=draft, actor=admin_b, answers={}, now=late)
    with pytest.raises(DeadlinePassed):
        services.application_document_add(application=draft, actor=admin_b, upload=pdf_upload(),
                                          now=late)
    with pytest.raises(DeadlinePassed):
        services.application_document_delete(document=document, actor=admin_b, now=late)
    with pytest.raises(DeadlinePassed):
        services.application_withdraw(application=submitted, actor=admin_a, now=late)
    with pytest.raises(DeadlinePassed):
        late_org = MembershipFactory(user=admin_a).organisation
        services.application_create(call=published_call, organisation=late_org,
                                    actor=admin_a, now=late)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_submission_exactly_at_the_deadline_is_refused(published_call, org_a, admin_a):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    services.application_update(application=application, actor=admin_a,
                                answers=answers_for(published_call))
    with pytest.raises(DeadlinePassed):
        services.application_submit(application=application, actor=admin_a,
                                    now=published_call.submission_deadline)
    ok = services.application_submit(
        application=application, actor=admin_a,
        now=published_call.submission_deadline - timedelta(seconds=1))
    assert ok.status == Application.Status.SUBMITTED


def test_other_organisation_cannot_touch_an_application(published_call, org_a, admin_a, admin_b):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    with pytest.raises(NotAllowed):
        services.application_update(application=application, actor=admin_b, answers={})
    with pytest.raises(NotAllowed):
        services.application_submit(application=application, actor=admin_b)


# Uploads ----------------------------------------------------------------------------------

@pytest.mark.parametrize("upload, content_type", [
    (pdf_upload, "application/pdf"),
    (docx_upload, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (xlsx_upload, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (odt_upload, "application/vnd.oasis.opendocument.text"),
])
def test_accepted_documents_are_recognised_by_content(published_call, org_a, admin_a, upload,
                                                      content_type, settings):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    document = services.application_document_add(application=application, actor=admin_a,
                                                 upload=upload())
    assert document.content_type == content_type
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path
    assert str(settings.MEDIA_ROOT) not in document.file.path


@pytest.mark.parametrize("upload", [
    exe_upload,
    lambda: pdf_upload(name="x.pdf", content=b"just text pretending"),
    lambda: pdf_upload(name="x.docx", content=b"PK\x03\x04not really a zip"),
])
def test_disguised_files_are_refused(published_call, org_a, admin_a, upload):
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    with pytest.raises(InvalidInput) as error:
        services.application_document_add(application=application, actor=admin_a, upload=upload())
    assert error.value.code == "file_type"
    assert not application.documents.exists()


def test_size_limit(published_call, org_a, admin_a, settings):
    settings.MAX_UPLOAD_SIZE = 100
    application = services.application_create(call=published_call, organisation=org_a,
                                              actor=admin_a)
    with pytest.raises(InvalidInput) as error:
        services.application_document_add(application=application, actor=admin_a,
                                          upload=pdf_upload())
    assert error.value.code == "too_large"


# Closing, evaluation, award ---------------------------------------------------------------

def test_effective_status_by_the_clock(published_call):
    past_deadline(published_call)
    assert published_call.status == Call.Status.PUBLISHED
    assert published_call.effective_status() == Call.Status.EVALUATION


def test_beat_closes_due_calls(evaluation_call):
    assert services.close_due_calls() == 1
    evaluation_call.refresh_from_db()
    assert evaluation_call.status == Call.Status.EVALUATION
    assert services.close_due_calls() == 0


def test_close_without_applications_is_unsuccessful(published_call):
    past_deadline(published_call)
    call = services.call_close_submissions(call=published_call)
    assert call.status == Call.Status.UNSUCCESSFUL


def test_close_before_deadline_is_refused(published_call):
    with pytest.raises(InvalidTransition):
        services.call_close_submissions(call=published_call)


def _score_all(call, user, value="8"):
    for application in call.applications.filter(status=Application.Status.SUBMITTED):
        services.conflict_declare(application=application, actor=user, has_conflict=False)
        sheet = services.scoresheet_save(
            application=application, actor=user,
            scores={c.pk: (value, "Meets the need.") for c in call.criteria.all()})
        services.scoresheet_submit(scoresheet=sheet, actor=user)


def test_evaluator_must_declare_before_scoring(evaluation_call, evaluator):
    application = evaluation_call.applications.first()
    with pytest.raises(NotAllowed):
        services.scoresheet_save(application=application, actor=evaluator, scores={})


def test_conflict_excludes_the_evaluator(evaluation_call, evaluator):
    application = evaluation_call.applications.first()
    services.conflict_declare(application=application, actor=evaluator, has_conflict=True,
                              note="Former employer")
    with pytest.raises(NotAllowed):
        services.scoresheet_save(application=application, actor=evaluator, scores={})
    with pytest.raises(Conflict):
        services.conflict_declare(application=application, actor=evaluator, has_conflict=False)


def test_member_of_applicant_cannot_declare_no_conflict(evaluation_call, buyer_admin, admin_a,
                                                       org_a):
    application = evaluation_call.applications.get(organisation=org_a)
    # admin_a cannot be assigned after... assign before award is allowed
    services.evaluator_assign(call=evaluation_call, actor=buyer_admin, evaluator=admin_a)
    with pytest.raises(InvalidInput):
        services.conflict_declare(application=application, actor=admin_a, has_conflict=False)


def test_justification_required_and_scores_in_range(evaluation_call, evaluator):
    application = evaluation_call.applications.first()
    services.conflict_declare(application=application, actor=evaluator, has_conflict=False)
    criterion = evaluation_call.criteria.first()
    with pytest.raises(InvalidInput):
        services.scoresheet_save(application=application, actor=evaluator,
                                 scores={criterion.pk: ("7", "  ")})
    with pytest.raises(InvalidInput):
        services.scoresheet_save(application=application, actor=evaluator,
                                 scores={criterion.pk: ("11", "too good")})


def test_submitted_scoresheet_is_locked_and_changes_are_audited(evaluation_call, evaluator):
    application = evaluation_call.applications.first()
    services.conflict_declare(application=application, actor=evaluator, has_conflict=False)
    criteria = list(evaluation_call.criteria.all())
    sheet = services.scoresheet_save(application=application, actor=evaluator,
                                     scores={criteria[0].pk: ("5", "ok")})
    with pytest.raises(InvalidInput):
        services.scoresheet_submit(scoresheet=sheet, actor=evaluator)
    services.scoresheet_save(application=application, actor=evaluator,
                             scores={criteria[0].pk: ("6", "better"), criteria[1].pk: ("7", "ok")})
    services.scoresheet_submit(scoresheet=sheet, actor=evaluator)
    with pytest.raises(InvalidTransition):
        services.scoresheet_save(application=application, actor=evaluator,
                                 scores={criteria[0].pk: ("9", "changed mind")})
    changes = AuditEntry.objects.filter(action="procurement.score.changed").order_by("id")
    assert changes[1].changes[str(criteria[0].pk)] == ["5.0", "6"]


def test_results_ranking_and_spread(evaluation_call, evaluator, evaluator2, org_a):
    _score_all(evaluation_call, evaluator, "8")
    _score_all(evaluation_call, evaluator2, "6")
    rows = selectors.evaluation_results(call=evaluation_call)
    assert [row["rank"] for row in rows] == [1, 1]
    row = rows[0]
    assert row["total"] == 70 and row["min"] == 60 and row["max"] == 80 and row["stddev"] == 10


def test_award_notifies_every_applicant_with_own_scores(evaluation_call, evaluator, evaluator2,
                                                        admin_a, admin_b, org_a):
    _score_all(evaluation_call, evaluator)
    _score_all(evaluation_call, evaluator2)
    winner = evaluation_call.applications.get(organisation=org_a)
    decision = services.call_award(call=evaluation_call, actor=evaluator, winners=[winner],
                                   reasons="Best value for the old town.")
    call = Call.objects.get(pk=evaluation_call.pk)
    assert call.status == Call.Status.AWARDED and decision.chair == evaluator
    win = Notification.objects.get(recipient=admin_a, kind="procurement.call_result")
    lose = Notification.objects.get(recipient=admin_b, kind="procurement.call_result")
    assert win.context["successful"] and not lose.context["successful"]
    assert "Best value" in lose.body and lose.context["total"] == "80.00"
    assert Release.objects.filter(call=call, tag=["award"]).exists()


def test_only_chair_or_officer_awards(evaluation_call, evaluator, evaluator2):
    _score_all(evaluation_call, evaluator)
    with pytest.raises(NotAllowed):
        services.call_award(call=evaluation_call, actor=evaluator2,
                            winners=list(evaluation_call.applications.all()[:1]), reasons="r")


def test_award_needs_every_scoresheet_submitted(evaluation_call, evaluator, buyer_admin):
    application = evaluation_call.applications.first()
    services.conflict_declare(application=application, actor=evaluator, has_conflict=False)
    services.scoresheet_save(application=application, actor=evaluator,
                             scores={evaluation_call.criteria.first().pk: ("5", "ok")})
    with pytest.raises(InvalidTransition):
        services.call_award(call=evaluation_call, actor=buyer_admin, winners=[application],
                            reasons="r")


def test_contract_only_after_standstill_then_completed(evaluation_call, evaluator, buyer_admin,
                                                       org_a):
    _score_all(evaluation_call, evaluator)
    winner = evaluation_call.applications.get(organisation=org_a)
    services.call_award(call=evaluation_call, actor=buyer_admin, winners=[winner], reasons="r")
    call = Call.objects.get(pk=evaluation_call.pk)
    kwargs = dict(call=call, actor=buyer_admin, application=winner, title="Sensors contract",
                  value=240000, start_date=timezone.now().date(),
                  end_date=timezone.now().date() + timedelta(days=365))
    with pytest.raises(InvalidTransition) as error:
        services.contract_record(**kwargs)
    assert error.value.code == "standstill"
    services.contract_record(**kwargs, now=call.standstill_ends_at + timedelta(minutes=1))
    call.refresh_from_db()
    assert call.status == Call.Status.COMPLETED


def test_cancel_needs_public_reason_and_works_from_open_states(published_call, buyer_admin,
                                                               org_a, admin_a):
    submitted_application(published_call, org_a, admin_a)
    with pytest.raises(InvalidInput):
        services.call_cancel(call=published_call, actor=buyer_admin, reason=" ")
    call = services.call_cancel(call=published_call, actor=buyer_admin, reason="Budget withdrawn.")
    assert call.status == Call.Status.CANCELLED
    assert Notification.objects.filter(recipient=admin_a, kind="procurement.call_cancelled").exists()
    with pytest.raises(InvalidTransition):
        services.call_cancel(call=call, actor=buyer_admin, reason="again")


def test_mark_unsuccessful_in_evaluation(evaluation_call, buyer_admin):
    call = services.call_mark_unsuccessful(call=evaluation_call, actor=buyer_admin,
                                           reason="No application met the minimum quality.")
    assert call.status == Call.Status.UNSUCCESSFUL


def test_evaluation_service_closes_a_due_call_itself(evaluation_call, evaluator):
    application = evaluation_call.applications.first()
    services.conflict_declare(application=application, actor=evaluator, has_conflict=False)
    evaluation_call.refresh_from_db()
    assert evaluation_call.status == Call.Status.EVALUATION


def test_new_user_can_be_assigned_as_external_expert(published_call, buyer_admin):
    expert = UserFactory(email="external@expert.example")
    assignment = services.evaluator_assign(call=published_call, actor=buyer_admin, evaluator=expert)
    assert assignment.call == published_call
    with pytest.raises(Conflict):
        services.evaluator_assign(call=published_call, actor=buyer_admin, evaluator=expert)
