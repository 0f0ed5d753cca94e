"""Every write in procurement, as a state machine over the call.

    draft -> published -> evaluation -> awarded -> completed
      \\________\\___________\\-> cancelled | unsuccessful

Time is decided by the server clock in each service (``now`` may be passed by tests and
tasks): a write after a deadline is refused whether or not beat has moved the status yet, and
a service that needs the evaluation stage closes submissions itself when they are due.
Every transition and score change is audited; every change of public data publishes an OCDS
release in the same transaction.
"""

import hashlib
import json
import os
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import Conflict, DeadlinePassed, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.i18n.content import first_text, language_columns
from ecosystem.matching import services as matching
from ecosystem.notifications.services import follow, notify
from ecosystem.search import index as search_index
from ecosystem.templatetags.when import moment
from ecosystem.text import unique_slug
from stakeholders.models import Helix, Organisation, OrganisationKind, Size
from stakeholders.services import organisation_news_notify

from . import ocds, permissions
from .models import (
    Amendment,
    Application,
    ApplicationDocument,
    AwardDecision,
    Call,
    CallDocument,
    ConflictDeclaration,
    Contract,
    Criterion,
    EvaluatorAssignment,
    Lot,
    Question,
    Release,
    Score,
    Scoresheet,
)
from .uploads import sniff

CALL_FIELDS = (
    "title", "challenge", "procedure", "cpv_codes", "nuts_region", "estimated_value", "currency",
    "smes_only", "allowed_helices", "allowed_countries", "eligibility_notes", "publication_date",
    "clarification_deadline", "submission_deadline", "evaluation_end", "award_date",
    "standstill_days",
) + language_columns("title", "challenge")  # the admin writes every language side by side
AMENDABLE_FIELDS = tuple(f for f in CALL_FIELDS if f != "publication_date")
NOTICE_FIELDS = ("title", "challenge", "procedure", "cpv_codes", "nuts_region",
                 "estimated_value", "currency", "clarification_deadline", "submission_deadline")
MAX_DOCUMENTS = 20


def _now(now):
    return now or timezone.now()


def _validation_error(error: ValidationError) -> InvalidInput:
    fields = error.message_dict if hasattr(error, "error_dict") else {
        "non_field_errors": error.messages}
    first = next(iter(fields.values()))[0] if fields else _("Invalid input.")
    return InvalidInput(first, fields=fields)


def _full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise _validation_error(error) from None


def _lock_call(call: Call) -> Call:
    return Call.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=call.pk)


def _members(organisation_ids) -> list:
    User = get_user_model()
    return list(User.objects.filter(
        is_active=True, memberships__organisation_id__in=list(organisation_ids)).distinct())


def _applicant_users(call: Call) -> list:
    return _members(call.applications.values_list("organisation_id", flat=True))


def _require_manager(actor, call: Call) -> None:
    if not permissions.can_manage_call(actor, call):
        raise NotAllowed(_("Only the buyer's procurement officers can do this."))


def publish_release(*, call: Call, tags: list[str], now=None) -> Release:
    """Store the OCDS release for a change of ``call`` (called inside the change's transaction)."""
    now = _now(now)
    sequence = (Call.objects.filter(pk=call.pk).values_list("release_sequence", flat=True)[0]) + 1
    Call.objects.filter(pk=call.pk).update(release_sequence=sequence)
    call.release_sequence = sequence
    data = ocds.build_release(call=call, tags=tags, sequence=sequence, now=now)
    return Release.objects.create(
        call=call, ocid=call.ocid, release_id=data["id"], tag=tags, date=now, data=data
    )


# Calls ------------------------------------------------------------------------------------

@transaction.atomic
def call_create(*, actor, buyer: Organisation, themes=(), **fields) -> Call:
    if not permissions.buyers_for(actor).filter(pk=buyer.pk).exists() and not (
        getattr(actor, "is_staff", False) and buyer.helix == Helix.PUBLIC
    ):
        raise NotAllowed(_("Only administrators of a public authority can create its calls."))
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call fields: {sorted(unknown)}")
    call = Call(buyer=buyer, created_by=actor, slug=unique_slug(Call, first_text(fields, "title")),
                **fields)
    _full_clean(call)
    call.save()
    call.themes.set(themes)
    audit(actor=actor, action="procurement.call.created", target=call)
    search_index.refresh(call)
    return call


@transaction.atomic
def call_update(*, call: Call, actor, themes=None, **fields) -> Call:
    """Change a draft. A published call changes only through ``call_amend``."""
    _require_manager(actor, call)
    call = _lock_call(call)
    if call.status != Call.Status.DRAFT:
        raise InvalidTransition(_("A published call can only be amended."), code="amend_instead")
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call fields: {sorted(unknown)}")
    changes = {}
    for name, value in fields.items():
        if getattr(call, name) != value:
            changes[name] = str(value)
            setattr(call, name, value)
    _full_clean(call)
    call.save()
    if themes is not None:
        call.themes.set(themes)
    audit(actor=actor, action="procurement.call.updated", target=call, changes=changes)
    search_index.refresh(call)
    return call


