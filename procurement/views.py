"""Pages. Each view fetches through a permission QuerySet (missing permission: 404), then calls
one service; a DomainError becomes an error message."""

import mimetypes

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.errors import DomainError, InvalidInput
from ecosystem.notifications.services import follow, is_following, unfollow
from ecosystem.pagination import capped_page

from . import permissions, selectors, services
from .filters import CallFilter
from .forms import (
    AmendForm,
    AnswerForm,
    ApplicationForm,
    ApplyForm,
    AssignEvaluatorForm,
    AwardForm,
    CallDocumentForm,
    CallForm,
    ContractForm,
    CriterionForm,
    DeclarationForm,
    EndForm,
    LotForm,
    QuestionForm,
    ScoresheetForm,
    UploadForm,
)
from .models import Application, Call, ConflictDeclaration, Criterion, Scoresheet

PAGE_SIZE = 20


def _fail(request, error: DomainError, form=None):
    messages.error(request, str(error.message))
    if form is not None:
        for name, errors in error.fields.items():
            target = name if name in form.fields else None
            for message in errors if isinstance(errors, list) else [errors]:
                form.add_error(target, str(message))


def _call_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("buyer", None)
    data.pop("rationale", None)
    data.pop("themes", None)
    data["nuts_region"] = (data.get("nuts_region") or "").upper()
    return data


def _serve(file_field, name: str, content_type: str):
    try:
        handle = file_field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Public pages -----------------------------------------------------------------------------

def call_list(request):
    filterset = CallFilter(request.GET, queryset=selectors.call_list(viewer=request.user))
    page = capped_page(filterset.qs, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "procurement/call_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "can_create": permissions.buyers_for(request.user).exists(),
    })


def call_detail(request, slug):
    call = get_object_or_404(selectors.call_detail_queryset(viewer=request.user), slug=slug)
    user = request.user
    now = timezone.now()
    manager = permissions.can_manage_call(user, call)
    context = {
        "call": call,
        "now": now,
        "effective_status": call.effective_status(now),
        "questions": selectors.public_questions(call=call),
        "can_manage": manager,
        "is_buyer_staff": permissions.is_buyer_staff(user, call),
        "following": is_following(user=user, target=call),
        "decision": getattr(call, "award_decision", None)
        if call.status in (Call.Status.AWARDED, Call.Status.COMPLETED) else None,
        "contracts": call.contracts.select_related("supplier")
        if call.status in (Call.Status.AWARDED, Call.Status.COMPLETED) else [],
        "follow_include": _follow_include(),
    }
    if user.is_authenticated:
        organisations = permissions.applicant_organisations(user).exclude(pk=call.buyer_id)
        context["my_applications"] = permissions.applications_of_applicant(user).filter(
            call=call).select_related("organisation")
        applied = context["my_applications"].values_list("organisation_id", flat=True)
        if call.is_open_for_applications(now):
            remaining = organisations.exclude(pk__in=applied)
            if remaining.exists():
                context["apply_form"] = ApplyForm(organisations=remaining)
        context["my_pending_questions"] = selectors.pending_questions_of(
            call=call, user=user, organisations=organisations)
        if call.is_open_for_questions(now) and organisations.exists():
            context["question_form"] = QuestionForm(organisations=organisations)
        context["assignment"] = permissions.assignment_of(user, call)
    if context["decision"] is not None:
        context["winners"] = context["decision"].winners.select_related("organisation")
        context["pilots"] = selectors.pilots_for_call(call=call)
    return render(request, "procurement/call_detail.html", context)


def _follow_include() -> str | None:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("notifications/includes/follow_button.html")
    except TemplateDoesNotExist:
        return None
    return "notifications/includes/follow_button.html"


def call_document(request, slug, pk):
    call = get_object_or_404(permissions.calls_visible_to(request.user), slug=slug)
    document = get_object_or_404(call.documents, pk=pk)
    extension = mimetypes.guess_extension(document.content_type) or ""
    return _serve(document.file, f"{call.slug}-{document.pk}{extension}", document.content_type)


