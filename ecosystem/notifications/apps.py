from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ecosystem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from ecosystem.sections import PersonalLink, personal_links, portal_sections

        from . import privacy, tasks  # noqa: F401 - tasks: the outbox publishes them by name
        from .registry import Frequency, NotificationKind, register
        from .sections import followed

        portal_sections.register("notifications.followed", followed)
        personal_links.register(PersonalLink(
            key="notifications.preferences", label=_("Notification settings"),
            url_name="notifications:preferences", order=90))

        register(NotificationKind(
            key="notifications.announcement",
            label=_("Announcements from the portal team"),
            default_frequency=Frequency.INSTANT,
            template="notifications/notifications/announcement",
        ))
        register(NotificationKind(
            key="notifications.digest",
            label=_("Your digest"),
            default_frequency=Frequency.INSTANT,
            template="notifications/notifications/digest",
            user_configurable=False,
        ))
        privacy.register()