@transaction.atomic
def criterion_create(*, call: Call, actor, name: str, weight: int, description: str = "") -> Criterion:
    _require_manager(actor, call)
    call = _lock_call(call)
    if call.status != Call.Status.DRAFT:
        raise InvalidTransition(_("Award criteria are fixed once the call is published."))
    position = (call.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
    criterion = Criterion(call=call, name=name, weight=weight, description=description,
                          position=position)
    _full_clean(criterion)
    criterion.save()
    audit(actor=actor, action="procurement.criterion.created", target=call,
          changes={"name": name, "weight": weight})
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor) -> None:
    call = criterion.call
    _require_manager(actor, call)
    call = _lock_call(call)
    if call.status != Call.Status.DRAFT:
        raise InvalidTransition(_("Award criteria are fixed once the call is published."))
    audit(actor=actor, action="procurement.criterion.deleted", target=call,
          changes={"name": criterion.name})
    criterion.delete()


@transaction.atomic
def lot_create(*, call: Call, actor, title: str, description: str = "",
               estimated_value=None) -> Lot:
    _require_manager(actor, call)
    call = _lock_call(call)
    if call.status != Call.Status.DRAFT:
        raise InvalidTransition(_("Lots are fixed once the call is published."))
    number = (call.lots.aggregate(m=Max("number"))["m"] or 0) + 1
    lot = Lot(call=call, number=number, title=title, description=description,
              estimated_value=estimated_value)
    _full_clean(lot)
    lot.save()
    audit(actor=actor, action="procurement.lot.created", target=call, changes={"title": title})
    return lot


@transaction.atomic
def call_document_add(*, call: Call, actor, upload, title: str,
                      kind: str = CallDocument.Kind.BIDDING, now=None) -> CallDocument:
    """Add a document; on a published call this is an amendment that asks applicants to
    confirm again (the documents describe what is asked)."""
    _require_manager(actor, call)
    now = _now(now)
    call = _lock_call(call)
    if call.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED) or (
            call.status == Call.Status.PUBLISHED and not call.is_open_for_applications(now)):
        raise DeadlinePassed(_("Documents can be added only while the call is open."))
    sniffed = sniff(upload)
    document = CallDocument(call=call, title=title, kind=kind, content_type=sniffed.content_type,
                            size=sniffed.size, sha256=sniffed.sha256, uploaded_at=now)
    document.file.save(f"{uuid.uuid4().hex}.{sniffed.extension}", File(upload), save=False)
    _full_clean(document)
    document.save()
    audit(actor=actor, action="procurement.call_document.added", target=call,
          changes={"title": title, "sha256": sniffed.sha256})
    if call.status == Call.Status.PUBLISHED:
        _record_amendment(call=call, actor=actor, now=now, changes={"documents": title},
                          rationale=_("New document: %(title)s") % {"title": title},
                          invalidates=True)
    return document


# What to do about each missing part of the notice, in the words of the buyer desk.
NOTICE_FIELD_PROBLEMS = {
    "title": _("Give the call a title."),
    "challenge": _("Describe the challenge the city wants solved."),
    "procedure": _("Choose the procedure."),
    "cpv_codes": _("Add at least one CPV code."),
    "nuts_region": _("Choose the NUTS region of the call."),
    "estimated_value": _("Give the estimated value of the call."),
    "currency": _("Choose the currency."),
    "clarification_deadline": _("Set the deadline for clarification questions."),
    "submission_deadline": _("Set the submission deadline."),
}


def _publish_problems(call: Call, now) -> dict:
    """Every reason the call cannot be published yet, as sentences keyed by field."""
    problems = {}
    for name in NOTICE_FIELDS:
        if getattr(call, name) in (None, "", []):
            problems[name] = [NOTICE_FIELD_PROBLEMS[name]]
    if call.buyer.helix != Helix.PUBLIC:
        problems["buyer"] = [_("The buyer must be a public authority.")]
    criteria = list(call.criteria.all())
    weights = sum(c.weight for c in criteria)
    if not criteria:
        problems["criteria"] = [_("Add the award criteria; their weights must add up to "
                                  "100 %.")]
    elif weights != 100:
        problems["criteria"] = [_("The criteria weights add up to %(sum)s %%; they must add up "
                                  "to 100 %%.") % {"sum": weights}]
    if call.clarification_deadline and call.submission_deadline:
        if call.clarification_deadline >= call.submission_deadline:
            problems["clarification_deadline"] = [
                _("The clarification deadline must come before the submission deadline.")]
        if call.submission_deadline <= now:
            problems["submission_deadline"] = [_("The submission deadline is in the past.")]
        elif call.clarification_deadline <= now:
            problems["clarification_deadline"] = [_("The clarification deadline is in the past.")]
    return problems


