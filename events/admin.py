"""Staff manage events here. Every state change goes through events.services."""

import csv
from datetime import timedelta

from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from ecosystem.admin_tools import csv_export_action
from ecosystem.errors import DomainError

from . import services
from .forms import EventChangeForm
from .models import (
    AgendaToken,
    CooperationProfile,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSession,
    MeetingSlot,
    Registration,
    SchedulerRun,
    Unavailability,
)
from .views import _csv_cell


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["user", "organisation", "status", "queue_number", "code", "created_at",
              "checked_in_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    ordering = ["status", "queue_number", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class MeetingSessionInline(admin.TabularInline):
    model = MeetingSession
    extra = 0
    fields = ["name", "starts_at", "slot_minutes", "break_minutes", "slot_count", "tables"]


def _report(modeladmin, request, done, errors):
    if done:
        modeladmin.message_user(request, ngettext("%(n)d event changed.", "%(n)d events changed.",
                                                  done) % {"n": done}, messages.SUCCESS)
    for event, exc in errors:
        modeladmin.message_user(request, f"{event}: {exc.message}", messages.ERROR)


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("week", _("In the next 7 days")), ("future", _("Upcoming")),
                ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "week":
            return queryset.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7))
        if self.value() == "future":
            return queryset.filter(starts_at__gte=now)
        if self.value() == "past":
            return queryset.filter(starts_at__lt=now)
        return queryset


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ["title", "starts_at", "kind", "mode", "city", "status", "publication",
                    "capacity", "matchmaking"]
    list_filter = [WhenFilter, "publication", "status", "kind", "mode", "matchmaking", "language",
                   ("city", admin.RelatedOnlyFieldListFilter), "themes"]
    search_fields = ["title", "summary", "description", "venue_name", "organisers__name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisers", "city", "project", "programme"]
    filter_horizontal = ["themes"]
    readonly_fields = ["sequence", "status", "status_reason", "publication", "published_at",
                       "proposed_by", "created_at", "updated_at"]
    inlines = [MeetingSessionInline, RegistrationInline]
    actions = ["publish", "change_status", "export_attendance", "run_scheduler",
               "publish_schedule"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "kind", "language",
                           "organisers", "themes", "project", "programme"]}),
        (_("Time"), {"fields": ["starts_at", "ends_at", "time_zone"]}),
        (_("Place"), {"fields": ["mode", "venue_name", "street_address", "postal_code", "city",
                                 "latitude", "longitude", "online_url"]}),
        (_("Registration"), {"fields": ["registration_required", "capacity",
                                        "registration_opens_at", "registration_closes_at",
                                        "matchmaking"]}),
        (_("State"), {"fields": ["publication", "published_at", "status", "status_reason",
                                 "review_note", "sequence", "proposed_by", "created_at",
                                 "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            services.event_record_edit(event=obj, actor=request.user,
                                       changed=list(form.changed_data))

    def save_formset(self, request, form, formset, change):
        if formset.model is not MeetingSession:
            return super().save_formset(request, form, formset, change)
        sessions = formset.save(commit=False)
        for session in formset.deleted_objects:
            try:
                services.session_delete(session=session, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        for session in sessions:
            try:
                services.session_save(session=session, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        formset.save_m2m()

    @admin.action(description=_("Publish the selected events"))
    def publish(self, request, queryset):
        done, errors = 0, []
        for event in queryset:
            try:
                services.event_publish(event=event, actor=request.user)
                done += 1
            except DomainError as exc:
                errors.append((event, exc))
        _report(self, request, done, errors)

    @admin.action(description=_("Cancel, postpone or move online (asks for the reason)"))
    def change_status(self, request, queryset):
        form = EventChangeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            done, errors = 0, []
            for event in queryset:
                try:
                    if data["change"] == "cancel":
                        services.event_cancel(event=event, actor=request.user,
                                              reason=data["reason"])
                    elif data["change"] == "postpone":
                        services.event_postpone(event=event, actor=request.user,
                                                reason=data["reason"],
                                                starts_at=data.get("starts_at"),
                                                ends_at=data.get("ends_at"))
                    else:
                        services.event_move_online(event=event, actor=request.user,
                                                   reason=data["reason"],
                                                   online_url=data.get("online_url") or "")
                    done += 1
                except DomainError as exc:
                    errors.append((event, exc))
            _report(self, request, done, errors)
            return None
        return render(request, "events/admin/event_change_status.html", {
            **self.admin_site.each_context(request), "title": _("Change the selected events"),
            "events": queryset, "form": form, "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description=_("Export the attendance of the selected events (CSV)"))
    def export_attendance(self, request, queryset):
        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        registrations = (Registration.objects.filter(event__in=queryset)
                         .exclude(status=Registration.Status.CANCELLED)
                         .select_related("event", "user", "organisation")
                         .order_by("event__starts_at", "status", "user__email"))

        def rows():
            yield writer.writerow(["event", "name", "email", "organisation", "status", "code",
                                   "registered", "checked_in"])
            for r in registrations.iterator(chunk_size=1000):
                yield writer.writerow([_csv_cell(v) for v in (
                    r.event.title, r.user.get_full_name(), r.user.email, r.organisation or "",
                    r.get_status_display(), r.code, r.created_at.isoformat(timespec="minutes"),
                    r.checked_in_at.isoformat(timespec="minutes") if r.checked_in_at else "")])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="attendance-{timezone.now():%Y%m%d-%H%M}.csv"')
        return response

    @admin.action(description=_("Run the B2B meeting scheduler"))
    def run_scheduler(self, request, queryset):
        errors = []
        for event in queryset:
            try:
                services.scheduler_start(event=event, actor=request.user)
            except DomainError as exc:
                errors.append((event, exc))
                continue
            self.message_user(request, format_html(
                _("Scheduler started for {event}: <a href=\"{url}\">follow its progress and "
                  "see the result on the scheduler page</a>."),
                event=event.title, url=reverse("events:scheduler", kwargs={"slug": event.slug})),
                messages.SUCCESS)
        _report(self, request, 0, errors)

    @admin.action(description=_("Publish the placed B2B meetings"))
    def publish_schedule(self, request, queryset):
        for event in queryset:
            try:
                count = services.schedule_publish(event=event, actor=request.user)
                self.message_user(request, f"{event}: {count}", messages.SUCCESS)
            except DomainError as exc:
                self.message_user(request, f"{event}: {exc.message}", messages.ERROR)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status", "queue_number", "organisation", "code",
                    "created_at", "checked_in_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "user__email", "user__full_name", "event__title",
                     "organisation__name"]
    list_select_related = ["user", "event", "organisation"]
    readonly_fields = ["event", "user", "organisation", "code", "status", "queue_number",
                       "created_at", "promoted_at", "cancelled_at", "checked_in_at",
                       "checked_in_by"]
    actions = [
        "check_in", "cancel",
        csv_export_action(["event", "user", "organisation", "status", "code", "created_at",
                           "checked_in_at"], filename="attendance",
                          description=_("Export attendance (CSV)")),
    ]

    def has_add_permission(self, request):
        return False  # people register themselves; staff never overfill an event by hand

    @admin.action(description=_("Check in the selected people"))
    def check_in(self, request, queryset):
        for registration in queryset.select_related("event"):
            try:
                services.registration_check_in(event=registration.event, code=registration.code,
                                               actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{registration}: {exc.message}", messages.WARNING)

    @admin.action(description=_("Cancel the selected registrations (promotes the waiting list)"))
    def cancel(self, request, queryset):
        for registration in queryset:
            try:
                services.registration_cancel(registration=registration, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{registration}: {exc.message}", messages.WARNING)


@admin.register(CooperationProfile)
class CooperationProfileAdmin(admin.ModelAdmin):
    list_display = ["title", "direction", "type", "user", "organisation", "event", "is_active"]
    list_filter = ["direction", "type", "is_active", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "event", "status", "created_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["requester__email", "recipient__email", "message"]
    readonly_fields = ["event", "requester", "recipient", "profile", "message", "status",
                       "created_at", "responded_at", "cancelled_by"]

    def has_add_permission(self, request):
        return False


@admin.register(MeetingSession)
class MeetingSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "starts_at", "slot_count", "slot_minutes", "tables"]
    search_fields = ["name", "event__title"]
    autocomplete_fields = ["event"]

    def save_model(self, request, obj, form, change):
        services.session_save(session=obj, actor=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        session = self.get_object(request, object_id)
        if session is not None and request.method == "POST":
            try:
                services.session_delete(session=session, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return redirect(reverse("admin:events_meetingsession_change", args=[session.pk]))
            self.message_user(request, _("The meeting session was deleted."), messages.SUCCESS)
            return redirect(reverse("admin:events_meetingsession_changelist"))
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        for session in queryset:
            try:
                services.session_delete(session=session, actor=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ["session", "number", "starts_at", "ends_at"]
    list_filter = [("session__event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["session__name", "session__event__title"]
    autocomplete_fields = ["session"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "event", "slot", "table", "published", "unplaced_reason"]
    list_filter = ["published", "unplaced_reason", ("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["request__requester", "request__recipient", "event", "slot__session"]
    autocomplete_fields = ["request", "slot", "event"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["user", "slot"]
    autocomplete_fields = ["user", "slot"]


@admin.register(SchedulerRun)
class SchedulerRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "progress", "meetings", "placed", "bound", "created_at",
                    "finished_at", "scheduler_page"]
    list_filter = ["status"]
    list_select_related = ["event"]
    readonly_fields = [*(f.name for f in SchedulerRun._meta.fields), "scheduler_page"]

    @admin.display(description=_("progress and result"))
    def scheduler_page(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("events:scheduler", kwargs={"slug": obj.event.slug}),
                           _("scheduler page"))

    def has_add_permission(self, request):
        return False


@admin.register(AgendaToken)
class AgendaTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
