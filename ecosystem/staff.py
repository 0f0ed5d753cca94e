"""What city staff see first in the admin: the "what needs me" counters and the task groups.

The admin site (``ecosystem.admin_site``) knows nothing about the feature apps, so each app
contributes in its ``AppConfig.ready()``:

- ``staff_tasks.register(key, builder)``: a builder takes ``viewer`` and ``now`` and returns a
  ``StaffTask`` (a count with the link to the filtered admin list or page that deals with it)
  or ``None`` (not for this viewer). Keep each builder to one query.
- ``admin_groups.place_app(app_label, group)`` and ``admin_groups.place(group, models,
  technical=...)``: the task group ("procurement", "events", ...) that shows the app's models
  in the admin index; ``technical=True`` models (tokens, outbox, schedules) are shown to
  superusers only. Hiding is display only: a model admin's own permissions still decide access.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StaffTask:
    title: str
    count: int
    url: str
    order: int = 100
    key: str = ""
    help: str = ""


StaffTaskBuilder = Callable[..., StaffTask | None]


class StaffTaskRegistry:
    def __init__(self):
        self._builders: dict[str, StaffTaskBuilder] = {}

    def register(self, key: str, builder: StaffTaskBuilder) -> None:
        self._builders[key] = builder

    def build(self, **kwargs) -> list[StaffTask]:
        tasks = []
        for key, builder in self._builders.items():
            task = builder(**kwargs)
            if task is not None:
                tasks.append(task if task.key else replace(task, key=key))
        return sorted(tasks, key=lambda task: (task.order, task.key))


staff_tasks = StaffTaskRegistry()


@dataclass(frozen=True)
class AdminGroup:
    key: str
    title: str
    order: int


GROUPS = [
    AdminGroup("programmes", _("Programmes and projects"), 10),
    AdminGroup("events", _("Events"), 20),
    AdminGroup("procurement", _("Procurement"), 30),
    AdminGroup("organisations", _("Organisations and people"), 40),
    AdminGroup("communication", _("Communication"), 50),
    AdminGroup("records", _("Records"), 60),
    AdminGroup("other", _("Other"), 80),
    AdminGroup("technical", _("Technical (superusers only)"), 90),
]


class AdminGroupRegistry:
    """Where each model ("app_label.model_name") appears in the admin index."""

    def __init__(self):
        self._groups = {group.key: group for group in GROUPS}
        self._placed: dict[str, str] = {}
        self._app_groups: dict[str, str] = {}
        self._technical: set[str] = set()
        self._technical_apps: set[str] = set()

    def place(self, group: str, models: Iterable[str], *, technical: bool = False) -> None:
        if group not in self._groups:
            raise KeyError(f"Unknown admin group {group!r}")
        for label in models:
            label = label.lower()
            self._placed[label] = group
            if technical:
                self._technical.add(label)

    def place_app(self, app_label: str, group: str) -> None:
        """Every model of the app not placed otherwise goes to ``group``."""
        if group not in self._groups:
            raise KeyError(f"Unknown admin group {group!r}")
        self._app_groups[app_label] = group

    def technical_app(self, app_label: str) -> None:
        """Every model of a (third-party) app is technical: periodic tasks, tokens, sites."""
        self._technical_apps.add(app_label)

    def is_technical(self, app_label: str, model_name: str) -> bool:
        return (app_label in self._technical_apps
                or f"{app_label}.{model_name}".lower() in self._technical)

    def group_of(self, app_label: str, model_name: str) -> AdminGroup:
        if self.is_technical(app_label, model_name):
            return self._groups["technical"]
        key = self._placed.get(f"{app_label}.{model_name}".lower(),
                               self._app_groups.get(app_label, "other"))
        return self._groups[key]


admin_groups = AdminGroupRegistry()
# Django's and the libraries' internals: schedules, API tokens, sites, sign-in records.
for _app in ("django_celery_beat", "authtoken", "sites", "account", "socialaccount"):
    admin_groups.technical_app(_app)
admin_groups.place("organisations", ["ecosystem.user", "auth.group"])
admin_groups.place("records", ["ecosystem.theme"])
admin_groups.place("records", ["ecosystem.auditentry"], technical=True)
admin_groups.place_app("notifications", "communication")
admin_groups.place("communication", ["notifications.outboxmessage", "notifications.emaildelivery",
                                     "notifications.digestdelivery", "notifications.follow",
                                     "notifications.preference"], technical=True)
# Data subject requests (exports staff produced, erasures done) are records of the portal.
admin_groups.place_app("privacy", "records")


# --- The "City staff" group ----------------------------------------------------------------

CITY_STAFF_GROUP = "City staff"
# Who may grant rights stays with superusers: a staff member who could edit people or groups
# could make themselves a superuser. City staff see people, and change nothing about them.
PRIVILEGE_MODELS = {"ecosystem.user": {"view"}, "auth.group": set(), "auth.permission": set()}


def city_staff_permissions():
    """The permissions of every task model in the admin (not the technical ones)."""
    from django.contrib import admin
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    wanted = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        if admin_groups.is_technical(model._meta.app_label, model._meta.model_name):
            continue
        actions = PRIVILEGE_MODELS.get(label, {"view", "add", "change", "delete"})
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        wanted += [(content_type, f"{action}_{model._meta.model_name}") for action in actions]
    by_type: dict = {}
    for content_type, codename in wanted:
        by_type.setdefault(content_type.pk, set()).add(codename)
    permissions = Permission.objects.none()
    for type_id, codenames in by_type.items():
        permissions |= Permission.objects.filter(content_type_id=type_id, codename__in=codenames)
    return permissions


def city_staff_group():
    """Create or bring up to date the group city staff (``is_staff``, not superusers) are put
    in: every task model of the admin, no technical model, no right to grant rights. Safe to
    run again after an upgrade (``manage.py city_staff_group``)."""
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=CITY_STAFF_GROUP)
    group.permissions.set(city_staff_permissions())
    return group
