"""What the portal stores about people, registered by the app that stores it.

Each app registers, in its ``AppConfig.ready()``, one entry per model:

* ``PersonalData`` for a model holding personal data: which fields are personal, how a
  person's rows are found (``person``: lookups to the user model), what they are for, who sees
  them, how they are erased (``DELETE`` the rows, ``ANONYMISE`` them with fixed values, ``KEEP``
  them because the law requires it, or a callable) and, for kept rows, the legal reason and
  how long they are kept. The privacy page, the "download my data" export and the account
  erasure are built from these entries.
* ``NotPersonal`` for a model whose fields look personal (see ``looks_personal``) but are not,
  with the reason (e.g. a city's ``name``).
* ``RetentionRule`` for rows that must go after a period (``settings.RETENTION_DAYS``).
* ``erase_blocker(callable)``: something that must happen before a person may erase their
  account (e.g. the sole administrator of an organisation hands over the role first).

``tests/privacy/test_registry.py`` walks every installed model and fails if one with a field
that looks personal is registered neither way, so a new model cannot be forgotten::

    # events/apps.py, in ready()
    from ecosystem.privacy.registry import PersonalData, register
    register(PersonalData(
        model=Registration, fields=("user", "organisation", "code", "checked_in_at"),
        purpose=_("Your place at an event and your check-in at the door."),
        seen_by=_("You, the event's organisers and portal staff."),
        erase=DELETE,
    ))
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import models

DELETE = "delete"
ANONYMISE = "anonymise"
KEEP = "keep"

# A field looks personal when it links to the user model, is an e-mail or IP address field,
# or one of the words of its name (split at "_") is in this list.
PERSONAL_WORDS = frozenset({
    "email", "mail", "phone", "mobile", "fax", "telephone", "name", "surname", "firstname",
    "lastname", "fullname", "username", "ip", "address", "birth", "birthday", "passport",
    "iban",
})


def looks_personal(model_field) -> bool:
    """The rule the registry test applies to every concrete field of every model."""
    if model_field.is_relation and model_field.related_model is not None:
        return model_field.related_model._meta.label == settings.AUTH_USER_MODEL
    if isinstance(model_field, models.EmailField | models.GenericIPAddressField):
        return True
    words = set(re.split(r"_+", model_field.name.lower()))
    return bool(words & PERSONAL_WORDS)


@dataclass(frozen=True)
class PersonalData:
    model: type[models.Model]
    # The fields that hold personal data (relations to the user model included).
    fields: tuple[str, ...]
    purpose: str
    seen_by: str
    # Lookups that find a person's rows, e.g. ("user",) or ("requester", "recipient");
    # default: every relation to the user model among ``fields``.
    person: tuple[str, ...] = ()
    # Override of how a person's rows are found: ``rows(user) -> QuerySet``.
    rows: Callable | None = None
    # Columns of the export (``values()`` lookups); default: "id" and ``fields``.
    export_fields: tuple[str, ...] = ()
    # DELETE, ANONYMISE (with ``anonymise``: field -> value), KEEP, or ``erase(user) -> int``.
    erase: str | Callable = DELETE
    anonymise: dict = field(default_factory=dict)
    # For rows (or parts) kept after erasure: why (the legal reason) and for how long.
    kept: str = ""
    kept_for: str = ""
    # How long the data lives otherwise (shown on the privacy page).
    retention: str = ""
    # False: the rows are removed or anonymised by erasure but not part of the export
    # (e.g. sessions, which hold nothing a person could read).
    exported: bool = True
    # Strings that are personal data of the person elsewhere in free texts of this model are
    # replaced by erasure: ``scrub`` lists the text fields to search for their name and e-mail.
    scrub: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    def person_lookups(self) -> tuple[str, ...]:
        if self.person:
            return self.person
        user_fks = []
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            if model_field.is_relation and model_field.related_model is not None and (
                model_field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                user_fks.append(name)
        return tuple(user_fks)

    def rows_of(self, user) -> models.QuerySet:
        if self.rows is not None:
            return self.rows(user)
        query = models.Q()
        for lookup in self.person_lookups():
            query |= models.Q(**{lookup: user.pk if lookup in ("pk", "id") else user})
        if not query:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(query).order_by("pk")

    def columns(self) -> tuple[str, ...]:
        if self.export_fields:
            return self.export_fields
        columns = ["id"]
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            columns.append(model_field.attname if model_field.is_relation else name)
        return tuple(dict.fromkeys(columns))


@dataclass(frozen=True)
class NotPersonal:
    model: type[models.Model]
    reason: str

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass(frozen=True)
class RetentionRule:
    key: str            # also the key in settings.RETENTION_DAYS
    label: str
    default_days: int
    # ``expired(cutoff: datetime) -> QuerySet`` of the rows past their period.
    expired: Callable[[datetime], models.QuerySet]
    # ``apply(queryset) -> int`` for one batch; default: delete the rows.
    apply: Callable | None = None
    description: str = ""

    def days(self) -> int:
        return int(getattr(settings, "RETENTION_DAYS", {}).get(self.key, self.default_days))


_ENTRIES: dict[str, PersonalData | NotPersonal] = {}
_RETENTION: dict[str, RetentionRule] = {}
_BLOCKERS: list[Callable] = []


def register(entry: PersonalData | NotPersonal) -> PersonalData | NotPersonal:
    """Add (or replace) the entry of one model."""
    if isinstance(entry, PersonalData):
        for name in (*entry.fields, *entry.scrub, *entry.anonymise):
            entry.model._meta.get_field(name)  # a typo fails at start-up, not at erasure
    _ENTRIES[entry.label] = entry
    return entry


def register_not_personal(models_: Iterable[type[models.Model]], reason: str) -> None:
    for model in models_:
        register(NotPersonal(model=model, reason=reason))


def register_retention(rule: RetentionRule) -> RetentionRule:
    _RETENTION[rule.key] = rule
    return rule


def erase_blocker(blocker: Callable) -> Callable:
    """``blocker(user) -> list[(message, url)]``: what the person must do before erasure."""
    _BLOCKERS.append(blocker)
    return blocker


def entry_for(model: type[models.Model]) -> PersonalData | NotPersonal | None:
    return _ENTRIES.get(model._meta.label)


def personal_data() -> list[PersonalData]:
    """Every PersonalData entry, in a stable order (app, then model)."""
    return sorted((e for e in _ENTRIES.values() if isinstance(e, PersonalData)),
                  key=lambda e: e.label)


def not_personal() -> list[NotPersonal]:
    return sorted((e for e in _ENTRIES.values() if isinstance(e, NotPersonal)),
                  key=lambda e: e.label)


def retention_rules() -> list[RetentionRule]:
    return sorted(_RETENTION.values(), key=lambda rule: rule.key)


def blockers() -> list[Callable]:
    return list(_BLOCKERS)
