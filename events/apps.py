from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

NOTIFICATION_KINDS = [
    # key suffix, label, frequency
    ("registration_confirmed", _("Your event registration is confirmed"), "instant"),
    ("registration_waiting", _("You are on an event's waiting list"), "instant"),
    ("registration_promoted", _("A place became free: your registration is confirmed"),
     "instant"),
    ("event_changed", _("An event you registered for changed"), "instant"),
    ("event_cancelled", _("An event you registered for was cancelled"), "instant"),
    ("event_reminder", _("Reminder: your event starts within 24 hours"), "instant"),
    ("event_proposed", _("An organisation proposed an event"), "daily"),
    ("proposal_reviewed", _("Your event proposal was reviewed"), "instant"),
    ("meeting_requested", _("Someone asks you for a B2B meeting"), "instant"),
    ("meeting_accepted", _("Your B2B meeting request was accepted"), "instant"),
    ("meeting_declined", _("Your B2B meeting request was declined"), "daily"),
    ("meeting_cancelled", _("A B2B meeting was cancelled"), "instant"),
    ("agenda_published", _("Your B2B meeting agenda is ready"), "instant"),
]


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from .staff import register as register_staff

        register_staff()
        from ecosystem.sections import PersonalLink, home_sections, personal_links, portal_sections

        from . import tasks  # noqa: F401 - registers the tasks services queue by name
        from .sections import my_registrations, upcoming_events

        home_sections.register("events.upcoming", upcoming_events)
        portal_sections.register("events.my_registrations", my_registrations)
        for key, label, url_name, order in [
            ("registrations", _("My registrations"), "events:my-registrations", 10),
            ("meetings", _("My B2B meetings"), "events:my-meetings", 11),
            ("agenda", _("My agenda"), "events:agenda", 12),
        ]:
            personal_links.register(PersonalLink(key=f"events.{key}", label=label,
                                                 url_name=url_name, order=order))

        from . import privacy
        privacy.register()
        from . import opendata
        opendata.register_datasets()
        from .matching import register as register_matching

        register_matching()
        from ecosystem.notifications import registry
        from ecosystem.notifications.registry import Frequency, NotificationKind

        for name, label, frequency in NOTIFICATION_KINDS:
            registry.register(NotificationKind(
                key=f"events.{name}", label=label, default_frequency=Frequency(frequency),
                template=f"events/notifications/{name}",
            ))
        from .models import Event
        from .permissions import events_visible_to

        register_followable = getattr(registry, "register_followable", None)
        if register_followable is not None:
            register_followable(Event, visible_to=events_visible_to)

        from .search import register_search

        register_search()