@transaction.atomic
def call_publish(*, call: Call, actor, now=None) -> Call:
    _require_manager(actor, call)
    now = _now(now)
    call = _lock_call(call)
    if call.status != Call.Status.DRAFT:
        raise InvalidTransition(_("Only a draft call can be published."))
    problems = _publish_problems(call, now)
    if problems:
        sentences = " ".join(str(text) for texts in problems.values() for text in texts)
        raise InvalidInput(_("The call cannot be published yet. %(problems)s")
                           % {"problems": sentences},
                           code="not_publishable", fields=problems)
    call.status = Call.Status.PUBLISHED
    call.publication_date = now
    _full_clean(call)
    call.save(update_fields=["status", "publication_date", "updated_at"])
    audit(actor=actor, action="procurement.call.published", target=call)
    publish_release(call=call, tags=["tender"], now=now)
    search_index.refresh(call)
    organisation_news_notify(organisation=call.buyer, actor=actor, kind="call", title=call.title,
                             url=call.get_absolute_url(), key=f"call-{call.pk}")
    matching.queue_target_published(kind="call", target_id=call.pk)
    return call


def call_reach(*, call: Call, actor) -> list[tuple[Organisation, float]]:
    """The organisations the call reaches (a preview while it is a draft), best first."""
    _require_manager(actor, call)
    if call.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED):
        return []
    reach = matching.target_reach(kind="call", target_id=call.pk,
                                  live=call.status == Call.Status.PUBLISHED)
    names = Organisation.objects.in_bulk([org for org, _s, _r in reach])
    return [(names[org], score) for org, score, _reasons in reach if org in names]


@transaction.atomic
def call_invite_matches(*, call: Call, actor) -> int:
    """Invite the members of the organisations the published call reaches (once each)."""
    _require_manager(actor, call)
    if not call.is_open_for_applications():
        raise InvalidTransition(_("Only a call open for applications can invite organisations."))
    invited = matching.target_invite(kind="call", target_id=call.pk, actor=actor)
    audit(actor=actor, action="procurement.call.invited", target=call,
          changes={"people": invited})
    return invited


def _record_amendment(*, call, actor, now, changes, rationale, invalidates) -> Amendment:
    amendment = Amendment.objects.create(call=call, rationale=rationale, changes=changes,
                                         invalidates_submissions=invalidates,
                                         created_by=actor, created_at=now)
    invalidated = []
    if invalidates:
        submitted = list(call.applications.select_for_update().filter(
            status=Application.Status.SUBMITTED))
        for application in submitted:
            application.status = Application.Status.NEEDS_CONFIRMATION
            application.save(update_fields=["status", "updated_at"])
            audit(actor=actor, action="procurement.application.needs_confirmation",
                  target=application, changes={"amendment": amendment.pk})
            invalidated.append(application)
    audit(actor=actor, action="procurement.call.amended", target=call,
          changes={"fields": changes, "invalidates_submissions": invalidates})
    publish_release(call=call, tags=["tenderAmendment"], now=now)
    context = {"rationale": rationale, "invalidates": invalidates, "call_title": call.title}
    key = f"procurement.amendment.{amendment.pk}"
    notify(kind="procurement.call_amended", target=call, context=context, actor=actor,
           dedupe_key=key)
    notify(kind="procurement.call_amended", target=call, recipients=_applicant_users(call),
           context=context, actor=actor, dedupe_key=key)
    if invalidated:
        notify(kind="procurement.application_needs_confirmation", target=call,
               recipients=_members(a.organisation_id for a in invalidated),
               context={"call_title": call.title, "rationale": rationale},
               dedupe_key=f"procurement.invalidated.{amendment.pk}")
    return amendment


@transaction.atomic
def call_amend(*, call: Call, actor, rationale: str, invalidates: bool | None = None,
               themes=None, now=None, **fields) -> Amendment:
    """Change a published call before its submission deadline. A change of what is asked
    (``Call.SUBSTANTIVE_FIELDS``) sends submitted applications back to their applicants."""
    _require_manager(actor, call)
    now = _now(now)
    call = _lock_call(call)
    if call.status != Call.Status.PUBLISHED:
        raise InvalidTransition(_("Only a published call can be amended."))
    if not call.is_open_for_applications(now):
        raise DeadlinePassed(_("The submission deadline has passed: the call cannot be amended."))
    if not rationale.strip():
        raise InvalidInput(_("Say what changed and why."), fields={"rationale": [_("Required.")]})
    unknown = set(fields) - set(AMENDABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be amended: %(f)s") % {"f": ", ".join(unknown)})
    changes = {}
    for name, value in fields.items():
        old = getattr(call, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(call, name, value)
    if themes is not None:
        call.themes.set(themes)
        changes["themes"] = sorted(theme.slug for theme in themes)
    if not changes:
        raise InvalidInput(_("Nothing changed."), code="no_change")
    problems = {k: v for k, v in _publish_problems(call, now).items() if k in changes}
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], fields=problems)
    _full_clean(call)
    call.save()
    if invalidates is None:
        invalidates = bool(set(changes) & set(Call.SUBSTANTIVE_FIELDS))
    search_index.refresh(call)
    return _record_amendment(call=call, actor=actor, now=now, changes=changes,
                             rationale=rationale.strip(), invalidates=invalidates)


