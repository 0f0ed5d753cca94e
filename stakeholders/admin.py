from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from ecosystem.admin_tools import csv_export_action
from ecosystem.errors import DomainError

from . import services
from .models import City, Competence, Invitation, Membership, Organisation

LAST_ADMIN = _("An organisation keeps at least one administrator: make someone else "
               "administrator first.")


def _other_admins(membership: Membership):
    return Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
    ).exclude(pk=membership.pk)


class MembershipInlineFormSet(BaseInlineFormSet):
    """Staff editing memberships inline never leave an organisation without an admin."""

    def clean(self):
        super().clean()
        had_admin = any(form.instance.pk and form.initial.get("role") == Membership.Role.ADMIN
                        for form in self.forms)
        keeps_admin = any(
            form.cleaned_data and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Membership.Role.ADMIN
            for form in self.forms
        )
        if had_admin and not keeps_admin:
            raise ValidationError(LAST_ADMIN)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "is_public", "created_at"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if (instance.pk and Membership.objects.filter(pk=instance.pk, role=Membership.Role.ADMIN).exists()
                and cleaned.get("role") != Membership.Role.ADMIN
                and not _other_admins(instance).exists()):
            raise ValidationError(LAST_ADMIN)
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_public", "created_at"]
    readonly_fields = ["created_at"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "status", "invited_by", "created_at", "expires_at", "accepted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "helix", "country", "city", "verified", "member_count",
                    "created_at"]
    list_filter = ["verified", "helix", "kind", "country", "size", "themes",
                   ("city", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description", "nuts_region", "website"]
    list_select_related = ["city"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["city", "cluster_members", "competences", "created_by"]
    filter_horizontal = ["themes"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified", "verified_at", "created_at", "updated_at"]
    inlines = [MembershipInline, InvitationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "helix", "size", "employees"]}),
        (_("Where"), {"fields": ["country", "nuts_region", "city"]}),
        (_("Profile"), {"fields": ["website", "description", "logo", "themes", "competences"]}),
        (_("Cluster"), {"fields": ["cluster_members"], "classes": ["collapse"]}),
        (_("Verification"), {"fields": ["verified", "verified_at", "created_by", "created_at",
                                        "updated_at"]}),
    ]
    actions = [
        "verify", "unverify",
        csv_export_action(["name", "slug", "helix", "kind", "country", "nuts_region", "city",
                           "website", "size", "employees", "verified", "verified_at",
                           "created_at"], filename="organisations"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                services.membership_record_admin_edit(
                    membership=deleted.instance, actor=request.user, verb="deleted")
        edited = [(f, f.instance.pk is None, list(f.changed_data)) for f in formset.forms
                  if f not in formset.deleted_forms and f.has_changed()]
        super().save_formset(request, form, formset, change)
        for inline_form, added, fields in edited:
            services.membership_record_admin_edit(
                membership=inline_form.instance, actor=request.user,
                verb="added" if added else "changed", fields=fields)

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count

    def _set_verified(self, request, queryset, verified: bool):
        done = 0
        for organisation in queryset:
            try:
                services.organisation_verify(
                    organisation=organisation, actor=request.user, verified=verified
                )
            except DomainError as exc:
                self.message_user(request, f"{organisation}: {exc.message}", messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(description=_("Verify the selected organisations"),
                  permissions=["change"])
    def verify(self, request, queryset):
        done = self._set_verified(request, queryset, True)
        self.message_user(request, ngettext("%d organisation verified.",
                                            "%d organisations verified.", done) % done,
                          messages.SUCCESS)

    @admin.action(description=_("Mark the selected organisations as unverified"),
                  permissions=["change"])
    def unverify(self, request, queryset):
        done = self._set_verified(request, queryset, False)
        self.message_user(request, ngettext("%d organisation marked unverified.",
                                            "%d organisations marked unverified.", done) % done,
                          messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "is_public", "created_at"]
    list_filter = ["role", "is_public", "organisation__helix"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    date_hierarchy = "created_at"
    actions = [csv_export_action(["user", "organisation", "role", "is_public", "created_at"],
                                 filename="memberships")]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or form.changed_data:
            services.membership_record_admin_edit(
                membership=obj, actor=request.user, verb="changed" if change else "added",
                fields=form.changed_data)

    def delete_model(self, request, obj):
        services.membership_record_admin_edit(membership=obj, actor=request.user,
                                              verb="deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("organisation"):
            services.membership_record_admin_edit(membership=membership, actor=request.user,
                                                  verb="deleted")
        super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        chosen = {membership.pk for membership in objs}
        for membership in objs:
            if membership.role == Membership.Role.ADMIN and not _other_admins(membership).exclude(
                pk__in=chosen
            ).exists():
                protected.append(_("%(membership)s: the last administrator of %(organisation)s")
                                 % {"membership": membership, "organisation": membership.organisation})
        return deleted, counts, perms_needed, protected


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "invited_by", "created_at",
                    "expires_at", "accepted_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    autocomplete_fields = ["organisation", "invited_by"]
    date_hierarchy = "created_at"
    actions = ["resend", "revoke", csv_export_action(["email", "organisation", "role", "status",
                                            "invited_by", "created_at", "expires_at",
                                            "accepted_at"], filename="invitations")]

    def has_add_permission(self, request):
        # Invitations are sent from the members page so the e-mail goes out and it is audited.
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Invitation._meta.fields]

    @admin.action(description=_("Send the selected invitations again (valid for 7 more days)"),
                  permissions=["change"])
    def resend(self, request, queryset):
        done = 0
        for invitation in queryset.select_related("organisation"):
            try:
                services.invitation_resend(invitation=invitation, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, ngettext("%d invitation sent again.",
                                            "%d invitations sent again.", done) % done)

    @admin.action(description=_("Withdraw the selected invitations"), permissions=["change"])
    def revoke(self, request, queryset):
        done = 0
        for invitation in queryset.select_related("organisation"):
            try:
                services.invitation_revoke(invitation=invitation, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, ngettext("%d invitation withdrawn.",
                                            "%d invitations withdrawn.", done) % done)


@admin.register(City)
class CityAdmin(TranslationAdmin):
    list_display = ["name", "country", "nuts_region", "population", "is_mentor", "authority"]
    list_filter = ["is_mentor", "country"]
    search_fields = ["name", "slug", "nuts_region"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [csv_export_action(["name", "slug", "country", "nuts_region", "population",
                                  "is_mentor", "latitude", "longitude", "authority"],
                                 filename="cities")]


@admin.register(Competence)
class CompetenceAdmin(TranslationAdmin):
    list_display = ["name", "slug", "organisation_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [csv_export_action(["name", "slug"], filename="competences")]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organisations=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="_organisations")
    def organisation_count(self, obj):
        return obj._organisations
