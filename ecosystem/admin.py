"""Admin for what every feature shares: people, the theme taxonomy and the audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import sealing
from .admin_tools import ReadOnlyAdminMixin, SealedRecordsAdminMixin, csv_export_action
from .api.auth import tokens_revoke
from .models import AuditEntry, Theme, User
from .privacy.admin import export_personal_data


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People log in with their e-mail address: there is no username."""

    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "job_title", "is_staff", "is_active", "date_joined",
                    "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "full_name", "job_title"]
    ordering = ["email"]
    date_hierarchy = "date_joined"
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "job_title", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"]}),
    ]
    actions = [csv_export_action(["email", "full_name", "job_title", "language", "is_staff",
                                  "is_active", "date_joined", "last_login"], filename="people"),
               export_personal_data]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            tokens_revoke(user=self.get_object(request, id))  # a new password ends its tokens
        return response


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "group"]
    list_filter = ["group"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [csv_export_action(["name", "slug", "group", "description"], filename="themes")]


@admin.register(AuditEntry)
class AuditEntryAdmin(SealedRecordsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail is evidence: staff read and export it, nobody edits or deletes it.
    Entries about a sealed application are left out until its call's deadline, and the asker
    of a clarification question is never named."""

    sealing_kind_field = "action"
    list_display = ["created_at", "action", "who", "target_type", "target_repr"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "target_type"]
    search_fields = ["action", "target_repr", "actor__email", "target_id"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    fields = ["created_at", "action", "who", "target_type", "target_id", "target_repr",
              "changes"]
    readonly_fields = fields
    actions = [csv_export_action(["created_at", "action", "who", "target_type", "target_id",
                                  "target_repr", "changes"], filename="audit")]

    @admin.display(description=_("actor"))
    def who(self, obj):
        if sealing.actor_hidden(obj):
            return _("(not shown)")
        return obj.actor or _("the system")

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        for bit in search_term.split():
            # Whoever asked a question is not found by their e-mail address either.
            results = results.exclude(sealing.actor_hidden_q() & Q(actor__email__icontains=bit))
        return results, duplicates
