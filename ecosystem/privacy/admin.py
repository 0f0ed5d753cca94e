"""Staff side of personal data rights: exports for data subject requests (an action on
people, audited), the list of exports with their download links, and erasures."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import DataExport, Erasure


@admin.action(description=_("Export personal data (data subject request)"))
def export_personal_data(modeladmin, request, queryset):
    exports = [services.export_request(user=user, actor=request.user) for user in queryset]
    modeladmin.message_user(request, ngettext(
        "%(count)d export is being prepared: download it from Personal data › Data exports.",
        "%(count)d exports are being prepared: download them from Personal data › Data exports.",
        len(exports)) % {"count": len(exports)}, messages.SUCCESS)


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "requested_by", "status", "progress", "created_at",
                    "expires_at", "download"]
    list_filter = ["status"]
    list_select_related = ["user", "requested_by"]
    search_fields = ["user__email"]

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != DataExport.Status.READY or obj.is_expired or not obj.requested_by_id:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.download_url(), _("Download"))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in DataExport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["needles"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "status", "counts", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
