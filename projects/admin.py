"""The staff's web admin for projects, pilots, feedback moderation and programmes.

Moderation and transitions go through the services (so they are audited and people notified);
plain data entry uses the admin forms.
"""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from ecosystem.admin_tools import csv_export_action
from ecosystem.errors import DomainError

from . import services
from .forms import HelicesField
from .models import (
    Action,
    ExpectedResult,
    Feedback,
    Indicator,
    Measurement,
    Mentorship,
    Phase,
    Pilot,
    PilotIndicator,
    PilotUpdate,
    Programme,
    ProgrammeCity,
    Project,
    ProjectMember,
    ProjectPartner,
    Roadmap,
    RoadmapComment,
)


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 1
    autocomplete_fields = ["organisation"]


class MemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    autocomplete_fields = ["user"]


class ResultInline(admin.TabularInline):
    model = ExpectedResult
    extra = 0
    fields = ["position", "kind", "title", "unit", "target", "achieved", "progress_note"]


@admin.register(Project)
class ProjectAdmin(TranslationAdmin):
    list_display = ["acronym", "title", "funding_programme", "status", "start_date", "end_date"]
    list_filter = ["status", "funding_programme", "themes"]
    search_fields = ["acronym", "title", "summary"]
    prepopulated_fields = {"slug": ["acronym"]}
    filter_horizontal = ["themes"]
    date_hierarchy = "start_date"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [PartnerInline, MemberInline, ResultInline]
    actions = [csv_export_action(["acronym", "title", "funding_programme", "status", "start_date",
                                  "end_date", "budget", "eu_funding", "website"])]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "partner_helices_wanted":  # checkboxes, not a JSON text box
            return HelicesField(help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        was_looking = bool(change and Project.objects.get(pk=obj.pk).looks_for_partners)
        super().save_model(request, obj, form, change)
        services.refresh_partner_search(obj, was_looking=was_looking)


@admin.register(ProjectPartner)
class ProjectPartnerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "project", "role"]
    list_filter = ["role", "organisation__helix", "project"]
    search_fields = ["organisation__name", "project__acronym"]
    autocomplete_fields = ["organisation", "project"]
    actions = [csv_export_action(["project", "organisation", "role"])]


@admin.register(ProjectMember)
class ProjectMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    search_fields = ["user__email", "user__full_name", "project__acronym"]
    autocomplete_fields = ["user", "project"]
    actions = [csv_export_action(["project", "user", "role"])]


@admin.register(ExpectedResult)
class ExpectedResultAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "kind", "target", "achieved", "percent"]
    list_filter = ["kind", "project"]
    search_fields = ["title", "project__acronym"]
    autocomplete_fields = ["project"]
    actions = [csv_export_action(["project", "kind", "title", "unit", "target", "achieved",
                                  "percent", "progress_note"])]


class PilotIndicatorInline(admin.TabularInline):
    model = PilotIndicator
    extra = 0


class PilotUpdateInline(admin.StackedInline):
    model = PilotUpdate
    extra = 0
    readonly_fields = ["author", "created_at"]


@admin.register(Pilot)
class PilotAdmin(TranslationAdmin):
    list_display = ["title", "city", "project", "status", "start_date", "end_date"]
    list_filter = ["status", "city", "project", "themes"]
    search_fields = ["title", "summary", "address"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    autocomplete_fields = ["project", "call"]
    list_select_related = ["city", "project"]
    inlines = [PilotIndicatorInline, PilotUpdateInline]
    actions = [csv_export_action(["title", "city", "project", "status", "start_date", "end_date",
                                  "address", "latitude", "longitude"])]


@admin.register(PilotUpdate)
class PilotUpdateAdmin(TranslationAdmin):
    list_display = ["title", "pilot", "author", "created_at"]
    list_filter = ["pilot"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["pilot"]
    readonly_fields = ["author", "created_at"]
    actions = [csv_export_action(["pilot", "title", "body", "author", "created_at"])]


@admin.register(PilotIndicator)
class PilotIndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "pilot", "baseline", "value", "target", "unit"]
    list_filter = ["pilot"]
    search_fields = ["name", "pilot__title"]
    autocomplete_fields = ["pilot"]
    actions = [csv_export_action(["pilot", "name", "unit", "baseline", "value", "target"])]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "pilot", "kind", "status", "author", "short_body"]
    list_filter = ["status", "kind", "pilot__city", "pilot"]
    search_fields = ["body", "author__email", "pilot__title"]
    list_select_related = ["pilot", "author"]
    readonly_fields = ["pilot", "author", "kind", "body", "latitude", "longitude", "status",
                       "rejection_reason", "moderated_by", "moderated_at", "created_at"]
    date_hierarchy = "created_at"
    actions = ["publish", "reject_as_off_topic", "reject_as_abusive",
               csv_export_action(["created_at", "pilot", "kind", "status", "body", "latitude",
                                  "longitude", "rejection_reason"])]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("text"))
    def short_body(self, obj):
        return obj.body[:80]

    def _moderate(self, request, queryset, operation, **kwargs):
        done = 0
        for feedback in queryset:
            try:
                operation(feedback=feedback, actor=request.user, **kwargs)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{feedback.pk}: {error.message}", messages.WARNING)
        self.message_user(request, ngettext("%d feedback moderated; the author was told.",
                                            "%d feedback moderated; the authors were told.",
                                            done) % done)

    @admin.action(description=_("Publish the selected feedback"))
    def publish(self, request, queryset):
        self._moderate(request, queryset, services.feedback_publish)

    @admin.action(description=_("Reject: off topic"))
    def reject_as_off_topic(self, request, queryset):
        self._moderate(request, queryset, services.feedback_reject,
                       reason=str(_("It is not about this pilot.")))

    @admin.action(description=_("Reject: abusive or personal data"))
    def reject_as_abusive(self, request, queryset):
        self._moderate(request, queryset, services.feedback_reject,
                       reason=str(_("It breaks the rules (abuse, advertising or personal data).")))


