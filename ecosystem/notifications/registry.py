"""The notification kinds. Each feature app registers its own in ``AppConfig.ready()``::

    register(NotificationKind(
        key="events.registration_confirmed",
        label=_("Your event registration is confirmed"),
        default_frequency=Frequency.INSTANT,
        template="events/notifications/registration_confirmed",
    ))

``template`` is a prefix: ``<template>.subject.txt`` (one line), ``<template>.txt`` (plain
text, also the web notification body) and optionally ``<template>.html`` (the e-mail's HTML
part). They are rendered with ``recipient``, ``target`` (the object, re-read at send time),
``site_url`` and the ``context`` dict that was passed to ``notify``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    INSTANT = "instant", _("Instantly")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Not by e-mail")


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    default_frequency: str
    template: str


_KINDS: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> NotificationKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}: register it first.") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)
