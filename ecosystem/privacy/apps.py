from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ecosystem.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from . import contrib, tasks  # noqa: F401 - tasks the outbox publishes by name

        contrib.register()
        contrib.register_notification_kinds()