def _close(call: Call, *, actor, now) -> Call:
    """Lock-held close of submissions: evaluation, or unsuccessful with nothing submitted."""
    submitted = call.applications.filter(status=Application.Status.SUBMITTED).count()
    call.closed_at = now
    if submitted == 0:
        call.status = Call.Status.UNSUCCESSFUL
        call.ended_at = now
        call.save(update_fields=["status", "closed_at", "ended_at", "updated_at"])
        audit(actor=actor, action="procurement.call.unsuccessful", target=call,
              changes={"reason": "no application submitted"})
        publish_release(call=call, tags=["tenderUpdate"], now=now)
        notify(kind="procurement.call_cancelled", target=call, actor=actor,
               context={"call_title": call.title, "reason": _("No application was submitted."),
                        "unsuccessful": True},
               dedupe_key=f"procurement.ended.{call.pk}")
        return call
    call.status = Call.Status.EVALUATION
    call.save(update_fields=["status", "closed_at", "updated_at"])
    audit(actor=actor, action="procurement.call.closed", target=call,
          changes={"submitted": submitted})
    publish_release(call=call, tags=["tenderUpdate"], now=now)
    return call


@transaction.atomic
def call_close_submissions(*, call: Call, actor=None, now=None) -> Call:
    """At the submission deadline (beat, or on demand). Idempotent."""
    now = _now(now)
    call = _lock_call(call)
    if call.status != Call.Status.PUBLISHED:
        return call
    if call.submission_deadline is None or now < call.submission_deadline:
        raise InvalidTransition(_("Submissions close only at the submission deadline."))
    search_index.refresh(call)
    return _close(call, actor=actor, now=now)


def _evaluation_call(call: Call, now) -> Call:
    """Lock the call and make sure it is in evaluation, closing it first if due."""
    call = _lock_call(call)
    if call.status == Call.Status.PUBLISHED and call.submissions_closed(now):
        _close(call, actor=None, now=now)
    if call.status != Call.Status.EVALUATION:
        raise InvalidTransition(_("The call is not under evaluation."))
    return call


def _end(*, call, actor, reason, status, now, tags, action) -> Call:
    _require_manager(actor, call)
    call = _lock_call(call)
    if call.status not in Call.OPEN_STATES:
        raise InvalidTransition(_("This call has already ended."))
    if not (reason or "").strip():
        raise InvalidInput(_("Give the public reason."), fields={"reason": [_("Required.")]})
    was_draft = call.status == Call.Status.DRAFT
    call.status = status
    call.ended_at = now
    call.cancellation_reason = reason.strip()
    _full_clean(call)
    call.save(update_fields=["status", "ended_at", "cancellation_reason", "updated_at"])
    call.applications.filter(outcome=Application.Outcome.PENDING,
                             status=Application.Status.SUBMITTED).update(
        outcome=Application.Outcome.UNSUCCESSFUL)
    audit(actor=actor, action=action, target=call, changes={"reason": call.cancellation_reason})
    if not was_draft:
        publish_release(call=call, tags=tags, now=now)
        context = {"call_title": call.title, "reason": call.cancellation_reason,
                   "unsuccessful": status == Call.Status.UNSUCCESSFUL}
        key = f"procurement.ended.{call.pk}"
        notify(kind="procurement.call_cancelled", target=call, context=context, actor=actor,
               dedupe_key=key)
        notify(kind="procurement.call_cancelled", target=call, recipients=_applicant_users(call),
               context=context, actor=actor, dedupe_key=key)
    return call


@transaction.atomic
def call_cancel(*, call: Call, actor, reason: str, now=None) -> Call:
    search_index.refresh(call)
    return _end(call=call, actor=actor, reason=reason, status=Call.Status.CANCELLED,
                now=_now(now), tags=["tenderCancellation"], action="procurement.call.cancelled")


@transaction.atomic
def call_mark_unsuccessful(*, call: Call, actor, reason: str, now=None) -> Call:
    search_index.refresh(call)
    return _end(call=call, actor=actor, reason=reason, status=Call.Status.UNSUCCESSFUL,
                now=_now(now), tags=["tenderUpdate"], action="procurement.call.unsuccessful")


# Clarifications ---------------------------------------------------------------------------

