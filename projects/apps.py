from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects, pilots and programmes")

    def ready(self):
        from .staff import register as register_staff

        register_staff()
        from ecosystem.sections import home_sections

        from .sections import running_pilots

        home_sections.register("projects.running_pilots", running_pilots)

        from . import privacy
        privacy.register()
        from . import opendata
        opendata.register_datasets()
        from .matching import register as register_matching

        register_matching()
        from ecosystem.notifications import registry
        from ecosystem.notifications.registry import Frequency, NotificationKind

        for key, label, frequency in [
            ("pilot_update", _("News from a pilot you follow"), Frequency.DAILY),
            ("project_update", _("Progress of a project you follow"), Frequency.WEEKLY),
            ("feedback_published", _("Your feedback on a pilot was published"), Frequency.INSTANT),
            ("feedback_rejected", _("Your feedback on a pilot was not published"), Frequency.INSTANT),
            ("feedback_waiting", _("Citizens' feedback waits for your moderation"), Frequency.DAILY),
            ("roadmap_comment", _("A comment on your city's roadmap"), Frequency.INSTANT),
            ("roadmap_update", _("Progress in a programme or city dashboard you follow"),
             Frequency.WEEKLY),
            ("partner_contact", _("A consortium would like your organisation as a partner"),
             Frequency.INSTANT),
            ("partner_interest", _("An organisation answers your project's call for partners"),
             Frequency.INSTANT),
        ]:
            registry.register(NotificationKind(
                key=f"projects.{key}", label=label, default_frequency=frequency,
                template=f"projects/notifications/{key}",
            ))
        register_followable = getattr(registry, "register_followable", None)
        if register_followable is not None:
            from . import permissions
            from .models import Pilot, Programme, Project, Roadmap

            register_followable(Project, visible_to=permissions.projects_visible_to)
            register_followable(Pilot, visible_to=permissions.pilots_visible_to)
            register_followable(Programme, visible_to=permissions.programmes_visible_to)
            # A city's dashboard in a programme is its roadmap.
            register_followable(Roadmap, visible_to=permissions.roadmaps_visible_to)

        from .search import register_search

        register_search()
