from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ecosystem.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from ecosystem.notifications.registry import Frequency, NotificationKind, register

        from . import privacy, tasks  # noqa: F401 - tasks: registers the beat task by name

        privacy.register()

        register(NotificationKind(
            key="search.saved_search_match",
            label=_("Something new matches one of your saved searches"),
            default_frequency=Frequency.DAILY,
            template="search/notifications/saved_search_match",
        ))
