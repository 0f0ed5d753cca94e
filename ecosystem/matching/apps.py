from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "ecosystem.matching"
    label = "matching"
    verbose_name = _("Matchmaking")

    def ready(self):
        from ecosystem.notifications.registry import Frequency, NotificationKind, register
        from ecosystem.sections import home_sections

        from . import privacy, tasks  # noqa: F401 - tasks: registers what the outbox queues

        privacy.register()
        from django.db.models.signals import post_save

        from ecosystem.notifications.models import Follow

        post_save.connect(_followed, sender=Follow, dispatch_uid="matching.followed")
        from .sections import for_you

        home_sections.register("matching.for_you", for_you)
        register(NotificationKind(
            key="matching.call_match", label=_("A new call matches your organisation"),
            default_frequency=Frequency.DAILY, template="matching/notifications/call_match",
            personal=False,
        ))
        register(NotificationKind(
            key="matching.event_match", label=_("A new event matches your organisation"),
            default_frequency=Frequency.WEEKLY, template="matching/notifications/event_match",
            personal=False,
        ))


def _followed(sender, instance, created, **kwargs):
    """Someone followed an event, project, pilot or organisation: what it is about joins
    their interests (people who act for no organisation get recommendations of their own)."""
    if created:
        from .services import queue_people_refresh

        queue_people_refresh(user_ids=[instance.user_id])
