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

        from . import (
            profile,  # noqa: F401  (registers the built-in profile section)
            tasks,  # noqa: F401 - registers the task the outbox publishes by name
        )
        from .models import Organisation

        register_followable(Organisation)

        from ecosystem.notifications import audiences

        from .models import Country, Helix, OrganisationKind
        from .selectors import announcement_people

        audiences.register(audiences.AnnouncementAudience(
            people=announcement_people,
            choices={"helix": lambda: Helix.choices,
                     "organisation_kind": lambda: OrganisationKind.choices,
                     "country": lambda: Country.choices},
        ))

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
