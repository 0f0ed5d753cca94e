"""django.contrib.admin with the staff site as the default ``admin.site``
(kept apart from ``admin_site`` so that loading the apps imports no admin code)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "ecosystem.admin_site.StaffAdminSite"
