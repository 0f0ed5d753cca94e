from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        from ecosystem.notifications.registry import (
            Frequency,
            NotificationKind,
            register,
            register_followable,
        )

        from . import profile  # noqa: F401  (registers the built-in profile section)
        from .matching import register as register_matching

        register_matching()
        from .models import Organisation

        register_followable(Organisation)

        register(NotificationKind(
            key="stakeholders.organisation_verified",
            label=_("City staff verified your organisation"),
            default_frequency=Frequency.INSTANT,
            template="stakeholders/notifications/organisation_verified",
        ))
        register(NotificationKind(
            key="stakeholders.member_joined",
            label=_("A colleague joined your organisation"),
            default_frequency=Frequency.DAILY,
            template="stakeholders/notifications/member_joined",
        ))