@login_required
@require_POST
def call_follow(request, slug):
    call = get_object_or_404(permissions.calls_visible_to(request.user), slug=slug)
    if is_following(user=request.user, target=call):
        unfollow(user=request.user, target=call)
        messages.success(request, _("You no longer follow this call."))
    else:
        follow(user=request.user, target=call)
        messages.success(request, _("You follow this call: you will hear about answers and "
                                    "amendments."))
    return redirect(call)


@login_required
@require_POST
def question_ask(request, slug):
    call = get_object_or_404(permissions.calls_visible_to(request.user), slug=slug)
    form = QuestionForm(request.POST, organisations=permissions.applicant_organisations(request.user))
    if form.is_valid():
        try:
            services.question_ask(call=call, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your question was sent. The answer will be published "
                                        "here for everyone, without your name."))
        except DomainError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Write your question and choose your organisation."))
    return redirect(call.get_absolute_url() + "#questions")


# Buyer pages ------------------------------------------------------------------------------

@login_required
def call_create(request):
    buyers = permissions.buyers_for(request.user)
    if not buyers.exists():
        raise Http404
    form = CallForm(request.POST or None, buyers=buyers)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, buyer=form.cleaned_data["buyer"],
                                        themes=form.cleaned_data["themes"], **_call_fields(form))
        except DomainError as error:
            _fail(request, error, form)
        else:
            messages.success(request, _("Draft saved. Add the award criteria, then publish."))
            return redirect("procurement:call-manage", slug=call.slug)
    return render(request, "procurement/call_form.html", {"form": form, "call": None})


@login_required
def call_edit(request, slug):
    call = get_object_or_404(permissions.calls_managed_by(request.user), slug=slug)
    if call.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED):
        messages.error(request, _("This call can no longer be changed."))
        return redirect("procurement:call-manage", slug=call.slug)
    amend = call.status == Call.Status.PUBLISHED
    initial = {name: getattr(call, name) for name in services.CALL_FIELDS}
    initial["themes"] = list(call.themes.all())
    form_class = AmendForm if amend else CallForm
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _call_fields(form)
        themes = form.cleaned_data["themes"]
        try:
            if amend:
                fields.pop("publication_date", None)
                changed = {k: v for k, v in fields.items() if getattr(call, k) != v}
                if set(themes) == set(call.themes.all()):
                    themes = None
                amendment = services.call_amend(call=call, actor=request.user,
                                                rationale=form.cleaned_data["rationale"],
                                                themes=themes, **changed)
                if amendment.invalidates_submissions:
                    messages.warning(request, _("Amendment published. Submitted applications "
                                                "must now be confirmed again by their applicants."))
                else:
                    messages.success(request, _("Amendment published."))
            else:
                services.call_update(call=call, actor=request.user, themes=themes, **fields)
                messages.success(request, _("Draft saved."))
        except DomainError as error:
            _fail(request, error, form)
        else:
            return redirect("procurement:call-manage", slug=call.slug)
    return render(request, "procurement/call_form.html", {"form": form, "call": call,
                                                          "amend": amend})


