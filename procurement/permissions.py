"""Who may see and do what in procurement. Each rule answers as a QuerySet, so lists, details,
the API and the admin never disagree.

Role model
- Buyer administrators (admins of the buyer organisation, a public authority) are the
  procurement officers: they edit and publish calls, amend, answer questions, assign
  evaluators, close, award, record contracts and cancel. Buyer members see drafts, questions
  and, after the submission deadline, the applications and the ranking.
- Portal staff (``user.is_staff``) may do everything a buyer administrator may, for any call,
  except opening applications before the submission deadline (nobody may).
- Evaluators are assigned per call. They see an application only after the submission deadline
  and only after declaring that they have no conflict of interest with its applicant.
- Applicants: every member of the applying organisation prepares, submits and withdraws it.
- Sealed: before the submission deadline an application is visible to its own organisation only.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from stakeholders.models import Helix, Membership, Organisation
from stakeholders.permissions import organisations_administered_by, organisations_of_member

from .models import (
    Application,
    ApplicationDocument,
    Call,
    ConflictDeclaration,
    EvaluatorAssignment,
    Question,
    Scoresheet,
)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff(user) -> bool:
    return _authenticated(user) and user.is_staff


# Calls ------------------------------------------------------------------------------------

def calls_visible_to(user) -> QuerySet[Call]:
    # Every state but a draft is public (Call.PUBLIC_STATES). Written as "not a draft", not
    # as an IN list: the databases then read the list in the order index (newest first)
    # instead of gathering every public call through the status index and sorting them.
    public = ~Q(status=Call.Status.DRAFT)
    if _staff(user):
        return Call.objects.all()
    if not _authenticated(user):
        return Call.objects.filter(public)
    return Call.objects.filter(public | Q(buyer__in=organisations_of_member(user)))


def calls_managed_by(user) -> QuerySet[Call]:
    """Calls whose procurement the user runs (buyer admins, portal staff)."""
    if _staff(user):
        return Call.objects.all()
    if not _authenticated(user):
        return Call.objects.none()
    return Call.objects.filter(buyer__in=organisations_administered_by(user))


def calls_of_buyer_staff(user) -> QuerySet[Call]:
    """Calls the user works on as buyer staff (any member of the buyer, and portal staff)."""
    if _staff(user):
        return Call.objects.all()
    if not _authenticated(user):
        return Call.objects.none()
    return Call.objects.filter(buyer__in=organisations_of_member(user))


def buyers_for(user) -> QuerySet[Organisation]:
    """Public authorities for which the user may create calls."""
    if not _authenticated(user):
        return Organisation.objects.none()
    return organisations_administered_by(user).filter(helix=Helix.PUBLIC)


def can_manage_call(user, call: Call) -> bool:
    return calls_managed_by(user).filter(pk=call.pk).exists()


def is_buyer_staff(user, call: Call) -> bool:
    return calls_of_buyer_staff(user).filter(pk=call.pk).exists()


def calls_evaluated_by(user) -> QuerySet[Call]:
    if not _authenticated(user):
        return Call.objects.none()
    return Call.objects.filter(evaluators__evaluator=user)


def is_evaluator(user) -> bool:
    """Whether the person evaluates any call (the header shows them their evaluations)."""
    return _authenticated(user) and EvaluatorAssignment.objects.filter(evaluator=user).exists()


def assignment_of(user, call: Call) -> EvaluatorAssignment | None:
    if not _authenticated(user):
        return None
    return EvaluatorAssignment.objects.filter(call=call, evaluator=user).first()


def can_award(user, call: Call) -> bool:
    """The chair of the evaluation committee, or a buyer administrator."""
    if can_manage_call(user, call):
        return True
    assignment = assignment_of(user, call)
    return bool(assignment and assignment.is_chair)


def can_see_audit(user, call: Call) -> bool:
    return can_manage_call(user, call)


# Applications -----------------------------------------------------------------------------

def _unsealed(now) -> Q:
    return Q(call__submission_deadline__lte=now, status=Application.Status.SUBMITTED) & ~Q(
        call__status=Call.Status.DRAFT
    )


def applications_of_applicant(user) -> QuerySet[Application]:
    """The applications of the user's own organisations (every status)."""
    if not _authenticated(user):
        return Application.objects.none()
    return Application.objects.filter(organisation__in=organisations_of_member(user))


