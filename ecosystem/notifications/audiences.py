"""Who a staff announcement can reach. The platform knows people, not organisations: the app
that holds organisations (``stakeholders``) registers, in its ``AppConfig.ready()``, the
filters it offers (helix, kind, country: a field of ``Announcement`` and its choices) and how
to read the people an announcement reaches::

    audiences.register(audiences.AnnouncementAudience(
        choices={"helix": lambda: Helix.choices, ...},
        people=announcement_people,        # (announcement) -> QuerySet of active users
    ))

Without a registered audience an announcement reaches everyone (``all_people``) or nobody.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class AnnouncementAudience:
    people: Callable
    choices: dict[str, Callable[[], list]] = field(default_factory=dict)


_AUDIENCE: list[AnnouncementAudience] = []


def register(audience: AnnouncementAudience) -> AnnouncementAudience:
    _AUDIENCE[:] = [audience]
    return audience


def choices(name: str) -> list:
    """The choices the registered audience offers for the announcement field ``name``."""
    if not _AUDIENCE or name not in _AUDIENCE[0].choices:
        return []
    return list(_AUDIENCE[0].choices[name]())


def people(announcement):
    """The active people ``announcement`` goes to."""
    users = get_user_model().objects.filter(is_active=True)
    if announcement.all_people:
        return users
    if not _AUDIENCE:
        return users.none()
    return _AUDIENCE[0].people(announcement)