@login_required
def call_manage(request, slug):
    """The buyer's desk: criteria, lots, documents, questions, evaluators, ranking, award."""
    call = get_object_or_404(permissions.calls_of_buyer_staff(request.user).select_related("buyer"),
                             slug=slug)
    now = timezone.now()
    manager = permissions.can_manage_call(request.user, call)
    unsealed = call.submissions_closed(now)
    context = {
        "call": call,
        "effective_status": call.effective_status(now),
        "can_manage": manager,
        "criteria": call.criteria.all(),
        "weights": sum(c.weight for c in call.criteria.all()),
        "lots": call.lots.all(),
        "documents": call.documents.all(),
        "open_questions": selectors.open_questions(call=call),
        "answered_questions": selectors.public_questions(call=call),
        "evaluators": call.evaluators.select_related("evaluator"),
        "unsealed": unsealed,
        "criterion_form": CriterionForm(),
        "lot_form": LotForm(),
        "document_form": CallDocumentForm(),
        "answer_form": AnswerForm(),
        "assign_form": AssignEvaluatorForm(),
        "end_form": EndForm(),
        "reach": services.call_reach(call=call, actor=request.user) if manager else None,
        "audit": selectors.call_audit_trail(call=call, viewer=request.user, now=now)
        if permissions.can_see_audit(request.user, call) else None,
    }
    if unsealed:
        context["results"] = selectors.evaluation_results(call=call)
        submitted = call.applications.filter(status=Application.Status.SUBMITTED)
        if call.effective_status(now) == Call.Status.EVALUATION:
            context["award_form"] = AwardForm(applications=submitted.select_related("organisation"))
        if call.status == Call.Status.AWARDED:
            decision = call.award_decision
            context["contract_form"] = ContractForm(
                winners=decision.winners.select_related("organisation"))
            context["standstill_over"] = now >= call.standstill_ends_at
        context["contracts"] = call.contracts.select_related("supplier")
    return render(request, "procurement/call_manage.html", context)


@login_required
def application_review(request, slug, pk):
    """Buyer staff read a submitted application and its scoresheets — after the deadline only."""
    call = get_object_or_404(permissions.calls_of_buyer_staff(request.user), slug=slug)
    application = get_object_or_404(
        permissions.applications_visible_to(request.user).filter(
            call=call, status=Application.Status.SUBMITTED,
            call__submission_deadline__lte=timezone.now()).select_related("organisation"),
        pk=pk)
    criteria = list(call.criteria.all())
    sheets = (application.scoresheets.filter(submitted_at__isnull=False)
              .select_related("assignment__evaluator").prefetch_related("scores"))
    return render(request, "procurement/application_review.html", {
        "call": call, "application": application,
        "answers": [(c, application.answers.get(str(c.pk), "")) for c in criteria],
        "documents": application.documents.all(), "sheets": sheets,
        "declarations": application.conflict_declarations.select_related("assignment__evaluator"),
    })


def _manager_post(request, slug, action, success):
    call = get_object_or_404(permissions.calls_managed_by(request.user), slug=slug)
    try:
        action(call)
        messages.success(request, success)
    except DomainError as error:
        _fail(request, error)
    return redirect("procurement:call-manage", slug=call.slug)


@login_required
@require_POST
def call_publish(request, slug):
    return _manager_post(request, slug, lambda call: services.call_publish(
        call=call, actor=request.user), _("The call is published."))


@login_required
@require_POST
def call_invite(request, slug):
    return _manager_post(request, slug, lambda call: services.call_invite_matches(
        call=call, actor=request.user), _("The matching organisations are invited."))


@login_required
@require_POST
def call_close(request, slug):
    return _manager_post(request, slug, lambda call: services.call_close_submissions(
        call=call, actor=request.user), _("Submissions are closed."))


@login_required
@require_POST
def call_end(request, slug):
    form = EndForm(request.POST)
    if not form.is_valid():
        call = get_object_or_404(permissions.calls_managed_by(request.user), slug=slug)
        messages.error(request, _("Choose how the call ends and give the public reason."))
        return redirect("procurement:call-manage", slug=call.slug)
    service = (services.call_cancel if form.cleaned_data["outcome"] == Call.Status.CANCELLED
               else services.call_mark_unsuccessful)
    return _manager_post(request, slug, lambda call: service(
        call=call, actor=request.user, reason=form.cleaned_data["reason"]), _("The call has ended."))


@login_required
@require_POST
def criterion_add(request, slug):
    form = CriterionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a name and a weight from 1 to 100."))
        return redirect("procurement:call-manage", slug=slug)
    return _manager_post(request, slug, lambda call: services.criterion_create(
        call=call, actor=request.user, **form.cleaned_data), _("Criterion added."))


@login_required
@require_POST
def criterion_delete(request, slug, pk):
    def action(call):
        criterion = get_object_or_404(Criterion, call=call, pk=pk)
        services.criterion_delete(criterion=criterion, actor=request.user)
    return _manager_post(request, slug, action, _("Criterion removed."))