def applications_visible_to(user, *, now=None) -> QuerySet[Application]:
    """Own organisation's applications, plus — only after the submission deadline — submitted
    ones to buyer staff, portal staff and evaluators who declared no conflict."""
    if not _authenticated(user):
        return Application.objects.none()
    now = now or timezone.now()
    own = Q(organisation__in=organisations_of_member(user))
    if user.is_staff:
        return Application.objects.filter(own | _unsealed(now))
    no_conflict = ConflictDeclaration.objects.filter(
        application=OuterRef("pk"), assignment__evaluator=user, has_conflict=False
    )
    return Application.objects.filter(
        own
        | (_unsealed(now) & Q(call__buyer__in=organisations_of_member(user)))
        | (_unsealed(now) & Exists(no_conflict))
    )


def applications_to_declare(user, *, now=None) -> QuerySet[Application]:
    """Submitted applications of calls the user evaluates, past the deadline: the evaluator
    sees the applicant's name (to declare conflicts) but not the content."""
    if not _authenticated(user):
        return Application.objects.none()
    now = now or timezone.now()
    return Application.objects.filter(_unsealed(now), call__evaluators__evaluator=user)


def applications_evaluable_by(user, *, now=None) -> QuerySet[Application]:
    if not _authenticated(user):
        return Application.objects.none()
    now = now or timezone.now()
    no_conflict = ConflictDeclaration.objects.filter(
        application=OuterRef("pk"), assignment__evaluator=user, has_conflict=False
    )
    return Application.objects.filter(_unsealed(now), Exists(no_conflict))


def application_documents_visible_to(user, *, now=None) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(
        application__in=applications_visible_to(user, now=now)
    )


def can_edit_application(user, application: Application) -> bool:
    return applications_of_applicant(user).filter(pk=application.pk).exists()


def applicant_organisations(user) -> QuerySet[Organisation]:
    return organisations_of_member(user)


def is_member_of(user, organisation: Organisation) -> bool:
    if not _authenticated(user):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


# Questions and scoresheets ----------------------------------------------------------------

def questions_visible_to(user) -> QuerySet[Question]:
    """Answered questions of visible calls for everyone; unanswered ones to the asking
    organisation and to the buyer's staff."""
    answered = Q(answered_at__isnull=False, call__in=calls_visible_to(user))
    if not _authenticated(user):
        return Question.objects.filter(answered)
    return Question.objects.filter(
        answered
        | Q(organisation__in=organisations_of_member(user))
        | Q(call__in=calls_of_buyer_staff(user))
    )


def questions_answerable_by(user) -> QuerySet[Question]:
    return Question.objects.filter(call__in=calls_managed_by(user))


def scoresheets_of(user) -> QuerySet[Scoresheet]:
    if not _authenticated(user):
        return Scoresheet.objects.none()
    return Scoresheet.objects.filter(assignment__evaluator=user)


def scoresheets_visible_to(user, *, now=None) -> QuerySet[Scoresheet]:
    """Own scoresheets; buyer staff see the submitted ones of their calls."""
    if not _authenticated(user):
        return Scoresheet.objects.none()
    return Scoresheet.objects.filter(
        Q(assignment__evaluator=user)
        | Q(submitted_at__isnull=False, application__call__in=calls_of_buyer_staff(user))
    )


# Sealing (what the platform's records about applications may show) ------------------------

def applications_sealed_from(*, viewer, now=None) -> QuerySet[Application]:
    """The applications ``viewer`` may not see now: the complement of ``applications_visible_to``."""
    return Application.objects.exclude(pk__in=applications_visible_to(viewer, now=now))


def calls_with_sealed_applications(*, viewer=None, now=None) -> QuerySet[Call]:
    """Calls whose applications are still sealed (before the deadline, or never published)."""
    now = now or timezone.now()
    return Call.objects.filter(
        Q(submission_deadline__isnull=True) | Q(submission_deadline__gt=now)
        | Q(status=Call.Status.DRAFT))