@transaction.atomic
def question_ask(*, call: Call, actor, organisation: Organisation, text: str, now=None) -> Question:
    now = _now(now)
    if not permissions.is_member_of(actor, organisation):
        raise NotAllowed(_("Ask on behalf of an organisation you belong to."))
    if organisation.pk == call.buyer_id:
        raise NotAllowed(_("The buyer does not ask itself questions."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.is_open_for_questions(now):
        raise DeadlinePassed(_("The clarification deadline has passed."))
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write your question."), fields={"text": [_("Required.")]})
    question = Question(call=call, organisation=organisation, asked_by=actor, text=text,
                        asked_at=now)
    _full_clean(question)
    question.save()
    audit(actor=actor, action="procurement.question.asked", target=question)
    follow(user=actor, target=call)
    return question


@transaction.atomic
def question_answer(*, question: Question, actor, answer: str, now=None) -> Question:
    """Publish the answer to everyone (without the asker) until the submission deadline."""
    now = _now(now)
    _require_manager(actor, question.call)
    call = _lock_call(question.call)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not call.is_open_for_applications(now):
        raise DeadlinePassed(_("The submission deadline has passed: answers are closed."))
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(_("Write the answer."), fields={"answer": [_("Required.")]})
    first = question.answered_at is None
    question.answer, question.answered_by, question.answered_at = answer, actor, now
    _full_clean(question)
    question.save()
    audit(actor=actor, action="procurement.question.answered", target=question,
          changes={"first_answer": first})
    publish_release(call=call, tags=["tenderUpdate"], now=now)
    notify(kind="procurement.question_answered", target=call, actor=actor,
           context={"call_title": call.title, "question": question.text, "answer": answer},
           dedupe_key=f"procurement.answer.{question.pk}.{now.timestamp()}")
    return question


# Applications -----------------------------------------------------------------------------

def _lock_application(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.call = Call.objects.select_related("buyer").get(pk=application.call_id)
    return application


def _require_open(call: Call, now) -> None:
    if call.status != Call.Status.PUBLISHED:
        raise InvalidTransition(_("The call is not open for applications."))
    if not call.is_open_for_applications(now):
        raise DeadlinePassed(_("The submission deadline has passed: nothing can change now."))


def _require_applicant(actor, application: Application) -> None:
    if not permissions.is_member_of(actor, application.organisation):
        raise NotAllowed(_("Only members of the applying organisation can do this."))


def _require_editable(application: Application, now) -> None:
    _require_open(application.call, now)
    if application.status == Application.Status.SUBMITTED:
        raise InvalidTransition(_("Withdraw the submitted application to change it."),
                                code="submitted")


@transaction.atomic
def application_create(*, call: Call, organisation: Organisation, actor, now=None) -> Application:
    now = _now(now)
    if not permissions.is_member_of(actor, organisation):
        raise NotAllowed(_("Apply on behalf of an organisation you belong to."))
    if organisation.pk == call.buyer_id:
        raise NotAllowed(_("The buyer cannot apply to its own call."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _require_open(call, now)
    if Application.objects.filter(call=call, organisation=organisation).exists():
        raise Conflict(_("Your organisation already has an application for this call."),
                       code="already_applied")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, organisation=organisation, created_by=actor, created_at=now)
    except IntegrityError:
        raise Conflict(_("Your organisation already has an application for this call."),
                       code="already_applied") from None
    audit(actor=actor, action="procurement.application.created", target=application)
    follow(user=actor, target=call)
    return application


def _clean_answers(call: Call, answers: dict) -> dict:
    valid = {str(pk) for pk in call.criteria.values_list("pk", flat=True)}
    cleaned = {}
    for key, text in (answers or {}).items():
        key = str(key)
        if key not in valid:
            raise InvalidInput(_("Unknown award criterion %(key)s.") % {"key": key},
                               fields={"answers": [_("Unknown criterion.")]})
        if not isinstance(text, str) or len(text) > 20000:
            raise InvalidInput(_("Each answer is a text of at most 20,000 characters."),
                               fields={"answers": [_("Too long or not text.")]})
        cleaned[key] = text.strip()
    return cleaned


@transaction.atomic
def application_update(*, application: Application, actor, answers: dict | None = None,
                       lots=None, now=None) -> Application:
    now = _now(now)
    _require_applicant(actor, application)
    application = _lock_application(application)
    _require_editable(application, now)
    changes = {}
    if answers is not None:
        merged = {**application.answers, **_clean_answers(application.call, answers)}
        changes["answers"] = sorted(k for k in merged if merged[k] != application.answers.get(k))
        application.answers = merged
    application.save()
    if lots is not None:
        lots = list(lots)
        if any(lot.call_id != application.call_id for lot in lots):
            raise InvalidInput(_("A lot of another call."), fields={"lots": [_("Invalid lot.")]})
        application.lots.set(lots)
        changes["lots"] = sorted(lot.number for lot in lots)
    audit(actor=actor, action="procurement.application.updated", target=application,
          changes=changes)
    return application


@transaction.atomic
def application_document_add(*, application: Application, actor, upload, now=None
                             ) -> ApplicationDocument:
    now = _now(now)
    _require_applicant(actor, application)
    application = _lock_application(application)
    _require_editable(application, now)
    if application.documents.count() >= MAX_DOCUMENTS:
        raise InvalidInput(_("At most %(n)s documents per application.") % {"n": MAX_DOCUMENTS})
    sniffed = sniff(upload)
    name = os.path.basename(getattr(upload, "name", "") or "document")[:200]
    document = ApplicationDocument(
        application=application, original_name=name, content_type=sniffed.content_type,
        size=sniffed.size, sha256=sniffed.sha256, uploaded_by=actor, uploaded_at=now)
    document.file.save(f"{uuid.uuid4().hex}.{sniffed.extension}", File(upload), save=False)
    try:
        _full_clean(document, exclude=["file"])
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    audit(actor=actor, action="procurement.application_document.added", target=application,
          changes={"name": name, "sha256": sniffed.sha256, "size": sniffed.size})
    return document


@transaction.atomic
def application_document_delete(*, document: ApplicationDocument, actor, now=None) -> None:
    now = _now(now)
    application = document.application
    _require_applicant(actor, application)
    application = _lock_application(application)
    _require_editable(application, now)
    audit(actor=actor, action="procurement.application_document.deleted", target=application,
          changes={"name": document.original_name, "sha256": document.sha256})
    file = document.file
    document.delete()
    transaction.on_commit(lambda: file.delete(save=False))


def is_sme(organisation: Organisation) -> bool:
    return (organisation.kind in (OrganisationKind.SME, OrganisationKind.STARTUP)
            and organisation.size != Size.LARGE)


def eligibility_problems(*, call: Call, organisation: Organisation) -> list[str]:
    problems = []
    if call.smes_only and not is_sme(organisation):
        problems.append(_("This call is open to SMEs only."))
    if call.allowed_helices and organisation.helix not in call.allowed_helices:
        problems.append(_("Organisations of your helix are not eligible for this call."))
    if call.allowed_countries and organisation.country not in call.allowed_countries:
        problems.append(_("Organisations from your country are not eligible for this call."))
    if organisation.pk == call.buyer_id:
        problems.append(_("The buyer cannot apply to its own call."))
    return problems


def receipt_content(application: Application, submitted_at) -> bytes:
    """The canonical submitted content whose SHA-256 is the receipt."""
    criteria = list(application.call.criteria.order_by("position", "pk"))
    content = {
        "ocid": application.call.ocid,
        "call": application.call_id,
        "organisation": application.organisation_id,
        "submitted_at": submitted_at.isoformat(),
        "answers": [[c.pk, application.answers.get(str(c.pk), "")] for c in criteria],
        "lots": sorted(application.lots.values_list("number", flat=True)),
        "documents": sorted(
            [d.sha256, d.size, d.original_name]
            for d in application.documents.all()
        ),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def receipt_hash(application: Application, submitted_at) -> str:
    return hashlib.sha256(receipt_content(application, submitted_at)).hexdigest()


@transaction.atomic
def application_submit(*, application: Application, actor, now=None) -> Application:
    now = _now(now)
    _require_applicant(actor, application)
    application = _lock_application(application)
    call = application.call
    _require_open(call, now)
    if application.status == Application.Status.SUBMITTED:
        raise InvalidTransition(_("This application has already been submitted."),
                                code="already_submitted")
    problems = eligibility_problems(call=call, organisation=application.organisation)
    if problems:
        raise InvalidInput(problems[0], code="not_eligible", fields={"organisation": problems})
    missing = [c.name for c in call.criteria.all()
               if not application.answers.get(str(c.pk), "").strip()]
    if missing:
        raise InvalidInput(_("Answer every award criterion: %(names)s.")
                           % {"names": ", ".join(missing)}, code="incomplete",
                           fields={"answers": missing})
    if call.lots.exists() and not application.lots.exists():
        raise InvalidInput(_("Choose at least one lot."), code="incomplete",
                           fields={"lots": [_("Required.")]})
    previous = application.status
    application.status = Application.Status.SUBMITTED
    application.submitted_at, application.submitted_by = now, actor
    application.withdrawn_at = None
    application.receipt_sha256 = receipt_hash(application, now)
    application.save()
    audit(actor=actor, action="procurement.application.submitted", target=application,
          changes={"receipt_sha256": application.receipt_sha256, "from": previous})
    notify(kind="procurement.application_submitted", target=application,
           recipients=_members([application.organisation_id]),
           context={"call_title": call.title, "receipt": application.receipt_sha256,
                    "submitted_at": now.isoformat()},
           dedupe_key=f"procurement.receipt.{application.receipt_sha256}")
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor, now=None) -> Application:
    now = _now(now)
    _require_applicant(actor, application)
    application = _lock_application(application)
    _require_open(application.call, now)
    if application.status not in (Application.Status.SUBMITTED,
                                  Application.Status.NEEDS_CONFIRMATION):
        raise InvalidTransition(_("Only a submitted application can be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = now
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit(actor=actor, action="procurement.application.withdrawn", target=application)
    return application


# Evaluation -------------------------------------------------------------------------------

@transaction.atomic
def evaluator_assign(*, call: Call, actor, evaluator, is_chair: bool = False) -> EvaluatorAssignment:
    _require_manager(actor, call)
    call = _lock_call(call)
    if call.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED, Call.Status.EVALUATION):
        raise InvalidTransition(_("Evaluators can be assigned only before the award."))
    if not evaluator.is_active:
        raise InvalidInput(_("This account is not active."))
    if call.evaluators.filter(evaluator=evaluator).exists():
        raise Conflict(_("This person is already an evaluator of the call."))
    if is_chair and call.evaluators.filter(is_chair=True).exists():
        raise Conflict(_("The call already has a chair."))
    assignment = EvaluatorAssignment.objects.create(call=call, evaluator=evaluator,
                                                    is_chair=is_chair, assigned_by=actor)
    audit(actor=actor, action="procurement.evaluator.assigned", target=call,
          changes={"evaluator": evaluator.pk, "chair": is_chair})
    notify(kind="procurement.evaluator_assigned", target=call, recipients=[evaluator],
           actor=actor, context={"call_title": call.title, "chair": is_chair},
           dedupe_key=f"procurement.assigned.{assignment.pk}")
    return assignment


@transaction.atomic
def evaluator_unassign(*, assignment: EvaluatorAssignment, actor) -> None:
    _require_manager(actor, assignment.call)
    call = _lock_call(assignment.call)
    if call.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED, Call.Status.EVALUATION):
        raise InvalidTransition(_("Evaluators can be changed only before the award."))
    if assignment.scoresheets.exists() or assignment.declarations.exists():
        raise InvalidTransition(_("This evaluator has started; their work stays on record."))
    audit(actor=actor, action="procurement.evaluator.unassigned", target=call,
          changes={"evaluator": assignment.evaluator_id})
    assignment.delete()


@transaction.atomic
def conflict_declare(*, application: Application, actor, has_conflict: bool, note: str = "",
                     now=None) -> ConflictDeclaration:
    """Before seeing an application the evaluator declares (no) conflict. Final; a member of
    the applicant organisation always has a conflict."""
    now = _now(now)
    call = _evaluation_call(application.call, now)
    assignment = EvaluatorAssignment.objects.filter(call=call, evaluator=actor).first()
    if assignment is None:
        raise NotAllowed(_("You are not an evaluator of this call."))
    application = Application.objects.get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise InvalidTransition(_("Only submitted applications are evaluated."))
    if ConflictDeclaration.objects.filter(assignment=assignment, application=application).exists():
        raise Conflict(_("You have already declared for this application."), code="declared")
    if not has_conflict and permissions.is_member_of(actor, application.organisation):
        raise InvalidInput(_("You belong to this applicant: you have a conflict of interest."),
                           code="member_of_applicant")
    declaration = ConflictDeclaration.objects.create(
        assignment=assignment, application=application, has_conflict=has_conflict,
        note=(note or "").strip(), declared_at=now)
    audit(actor=actor, action="procurement.conflict.declared", target=application,
          changes={"evaluator": actor.pk, "has_conflict": has_conflict})
    return declaration


def _score_value(raw) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("A score is a number from 0 to 10."),
                           fields={"scores": [_("Not a number.")]}) from None
    if not value.is_finite() or value < 0 or value > Score.MAX or value != value.quantize(Decimal("0.1")):
        raise InvalidInput(_("A score is a number from 0 to 10 (one decimal)."),
                           fields={"scores": [_("Out of range.")]})
    return value


@transaction.atomic
def scoresheet_save(*, application: Application, actor, scores: dict, comment: str | None = None,
                    now=None) -> Scoresheet:
    """Create or change the evaluator's scoresheet. ``scores``: {criterion_id: (value,
    justification)}. Every change of a score is audited with its old and new value."""
    now = _now(now)
    call = _evaluation_call(application.call, now)
    assignment = EvaluatorAssignment.objects.filter(call=call, evaluator=actor).first()
    if assignment is None:
        raise NotAllowed(_("You are not an evaluator of this call."))
    if not ConflictDeclaration.objects.filter(assignment=assignment, application=application,
                                              has_conflict=False).exists():
        raise NotAllowed(_("Declare that you have no conflict of interest first."),
                         code="declare_first")
    sheet, _created = Scoresheet.objects.select_for_update().get_or_create(
        assignment=assignment, application=application, defaults={"created_at": now})
    if sheet.is_locked:
        raise InvalidTransition(_("This scoresheet is submitted and locked."), code="locked")
    criteria = {c.pk: c for c in call.criteria.all()}
    existing = {s.criterion_id: s for s in sheet.scores.all()}
    changes = {}
    for key, item in (scores or {}).items():
        try:
            criterion = criteria[int(key)]
        except (KeyError, ValueError, TypeError):
            raise InvalidInput(_("Unknown award criterion."),
                               fields={"scores": [_("Unknown criterion.")]}) from None
        raw_value, justification = item
        value = _score_value(raw_value)
        justification = (justification or "").strip()
        if not justification:
            raise InvalidInput(_("Justify every score."),
                               fields={"scores": [_("Justification required for %(c)s.")
                                                  % {"c": criterion.name}]})
        score = existing.get(criterion.pk)
        if score is None:
            Score.objects.create(scoresheet=sheet, criterion=criterion, value=value,
                                 justification=justification)
            changes[str(criterion.pk)] = [None, str(value)]
        elif score.value != value or score.justification != justification:
            changes[str(criterion.pk)] = [str(score.value), str(value)]
            score.value, score.justification = value, justification
            score.save(update_fields=["value", "justification"])
    if comment is not None:
        sheet.comment = comment.strip()
        sheet.save(update_fields=["comment"])
    if changes:
        audit(actor=actor, action="procurement.score.changed", target=sheet, changes=changes)
    return sheet


@transaction.atomic
def scoresheet_submit(*, scoresheet: Scoresheet, actor, now=None) -> Scoresheet:
    now = _now(now)
    if scoresheet.assignment.evaluator_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Only the evaluator submits their scoresheet."))
    _evaluation_call(scoresheet.application.call, now)
    sheet = Scoresheet.objects.select_for_update().get(pk=scoresheet.pk)
    if sheet.is_locked:
        raise InvalidTransition(_("This scoresheet is already submitted."), code="locked")
    criteria = set(sheet.application.call.criteria.values_list("pk", flat=True))
    scored = set(sheet.scores.values_list("criterion_id", flat=True))
    if criteria - scored:
        raise InvalidInput(_("Score every criterion before submitting."), code="incomplete")
    sheet.submitted_at = now
    sheet.save(update_fields=["submitted_at"])
    audit(actor=actor, action="procurement.scoresheet.submitted", target=sheet)
    return sheet


# Award and contract -----------------------------------------------------------------------

@transaction.atomic
def call_award(*, call: Call, actor, winners, reasons: str, now=None) -> AwardDecision:
    """The chair (or a procurement officer) records the decision with reasons; every applicant
    is told the outcome with their own scores; the standstill period starts."""
    from .selectors import evaluation_results

    now = _now(now)
    if not permissions.can_award(actor, call):
        raise NotAllowed(_("Only the chair or the buyer's procurement officers decide the award."))
    call = _evaluation_call(call, now)
    winners = list(winners)
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(_("Give the reasons for the decision."),
                           fields={"reasons": [_("Required.")]})
    if not winners:
        raise InvalidInput(_("Choose at least one successful application."),
                           fields={"winners": [_("Required.")]})
    submitted = {a.pk: a for a in call.applications.filter(status=Application.Status.SUBMITTED)
                 .select_related("organisation")}
    if any(w.pk not in submitted for w in winners):
        raise InvalidInput(_("Only submitted applications of this call can win."),
                           fields={"winners": [_("Invalid application.")]})
    if Scoresheet.objects.filter(application__call=call, submitted_at__isnull=True).exists():
        raise InvalidTransition(_("Some scoresheets are not submitted yet."), code="scoring_open")
    results = evaluation_results(call=call)
    unscored = [row["application"] for row in results if row["sheets"] == 0]
    if unscored:
        raise InvalidTransition(_("Every application needs at least one submitted scoresheet."),
                                code="not_scored")
    decision = AwardDecision.objects.create(call=call, chair=actor, reasons=reasons,
                                            decided_at=now)
    decision.winners.set(winners)
    winner_ids = {w.pk for w in winners}
    for application in submitted.values():
        application.outcome = (Application.Outcome.SUCCESSFUL if application.pk in winner_ids
                               else Application.Outcome.UNSUCCESSFUL)
        application.save(update_fields=["outcome", "updated_at"])
    call.status, call.awarded_at = Call.Status.AWARDED, now
    call.save(update_fields=["status", "awarded_at", "updated_at"])
    audit(actor=actor, action="procurement.call.awarded", target=call,
          changes={"winners": sorted(winner_ids), "reasons": reasons})
    publish_release(call=call, tags=["award"], now=now)
    for row in results:
        application = row["application"]
        notify(
            kind="procurement.call_result", target=call,
            recipients=_members([application.organisation_id]),
            context={
                "call_title": call.title,
                "successful": application.pk in winner_ids,
                "total": str(row["total"]),
                "rank": row["rank"],
                "criteria": [[name, str(value)] for name, value in row["criteria_named"]],
                "reasons": reasons,
                "standstill_ends": call.standstill_ends_at.isoformat(),
            },
            dedupe_key=f"procurement.result.{call.pk}.{application.pk}",
        )
    search_index.refresh(call)
    return decision


@transaction.atomic
def contract_record(*, call: Call, actor, application: Application, title: str, value,
                    start_date, end_date, signed_at=None, now=None) -> Contract:
    """Record the signed contract with a successful applicant, after the standstill period.
    When every successful applicant has one the call is completed."""
    _require_manager(actor, call)
    now = _now(now)
    call = _lock_call(call)
    if call.status != Call.Status.AWARDED:
        raise InvalidTransition(_("A contract follows the award."))
    if now < call.standstill_ends_at:
        raise InvalidTransition(_("The standstill period runs until %(date)s.")
                                % {"date": moment(timezone.localtime(call.standstill_ends_at))},
                                code="standstill")
    decision = call.award_decision
    winner_ids = set(decision.winners.values_list("pk", flat=True))
    if application.pk not in winner_ids:
        raise InvalidInput(_("The contract is signed with a successful applicant."),
                           fields={"application": [_("Not a successful application.")]})
    if call.contracts.filter(application=application).exists():
        raise Conflict(_("This contract is already recorded."))
    contract = Contract(call=call, application=application, supplier=application.organisation,
                        title=title, value=value, currency=call.currency, start_date=start_date,
                        end_date=end_date, signed_at=signed_at or now, recorded_by=actor)
    _full_clean(contract)
    contract.save()
    audit(actor=actor, action="procurement.contract.recorded", target=call,
          changes={"supplier": application.organisation_id, "value": str(contract.value)})
    if set(call.contracts.values_list("application_id", flat=True)) >= winner_ids:
        call.status, call.completed_at = Call.Status.COMPLETED, now
        call.save(update_fields=["status", "completed_at", "updated_at"])
        audit(actor=actor, action="procurement.call.completed", target=call)
    publish_release(call=call, tags=["contract"], now=now)
    return contract


def close_due_calls(*, now=None) -> int:
    """Beat: move every published call past its submission deadline to evaluation."""
    now = _now(now)
    closed = 0
    for pk in Call.objects.filter(status=Call.Status.PUBLISHED,
                                  submission_deadline__lte=now).values_list("pk", flat=True):
        call_close_submissions(call=Call(pk=pk), now=now)
        closed += 1
    return closed