class CohortInline(admin.TabularInline):
    model = ProgrammeCity
    extra = 1


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class MentorshipInline(admin.StackedInline):
    model = Mentorship
    extra = 0
    filter_horizontal = ["participants"]
    autocomplete_fields = ["contacts"]


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["name", "funding_programme", "status", "start_date", "end_date"]
    list_filter = ["status", "funding_programme"]
    search_fields = ["name", "acronym", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [PhaseInline, CohortInline, MentorshipInline]
    actions = [csv_export_action(["name", "acronym", "funding_programme", "status", "start_date",
                                  "end_date", "website"])]


@admin.register(ProgrammeCity)
class ProgrammeCityAdmin(admin.ModelAdmin):
    list_display = ["city", "programme", "role", "stage"]
    list_filter = ["programme", "role", "stage"]
    search_fields = ["city__name"]
    autocomplete_fields = ["programme", "city"]
    actions = [csv_export_action(["programme", "city", "role", "stage", "joined_on"])]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["kind", "programme", "start_date", "end_date"]
    list_filter = ["programme", "kind"]
    search_fields = ["description", "programme__name"]
    autocomplete_fields = ["programme"]
    actions = [csv_export_action(["programme", "kind", "start_date", "end_date"])]


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentor_city", "programme"]
    list_filter = ["programme"]
    search_fields = ["mentor_city__name", "participants__name"]
    filter_horizontal = ["participants"]
    autocomplete_fields = ["contacts"]
    actions = [csv_export_action(["programme", "mentor_city", "note"])]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["position", "title", "owner", "status", "due_date"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["position", "code", "name", "unit", "baseline", "target", "direction"]


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["city", "programme", "updated_at"]
    list_filter = ["programme"]
    search_fields = ["city__name", "vision"]
    list_select_related = ["city", "programme"]
    inlines = [ActionInline, IndicatorInline]
    actions = [csv_export_action(["programme", "city", "vision", "updated_at"])]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "roadmap", "owner", "status", "due_date"]
    list_filter = ["status", "roadmap__programme", "roadmap__city", "themes"]
    search_fields = ["title", "owner", "description"]
    filter_horizontal = ["themes"]
    actions = [csv_export_action(["roadmap", "title", "owner", "status", "due_date"])]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["date", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "roadmap", "unit", "baseline", "target", "direction"]
    list_filter = ["roadmap__programme", "roadmap__city", "direction"]
    search_fields = ["name", "code"]
    inlines = [MeasurementInline]
    actions = [csv_export_action(["roadmap", "code", "name", "unit", "baseline", "target",
                                  "direction"])]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "date", "value", "recorded_by"]
    list_filter = ["indicator__roadmap__programme", "indicator__roadmap__city"]
    search_fields = ["indicator__name", "indicator__code", "note"]
    date_hierarchy = "date"
    actions = [csv_export_action(["indicator", "date", "value", "note"])]


@admin.register(RoadmapComment)
class RoadmapCommentAdmin(admin.ModelAdmin):
    list_display = ["roadmap", "author", "created_at"]
    list_filter = ["roadmap__programme"]
    search_fields = ["body"]
    readonly_fields = ["author", "created_at"]
    actions = [csv_export_action(["roadmap", "author", "body", "created_at"])]
