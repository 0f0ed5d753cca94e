"""Admin for what every feature shares: people, the theme taxonomy and the audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .admin_tools import csv_export_action
from .models import AuditEntry, Theme, User


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
                                  "is_active", "date_joined", "last_login"], filename="people")]


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "group"]
    list_filter = ["group"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [csv_export_action(["name", "slug", "group", "description"], filename="themes")]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is evidence: staff read and export it, nobody edits or deletes it."""

    list_display = ["created_at", "action", "actor", "target_type", "target_repr"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "target_type"]
    search_fields = ["action", "target_repr", "actor__email", "target_id"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    actions = [csv_export_action(["created_at", "action", "actor", "target_type", "target_id",
                                  "target_repr", "changes"], filename="audit")]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
