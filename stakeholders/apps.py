from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        from .staff import register as register_staff

        register_staff()
        from ecosystem.notifications.registry import (
            Frequency,
            NotificationKind,
            register,
            register_followable,
        )
        from ecosystem.sections import PersonalLink, personal_links, portal_sections

        from . import (  # noqa: F401 - profile: the built-in section; tasks: outbox task names
            privacy,
            profile,
            tasks,
        )
        from .sections import my_organisations

        portal_sections.register("stakeholders.my_organisations", my_organisations)

        personal_links.register(PersonalLink(
            key="stakeholders.organisations", label=_("My organisations"),
            url_name="stakeholders:my-organisations", order=30))
        from .matching import register as register_matching

        register_matching()
        from .models import Organisation
        from .permissions import organisations_visible_to

        register_followable(Organisation, visible_to=organisations_visible_to)
        privacy.register()
        from . import opendata
        opendata.register_datasets()

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
            key="stakeholders.organisation_news",
            label=_("News from an organisation you follow (a new call or event)"),
            default_frequency=Frequency.DAILY,
            template="stakeholders/notifications/organisation_news",
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

        from .search import register_search

        register_search()
