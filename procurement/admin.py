"""The staff admin for procurement. It goes through the same services and rules as the pages:

- calls are created and changed (drafts only) through the services; published calls are read-only
  here (amendments, answers, award and contract have their pages on the buyer desk);
- applications, their documents and scoresheets are hidden before the submission deadline — a
  sealed application is a 404 here too — and are never editable;
- questions are answered through the service, which refuses after the submission deadline;
- every model shows its audit trail read-only.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import FieldDoesNotExist
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ecosystem.admin_tools import SealedRecordsAdminMixin, csv_export_action
from ecosystem.errors import DomainError
from ecosystem.models import AuditEntry
from stakeholders.models import Helix

from . import forms as web_forms
from . import permissions, selectors, services
from .models import (
    CPV_LABELS,
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


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditInline(SealedRecordsAdminMixin, ReadOnlyMixin, GenericTabularInline):
    model = AuditEntry
    ct_field = "target_type"
    ct_fk_field = "target_id"
    sealing_kind_field = "action"
    fields = ["created_at", "actor", "action", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("audit trail (kept forever)")
    ordering = ["created_at", "id"]


class CriterionInline(ReadOnlyMixin, admin.TabularInline):
    model = Criterion
    fields = ["position", "name", "weight", "description"]
    readonly_fields = fields
    extra = 0


class LotInline(ReadOnlyMixin, admin.TabularInline):
    model = Lot
    fields = ["number", "title", "estimated_value"]
    readonly_fields = fields
    extra = 0


class AmendmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Amendment
    fields = ["created_at", "rationale", "changed", "invalidates_submissions"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("what changed"))
    def changed(self, obj):
        """The changed parts by their names on the form, not their field names."""
        names = []
        for key in obj.changes or {}:
            try:
                names.append(str(capfirst(Call._meta.get_field(key).verbose_name)))
            except FieldDoesNotExist:
                names.append(str(capfirst(key)))
        return ", ".join(names) or "–"


class ClosingFilter(admin.SimpleListFilter):
    title = _("closes")
    parameter_name = "closes"

    def lookups(self, request, model_admin):
        return [("7d", _("In the next 7 days"))]

    def queryset(self, request, queryset):
        if self.value() == "7d":
            now = timezone.now()
            return queryset.filter(status=Call.Status.PUBLISHED, submission_deadline__gt=now,
                                   submission_deadline__lte=now + timedelta(days=7))
        return queryset


class ToAnswerFilter(admin.SimpleListFilter):
    title = _("to answer")
    parameter_name = "to_answer"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for an answer, call open"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=True, call__status=Call.Status.PUBLISHED,
                                   call__submission_deadline__gt=timezone.now())
        return queryset


class CallAdminForm(forms.ModelForm):
    """The same fields as the buyer desk's call form: CPV codes typed as a list (or looked up),
    helices ticked, countries chosen, the NUTS region typed or looked up."""

    cpv_codes = web_forms.CpvField(
        label=_("CPV codes"), required=False,
        help_text=web_forms.CPV_HELP % {"codes": ", ".join(list(CPV_LABELS)[:6])})
    nuts_region = web_forms.NutsField(label=_("NUTS region of performance"), required=False,
                                      help_text=_("Type a code (e.g. HR031) or a city's name."))
    allowed_helices = web_forms.HelicesField(label=_("Allowed helices (none ticked: all)"))
    allowed_countries = web_forms.CountriesField(
        label=_("Allowed countries (none chosen: all)"))

    class Media:
        js = ["procurement/code_lookup.js"]
        css = {"all": ["procurement/code_lookup.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("cpv_codes", "nuts_region"):
            field = self.fields[name]
            field.set_lookup(reverse("admin:procurement_call_lookup",
                                     kwargs={"kind": field.lookup_kind}))

    class Meta:
        model = Call
        fields = ["buyer", "title", "challenge", "procedure", "cpv_codes", "themes", "nuts_region",
                  "estimated_value", "currency", "smes_only", "allowed_helices",
                  "allowed_countries", "eligibility_notes", "clarification_deadline",
                  "submission_deadline", "evaluation_end", "award_date", "standstill_days"]

    def clean_buyer(self):
        buyer = self.cleaned_data["buyer"]
        if buyer.helix != Helix.PUBLIC:
            raise forms.ValidationError(_("The buyer must be a public authority."))
        return buyer


@admin.register(Call)
class CallAdmin(TranslationAdmin):
    form = CallAdminForm
    list_display = ["title", "buyer", "procedure", "status", "submission_deadline", "desk"]
    list_filter = ["status", ClosingFilter, "procedure", "currency"]
    search_fields = ["title", "ocid", "buyer__name"]
    autocomplete_fields = ["buyer"]
    filter_horizontal = ["themes"]
    readonly_fields = ["status", "ocid", "slug", "publication_date", "cancellation_reason",
                       "closed_at", "awarded_at", "completed_at", "ended_at", "desk"]
    inlines = [CriterionInline, LotInline, AmendmentInline, AuditInline]
    actions = [
        "publish_selected", "close_due_selected",
        csv_export_action(["ocid", "title", "buyer", "procedure", "status", "estimated_value",
                           "currency", "publication_date", "submission_deadline", "awarded_at"]),
    ]

    change_form_template = "admin/procurement/call/change_form.html"

    def get_urls(self):
        return [path("lookup/<str:kind>/", self.admin_site.admin_view(self.lookup_view),
                     name="procurement_call_lookup"), *super().get_urls()]

    def lookup_view(self, request, kind):
        """CPV codes or NUTS regions by code or name, for the call form's lookup fields."""
        lookups = {"cpv": selectors.cpv_lookup, "nuts": selectors.nuts_lookup}
        if kind not in lookups:
            return JsonResponse({"message": str(_("Unknown lookup.")), "code": "not_found",
                                 "fields": {}}, status=404)
        return JsonResponse({"results": lookups[kind](query=request.GET.get("q", "")[:100])})

    @admin.display(description=_("buyer desk"))
    def desk(self, obj):
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>',
                           reverse("procurement:call-manage", kwargs={"slug": obj.slug}),
                           _("criteria, questions, evaluators, award"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Call.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Every field of the form the service takes, each language of title and challenge too.
        fields = {name: value for name, value in form.cleaned_data.items()
                  if name in services.CALL_FIELDS}
        if change:
            saved = services.call_update(call=obj, actor=request.user, **fields)
        else:
            saved = services.call_create(actor=request.user, buyer=form.cleaned_data["buyer"],
                                         **fields)
        obj.pk, obj.slug, obj.ocid = saved.pk, saved.slug, saved.ocid

    def save_related(self, request, form, formsets, change):
        services.call_update(call=form.instance, actor=request.user,
                             themes=form.cleaned_data["themes"])
        for formset in formsets:  # the inlines are read-only: this saves nothing
            self.save_formset(request, form, formset, change)

    @admin.action(description=_("Publish the selected drafts"))
    def publish_selected(self, request, queryset):
        for call in queryset:
            try:
                services.call_publish(call=call, actor=request.user)
                self.message_user(request, _("Published: %(t)s") % {"t": call.title})
            except DomainError as error:
                self.message_user(request, f"{call.title}: {error.message}", messages.ERROR)

    @admin.action(description=_("Close submissions of the selected calls past their deadline"))
    def close_due_selected(self, request, queryset):
        for call in queryset:
            try:
                services.call_close_submissions(call=call, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{call.title}: {error.message}", messages.ERROR)


class UnsealedMixin(ReadOnlyMixin):
    """Rows of applications only once their call's submission deadline has passed."""

    application_path = "application"

    def get_queryset(self, request):
        unsealed = permissions.applications_visible_to(request.user, now=timezone.now()).filter(
            status=Application.Status.SUBMITTED, call__submission_deadline__lte=timezone.now())
        queryset = super().get_queryset(request)
        if self.application_path:
            return queryset.filter(**{f"{self.application_path}__in": unsealed})
        return queryset.filter(pk__in=unsealed)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


class ApplicationDocumentInline(UnsealedMixin, admin.TabularInline):
    model = ApplicationDocument
    fields = ["original_name", "content_type", "size", "sha256", "download"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("download"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("download"))


@admin.register(Application)
class ApplicationAdmin(UnsealedMixin, admin.ModelAdmin):
    application_path = None
    list_display = ["organisation", "call", "status", "submitted_at", "outcome"]
    list_filter = ["status", "outcome"]
    search_fields = ["organisation__name", "call__title", "receipt_sha256"]
    fields = ["call", "organisation", "status", "answers", "submitted_at", "receipt_sha256",
              "withdrawn_at", "outcome"]
    readonly_fields = fields
    inlines = [ApplicationDocumentInline, AuditInline]
    actions = [csv_export_action(["call", "organisation", "status", "submitted_at",
                                  "receipt_sha256", "outcome"])]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(UnsealedMixin, admin.ModelAdmin):
    list_display = ["original_name", "application", "content_type", "size", "uploaded_at"]
    fields = ["application", "original_name", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields


class ScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = Score
    fields = ["criterion", "value", "justification"]
    readonly_fields = fields
    extra = 0


@admin.register(Scoresheet)
class ScoresheetAdmin(UnsealedMixin, admin.ModelAdmin):
    list_display = ["application", "assignment", "submitted_at"]
    list_filter = ["submitted_at"]
    fields = ["application", "assignment", "comment", "created_at", "submitted_at"]
    readonly_fields = fields
    inlines = [ScoreInline, AuditInline]
    actions = [csv_export_action(["application", "assignment", "submitted_at"])]


@admin.register(Score)
class ScoreAdmin(UnsealedMixin, admin.ModelAdmin):
    application_path = "scoresheet__application"
    list_display = ["scoresheet", "criterion", "value"]
    fields = ["scoresheet", "criterion", "value", "justification"]
    readonly_fields = fields


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(UnsealedMixin, admin.ModelAdmin):
    list_display = ["assignment", "application", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]
    fields = ["assignment", "application", "has_conflict", "note", "declared_at"]
    readonly_fields = fields


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["answer"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.call.is_open_for_applications():
            raise forms.ValidationError(_("The submission deadline has passed: answers are "
                                          "closed."))
        if not (cleaned.get("answer") or "").strip():
            raise forms.ValidationError(_("Write the answer."))
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """The asker stays hidden here too: answers are for everyone."""

    form = QuestionAdminForm
    list_display = ["text", "call", "asked_at", "answered_at"]
    list_filter = [ToAnswerFilter, "answered_at"]
    search_fields = ["text", "answer", "call__title"]
    fields = ["call", "text", "asked_at", "answer", "answered_at"]
    readonly_fields = ["call", "text", "asked_at", "answered_at"]
    actions = [csv_export_action(["call", "text", "answer", "asked_at", "answered_at"])]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.call.is_open_for_applications():
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.question_answer(question=obj, actor=request.user,
                                 answer=form.cleaned_data["answer"])


class EvaluatorAssignmentForm(forms.ModelForm):
    class Meta:
        model = EvaluatorAssignment
        fields = ["call", "evaluator", "is_chair"]


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(admin.ModelAdmin):
    form = EvaluatorAssignmentForm
    list_display = ["evaluator", "call", "is_chair", "assigned_at"]
    list_filter = ["is_chair"]
    autocomplete_fields = ["evaluator"]
    search_fields = ["evaluator__email", "call__title"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = services.evaluator_assign(call=form.cleaned_data["call"], actor=request.user,
                                          evaluator=form.cleaned_data["evaluator"],
                                          is_chair=form.cleaned_data["is_chair"])
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.evaluator_unassign(assignment=obj, actor=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["call"].queryset = Call.objects.filter(
            status__in=(Call.Status.DRAFT, Call.Status.PUBLISHED, Call.Status.EVALUATION))
        return form


class ViewOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(Criterion)
class CriterionAdmin(ViewOnlyAdmin):
    list_display = ["name", "call", "weight"]
    search_fields = ["name", "call__title"]


@admin.register(Lot)
class LotAdmin(ViewOnlyAdmin):
    list_display = ["title", "call", "number", "estimated_value"]


@admin.register(CallDocument)
class CallDocumentAdmin(ViewOnlyAdmin):
    list_display = ["title", "call", "kind", "size", "uploaded_at"]
    exclude = ["file"]


@admin.register(Amendment)
class AmendmentAdmin(ViewOnlyAdmin):
    list_display = ["call", "created_at", "invalidates_submissions"]
    actions = [csv_export_action(["call", "created_at", "rationale", "invalidates_submissions"])]


@admin.register(AwardDecision)
class AwardDecisionAdmin(ViewOnlyAdmin):
    list_display = ["call", "chair", "decided_at"]
    inlines = [AuditInline]


@admin.register(Contract)
class ContractAdmin(ViewOnlyAdmin):
    list_display = ["title", "call", "supplier", "value", "currency", "signed_at"]
    actions = [csv_export_action(["call", "title", "supplier", "value", "currency", "start_date",
                                  "end_date", "signed_at"])]


@admin.register(Release)
class ReleaseAdmin(ViewOnlyAdmin):
    list_display = ["release_id", "ocid", "date"]
    list_filter = ["date"]
    search_fields = ["release_id", "ocid"]
    actions = [csv_export_action(["release_id", "ocid", "tag", "date"])]
