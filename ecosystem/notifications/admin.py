from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecosystem.admin_tools import ReadOnlyAdminMixin, SealedRecordsAdminMixin, csv_export_action
from ecosystem.errors import DomainError

from . import audiences, outbox, selectors, services
from .models import (
    Announcement,
    DigestDelivery,
    EmailDelivery,
    Follow,
    Notification,
    OutboxMessage,
    Preference,
)


@admin.register(Notification)
class NotificationAdmin(SealedRecordsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """What a person was told: read-only history; nothing about a sealed application."""

    sealing_kind_field = "kind"
    list_display = ["subject", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "recipient__email", "dedupe_key"]
    fields = ["recipient", "kind", "subject", "body", "url", "target_type", "target_id",
              "created_at", "read_at"]
    readonly_fields = fields
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = [csv_export_action(["id", "recipient", "kind", "subject", "created_at", "read_at"])]


@admin.register(Follow)
class FollowAdmin(SealedRecordsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A person's choice, read-only; nobody sees who follows a call still open for
    applications (it tells who means to apply)."""

    sealing_kind = "follow"
    list_display = ["user", "target_type", "target_id", "created_at"]
    list_filter = ["target_type"]
    search_fields = ["user__email", "target_id"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "target_type"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "frequency", "updated_at"]
    list_filter = ["kind", "frequency"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Dead letter is visible here (filter by status) and can be retried. The e-mail of a
    notification about a sealed application is left out like the notification."""

    def get_queryset(self, request):
        return selectors.outbox_rows_visible_to(request.user, super().get_queryset(request))

    list_display = ["id", "task", "status", "attempts", "next_attempt_at", "created_at",
                    "short_error"]
    list_filter = ["status", "task"]
    search_fields = ["task", "last_error"]
    readonly_fields = ["task", "payload", "status", "attempts", "next_attempt_at", "created_at",
                       "published_at", "done_at", "last_error"]
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Retry the selected messages now"))
    def retry(self, request, queryset):
        count = outbox.outbox_retry(ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(request, ngettext("%(n)d message queued again.",
                                           "%(n)d messages queued again.", count) % {"n": count})

    def has_add_permission(self, request):
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(SealedRecordsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    sealing_path = "notification"
    sealing_kind_field = "kind"
    list_display = ["notification", "status", "reason", "created_at", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["notification"]
    readonly_fields = ["notification", "status", "reason", "created_at", "sent_at"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "frequency", "period_start", "status", "notification_count",
                    "sent_at"]
    list_filter = ["frequency", "status"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["user", "frequency", "period_start", "period_end", "status",
                       "notification_count", "created_at", "sent_at"]


AUDIENCE_FIELDS = ["helix", "organisation_kind", "country"]


class AnnouncementForm(forms.ModelForm):
    """The audience filters offer what the registered audience offers (``audiences``)."""

    class Meta:
        model = Announcement
        fields = ["subject", "body", "url", "all_people", *AUDIENCE_FIELDS, "themes",
                  "verified_only"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in AUDIENCE_FIELDS:
            if name in self.fields:
                model_field = Announcement._meta.get_field(name)
                self.fields[name] = forms.ChoiceField(
                    label=model_field.verbose_name, required=False,
                    choices=[("", "---------"), *audiences.choices(name)])


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ["subject", "status", "recipient_count", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "body"]
    filter_horizontal = ["themes"]
    readonly_fields = ["status", "recipient_count", "created_by", "created_at", "sent_at"]
    fieldsets = [
        (None, {"fields": ["subject", "body", "url"]}),
        (_("Audience"), {
            "fields": ["all_people", "helix", "organisation_kind", "themes", "country",
                       "verified_only"],
            "description": _("People who belong to an organisation matching every filter "
                             "you set (any of the themes). Tick “everyone” to reach all."),
        }),
        (_("Sending"), {"fields": ["status", "recipient_count", "created_by", "created_at",
                                   "sent_at"]}),
    ]
    actions = ["send"]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Send the selected announcements"))
    def send(self, request, queryset):
        for announcement in queryset:
            try:
                services.announcement_queue(announcement=announcement, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{announcement}: {error.message}", messages.ERROR)
                continue
            self.message_user(request, _(
                "“%(subject)s” is being sent in the background: its status and number of "
                "recipients below show the progress.") % {"subject": announcement.subject})
