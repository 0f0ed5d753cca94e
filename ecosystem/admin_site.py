"""The admin as city staff's workplace: a "what needs me" dashboard as the index and the
models grouped by task, with technical models (schedules, tokens, outbox) for superusers only.

The groups and the dashboard counters come from ``ecosystem.staff``, filled in by each app.
"""

from django.contrib import admin
from django.utils import timezone

from .admin_tools import StaffFormDefaults
from .staff import GROUPS, admin_groups, staff_tasks


class StaffAdminSite(admin.AdminSite):
    index_template = "admin/staff_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin gets the staff form defaults (dates, slugs, time zones, maps)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, StaffFormDefaults):
            admin_class = type(admin_class.__name__, (StaffFormDefaults, admin_class),
                               {"__module__": admin_class.__module__,
                                "__doc__": admin_class.__doc__})
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        show_technical = request.user.is_active and request.user.is_superuser
        for app in app_list:
            app["models"] = [
                model for model in app["models"]
                if show_technical or not admin_groups.is_technical(app["app_label"],
                                                                   model["object_name"].lower())
            ]
        app_list = [app for app in app_list if app["models"]]
        if app_label:
            return app_list
        return self._grouped(app_list)

    @staticmethod
    def _grouped(app_list):
        groups = {group.key: {"name": group.title, "app_label": group.key, "app_url": "",
                              "has_module_perms": True, "models": [], "order": group.order}
                  for group in GROUPS}
        for app in app_list:
            for model in app["models"]:
                group = admin_groups.group_of(app["app_label"], model["object_name"].lower())
                groups[group.key]["models"].append(model)
        for group in groups.values():
            group["models"].sort(key=lambda model: str(model["name"]).lower())
        return [group for group in sorted(groups.values(), key=lambda g: g["order"])
                if group["models"]]

    def index(self, request, extra_context=None):
        tasks = staff_tasks.build(viewer=request.user, now=timezone.now())
        return super().index(request, {"staff_tasks": tasks, **(extra_context or {})})