@login_required
@require_POST
def lot_add(request, slug):
    form = LotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the lot a title."))
        return redirect("procurement:call-manage", slug=slug)
    return _manager_post(request, slug, lambda call: services.lot_create(
        call=call, actor=request.user, **form.cleaned_data), _("Lot added."))


@login_required
@require_POST
def call_document_add(request, slug):
    form = CallDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Give a title and choose a file."))
        return redirect("procurement:call-manage", slug=slug)
    return _manager_post(request, slug, lambda call: services.call_document_add(
        call=call, actor=request.user, upload=form.cleaned_data["file"],
        title=form.cleaned_data["title"], kind=form.cleaned_data["kind"]), _("Document added."))


@login_required
@require_POST
def question_answer(request, pk):
    question = get_object_or_404(permissions.questions_answerable_by(request.user)
                                 .select_related("call"), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(question=question, actor=request.user,
                                     answer=form.cleaned_data["answer"])
            messages.success(request, _("Answer published."))
        except DomainError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Write the answer."))
    return redirect("procurement:call-manage", slug=question.call.slug)


@login_required
@require_POST
def evaluator_assign(request, slug):
    form = AssignEvaluatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid e-mail address."))
        return redirect("procurement:call-manage", slug=slug)
    user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"],
                                           is_active=True).first()

    def action(call):
        if user is None:
            raise InvalidInput(_("No active account has this e-mail address: ask the "
                                          "expert to register first."))
        services.evaluator_assign(call=call, actor=request.user, evaluator=user,
                                  is_chair=form.cleaned_data["is_chair"])
    return _manager_post(request, slug, action, _("Evaluator assigned."))


@login_required
@require_POST
def call_award(request, slug):
    call = get_object_or_404(permissions.calls_visible_to(request.user), slug=slug)
    if not permissions.can_award(request.user, call):
        raise Http404
    form = AwardForm(request.POST, applications=call.applications.filter(
        status=Application.Status.SUBMITTED))
    if form.is_valid():
        try:
            services.call_award(call=call, actor=request.user, winners=form.cleaned_data["winners"],
                                reasons=form.cleaned_data["reasons"])
            messages.success(request, _("The award decision is recorded and every applicant "
                                        "has been notified. The standstill period runs."))
        except DomainError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Choose the successful applications and give reasons."))
    if permissions.is_buyer_staff(request.user, call):
        return redirect("procurement:call-manage", slug=call.slug)
    return redirect("procurement:evaluation-call", slug=call.slug)


