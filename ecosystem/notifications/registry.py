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

Apps also say which of their models people may follow (``POST /notifications/follow/`` and the
``notifications/includes/follow_button.html`` include accept only those)::

    register_followable(Event)
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
    # False for kinds people cannot choose a frequency for (e.g. the digest e-mail itself).
    user_configurable: bool = True
    # False when the templates never use ``recipient``: rendered once per language, not once
    # per person (a new call matching thousands of organisations).
    personal: bool = True


_KINDS: dict[str, NotificationKind] = {}
_FOLLOWABLE: dict[str, tuple[type, object]] = {}


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


def register_followable(model: type, *, visible_to=None) -> type:
    """Let people follow instances of ``model``. ``visible_to(user) -> QuerySet`` limits what
    a person may follow to what they may see (e.g. no draft calls); default: every row."""
    _FOLLOWABLE[model._meta.label_lower] = (model, visible_to)
    return model


def followable_model(label: str) -> type | None:
    """The followable model for ``"app_label.modelname"``, or None."""
    entry = _FOLLOWABLE.get(str(label).lower())
    return entry[0] if entry else None


def followable_queryset(label: str, user):
    """The objects of that followable model ``user`` may follow, or None if not followable."""
    entry = _FOLLOWABLE.get(str(label).lower())
    if entry is None:
        return None
    model, visible_to = entry
    return visible_to(user) if visible_to else model._default_manager.all()


def is_followable(obj) -> bool:
    return obj is not None and followable_model(obj._meta.label_lower) is not None


def configurable_kinds() -> list[NotificationKind]:
    return [kind for kind in all_kinds() if kind.user_configurable]
