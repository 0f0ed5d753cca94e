"""What the procurement app stores about people (the privacy registry). Procurement records
are kept by law; after erasure they point to an anonymous account."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecosystem.privacy import registry
from ecosystem.privacy.registry import KEEP, PersonalData

from .models import (
    Amendment,
    Application,
    ApplicationDocument,
    AwardDecision,
    Call,
    Contract,
    Criterion,
    EvaluatorAssignment,
    Question,
    Scoresheet,
)

PROCUREMENT_RECORD = _(
    "Public procurement records must be kept (Directive 2014/24/EU Art. 84, national "
    "procurement and archive law): the applications, questions, evaluations and award stay, "
    "de-personalised, pointing to an anonymous account.")
PROCUREMENT_PERIOD = _("At least 10 years after the award (or as national law requires).")


def _scoresheets_of(user):
    return Scoresheet.objects.filter(assignment__evaluator=user).order_by("pk")


def register():
    registry.register_not_personal([Criterion], _("The name of an award criterion."))
    for model, purpose in [
        (Call, _("Calls you created for a buyer.")),
        (Amendment, _("Amendments to calls you made.")),
        (Contract, _("Contracts you recorded.")),
        (AwardDecision, _("Award decisions you signed as chair of an evaluation.")),
    ]:
        user_fields = tuple(f.name for f in model._meta.concrete_fields
                            if f.is_relation and f.related_model
                            and f.related_model._meta.model_name == "user")
        registry.register(PersonalData(
            model=model, fields=user_fields, erase=KEEP, purpose=purpose,
            seen_by=_("The buyer's staff and portal staff; the record itself is public once "
                      "published."),
            kept=PROCUREMENT_RECORD, kept_for=PROCUREMENT_PERIOD,
        ))
    registry.register(PersonalData(
        model=Question, fields=("asked_by", "answered_by", "text"), person=("asked_by",),
        erase=KEEP, scrub=("text", "answer"),
        export_fields=("id", "call_id", "organisation_id", "text", "answer", "asked_at",
                       "answered_at"),
        purpose=_("Clarification questions you asked about calls."),
        seen_by=_("The buyer; the question and its answer are published to everyone without "
                  "your name."),
        kept=PROCUREMENT_RECORD, kept_for=PROCUREMENT_PERIOD,
    ))
    registry.register(PersonalData(
        model=Application, fields=("created_by", "submitted_by", "answers"),
        rows=lambda user: Application.objects.filter(
            Q(created_by=user) | Q(submitted_by=user)).order_by("pk"),
        erase=KEEP, scrub=("answers",),
        export_fields=("id", "call_id", "call__title", "organisation_id", "status", "answers",
                       "created_at", "submitted_at", "receipt_sha256", "withdrawn_at",
                       "outcome"),
        purpose=_("Applications to calls you wrote or submitted for your organisation."),
        seen_by=_("Your organisation; after the deadline the buyer and its evaluators."),
        kept=PROCUREMENT_RECORD, kept_for=PROCUREMENT_PERIOD,
    ))
    registry.register(PersonalData(
        model=ApplicationDocument, fields=("uploaded_by", "original_name"),
        person=("uploaded_by",), erase=KEEP, scrub=("original_name",),
        export_fields=("id", "application_id", "original_name", "size", "uploaded_at"),
        purpose=_("Documents you uploaded to applications."),
        seen_by=_("Your organisation; after the deadline the buyer and its evaluators."),
        kept=PROCUREMENT_RECORD, kept_for=PROCUREMENT_PERIOD,
    ))
    registry.register(PersonalData(
        model=EvaluatorAssignment, fields=("evaluator", "assigned_by"), person=("evaluator",),
        erase=KEEP, export_fields=("id", "call_id", "is_chair", "assigned_at"),
        purpose=_("Calls you were assigned to evaluate."),
        seen_by=_("The buyer's staff."),
        kept=PROCUREMENT_RECORD, kept_for=PROCUREMENT_PERIOD,
    ))
    registry.register(PersonalData(
        model=Scoresheet, fields=(), rows=_scoresheets_of, erase=KEEP,
        export_fields=("id", "application_id", "comment", "created_at", "submitted_at"),
        purpose=_("Your scores and comments as an evaluator."),
        seen_by=_("The buyer's staff and the evaluation's chair."),
        kept=PROCUREMENT_RECORD, kept_for=PROCUREMENT_PERIOD,
    ))