@login_required
@require_POST
def contract_record(request, slug):
    call = get_object_or_404(permissions.calls_managed_by(request.user), slug=slug)
    if call.status != Call.Status.AWARDED:
        messages.error(request, _("A contract follows the award."))
        return redirect("procurement:call-manage", slug=call.slug)
    form = ContractForm(request.POST, winners=call.award_decision.winners.all())
    if form.is_valid():
        try:
            services.contract_record(call=call, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Contract recorded."))
        except DomainError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Check the contract details."))
    return redirect("procurement:call-manage", slug=call.slug)


# Applicant pages --------------------------------------------------------------------------

@login_required
def my_applications(request):
    return render(request, "procurement/my_applications.html",
                  {"applications": selectors.applications_of(viewer=request.user)})


@login_required
@require_POST
def application_start(request, slug):
    call = get_object_or_404(permissions.calls_visible_to(request.user), slug=slug)
    form = ApplyForm(request.POST, organisations=permissions.applicant_organisations(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose the organisation you apply for."))
        return redirect(call)
    try:
        application = services.application_create(
            call=call, organisation=form.cleaned_data["organisation"], actor=request.user)
    except DomainError as error:
        _fail(request, error)
        return redirect(call)
    messages.success(request, _("Your draft application is ready. Nobody at the buyer can see "
                                "it before the submission deadline."))
    return redirect(application)


@login_required
def application_detail(request, pk):
    """The whole draft on one form: answers, documents and submission.

    Every button of the page posts the answers with it, so uploading a document, deleting one or
    submitting never loses what the person typed: the answers are saved first, then the action
    runs; when the action fails, the page shows the error with the saved answers in place.
    """
    application = get_object_or_404(
        permissions.applications_of_applicant(request.user).select_related("call", "organisation"),
        pk=pk)
    call = application.call
    criteria = list(call.criteria.all())
    lots = list(call.lots.all())
    form = ApplicationForm(request.POST or None, call=call, criteria=criteria, lots=lots,
                           application=application)
    # The file input shares the form with the answers: never `required` in the browser, or
    # "Save draft" and "Submit" would be blocked until a file is chosen (checked on upload).
    upload_form = UploadForm(use_required_attribute=False)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            services.application_update(application=application, actor=request.user,
                                        answers=form.answers(),
                                        lots=form.cleaned_data.get("lots") if lots else None)
        except DomainError as error:
            _fail(request, error, form)
        else:
            done = _application_page_action(request, application, action)
            if done is not None:
                messages.success(request, done)
                return redirect(application)
            upload_form = UploadForm(request.POST, request.FILES, use_required_attribute=False)
            upload_form.is_valid()
    elif request.method == "POST":
        messages.error(request, _("Your answers could not be saved: see the messages below. "
                                  "Nothing else was done."))
    now = timezone.now()
    return render(request, "procurement/application_detail.html", {
        "application": application,
        "call": call,
        "form": form,
        "upload_form": upload_form,
        "documents": application.documents.all(),
        "lots_applied": list(application.lots.all()) if lots else [],
        "editable": call.is_open_for_applications(now)
        and application.status in Application.EDITABLE_STATES,
        "open": call.is_open_for_applications(now),
        "eligibility": services.eligibility_problems(call=call,
                                                     organisation=application.organisation),
    })


def _application_page_action(request, application, action: str) -> str | None:
    """Run the button's action after the answers were saved; the success message, or None."""
    try:
        if action == "upload":
            upload = UploadForm(request.POST, request.FILES)
            if not upload.is_valid():
                messages.error(request, _("Your answers are saved. Choose a file to upload."))
                return None
            services.application_document_add(application=application, actor=request.user,
                                              upload=upload.cleaned_data["file"])
            return _("Your answers are saved and the document is uploaded.")
        if action.startswith("delete-"):
            document = get_object_or_404(application.documents.all(),
                                         pk=_int_or_404(action.removeprefix("delete-")))
            services.application_document_delete(document=document, actor=request.user)
            return _("Your answers are saved and the document is deleted.")
        if action == "submit":
            services.application_submit(application=application, actor=request.user)
            return _("Submitted. Your receipt is below and was sent to your organisation.")
    except DomainError as error:
        messages.error(request, _("Your answers are saved, but: %(problem)s")
                       % {"problem": error.message})
        return None
    return _("Draft saved.")


def _int_or_404(value: str) -> int:
    if not value.isdigit():
        raise Http404
    return int(value)


def _application_post(request, pk, action, success):
    application = get_object_or_404(permissions.applications_of_applicant(request.user), pk=pk)
    try:
        action(application)
        messages.success(request, success)
    except DomainError as error:
        _fail(request, error)
    return redirect(application)


@login_required
@require_POST
def application_upload(request, pk):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect("procurement:application-detail", pk=pk)
    return _application_post(request, pk, lambda application: services.application_document_add(
        application=application, actor=request.user, upload=form.cleaned_data["file"]),
        _("Document uploaded."))


@login_required
@require_POST
def application_submit(request, pk):
    return _application_post(request, pk, lambda application: services.application_submit(
        application=application, actor=request.user),
        _("Submitted. Your receipt is below and was sent to your organisation."))


@login_required
@require_POST
def application_withdraw(request, pk):
    return _application_post(request, pk, lambda application: services.application_withdraw(
        application=application, actor=request.user),
        _("Withdrawn. You may change it and submit again before the deadline."))


@login_required
def application_document(request, pk):
    document = get_object_or_404(
        permissions.application_documents_visible_to(request.user).select_related("application"),
        pk=pk)
    return _serve(document.file, document.original_name, document.content_type)


@login_required
@require_POST
def application_document_delete(request, pk):
    document = get_object_or_404(
        permissions.application_documents_visible_to(request.user).filter(
            application__in=permissions.applications_of_applicant(request.user)), pk=pk)
    application = document.application
    try:
        services.application_document_delete(document=document, actor=request.user)
        messages.success(request, _("Document deleted."))
    except DomainError as error:
        _fail(request, error)
    return redirect(application)


# Evaluator pages --------------------------------------------------------------------------

@login_required
def my_evaluations(request):
    calls = permissions.calls_evaluated_by(request.user).select_related("buyer").order_by(
        "submission_deadline")
    return render(request, "procurement/my_evaluations.html", {"calls": calls})


@login_required
def evaluation_call(request, slug):
    call = get_object_or_404(permissions.calls_evaluated_by(request.user).select_related("buyer"),
                             slug=slug)
    assignment = permissions.assignment_of(request.user, call)
    now = timezone.now()
    applications = permissions.applications_to_declare(request.user, now=now).filter(
        call=call).select_related("organisation").order_by("organisation__name", "pk")
    declarations = {d.application_id: d for d in ConflictDeclaration.objects.filter(
        assignment=assignment)}
    sheets = {s.application_id: s for s in Scoresheet.objects.filter(assignment=assignment)}
    rows = [{"application": a, "declaration": declarations.get(a.pk), "sheet": sheets.get(a.pk)}
            for a in applications]
    context = {"call": call, "assignment": assignment, "rows": rows,
               "unsealed": call.submissions_closed(now), "declaration_form": DeclarationForm(),
               "effective_status": call.effective_status(now)}
    if assignment.is_chair and call.effective_status(now) == Call.Status.EVALUATION:
        context["results"] = selectors.evaluation_results(call=call)
        context["award_form"] = AwardForm(applications=call.applications.filter(
            status=Application.Status.SUBMITTED).select_related("organisation"))
    return render(request, "procurement/evaluation_call.html", context)


@login_required
@require_POST
def conflict_declare(request, pk):
    application = get_object_or_404(
        permissions.applications_to_declare(request.user).select_related("call"), pk=pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(application=application, actor=request.user,
                                      **form.cleaned_data)
            messages.success(request, _("Declaration recorded."))
        except DomainError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Answer the conflict-of-interest question."))
    return redirect("procurement:evaluation-call", slug=application.call.slug)


@login_required
def scoresheet(request, pk):
    application = get_object_or_404(
        permissions.applications_evaluable_by(request.user).select_related("call", "organisation"),
        pk=pk)
    call = application.call
    criteria = list(call.criteria.all())
    sheet = Scoresheet.objects.filter(application=application,
                                      assignment__evaluator=request.user).first()
    form = ScoresheetForm(request.POST or None, criteria=criteria, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            services.scoresheet_save(application=application, actor=request.user,
                                     scores=form.scores(), comment=form.cleaned_data["comment"])
            messages.success(request, _("Scores saved. Submit the scoresheet when it is complete: "
                                        "it is then locked."))
            return redirect("procurement:scoresheet", pk=application.pk)
        except DomainError as error:
            _fail(request, error, form)
    return render(request, "procurement/scoresheet.html", {
        "application": application, "call": call, "form": form, "sheet": sheet,
        "answers": [(c, application.answers.get(str(c.pk), "")) for c in criteria],
        "documents": application.documents.all(),
    })


@login_required
@require_POST
def scoresheet_submit(request, pk):
    application = get_object_or_404(permissions.applications_evaluable_by(request.user), pk=pk)
    sheet = get_object_or_404(permissions.scoresheets_of(request.user), application=application)
    try:
        services.scoresheet_submit(scoresheet=sheet, actor=request.user)
        messages.success(request, _("Scoresheet submitted and locked."))
    except DomainError as error:
        _fail(request, error)
    return redirect(reverse("procurement:scoresheet", kwargs={"pk": application.pk}))
