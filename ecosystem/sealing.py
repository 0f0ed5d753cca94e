"""Sealing: the one answer to "may this viewer see this record about a sealed object now?".

Some objects are sealed for a while: an application to a call is seen by its own organisation
only until the call's submission deadline, and by nobody else, in the admin neither. The
platform keeps records that point at any object (audit entries, notifications, their e-mail
deliveries, outbox rows), so it must not show a record that points at a sealed object. It does
not know the feature apps (dependencies point one way), so each app registers a ``Seal`` in
its ``AppConfig.ready()``::

    from ecosystem import sealing
    sealing.register(sealing.Seal(
        model=Application,
        sealed=lambda *, viewer, now: Application.objects.exclude(
            pk__in=applications_visible_to(viewer, now=now)),
    ))

``sealed(viewer=, now=)`` returns the objects of ``model`` the viewer may not see now (a
QuerySet, so the platform filters in SQL). ``kinds`` limits a seal to records of those
notification kinds or audit actions (records about a call whose mere existence tells who
applied, or "follow": following a call tells who means to apply); empty means every record
pointing at the model. ``hide_actor`` says the person who
acted on such an object is never shown (who asked a clarification question).

Every door that shows these records goes through ``records_visible_to`` (a QuerySet, for lists,
search, autocomplete and exports) or ``record_visible`` (one object): the admin of audit
entries, notifications, e-mail deliveries and outbox rows, and inlines of the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone


@dataclass(frozen=True)
class Seal:
    model: type[models.Model]
    sealed: Callable[..., QuerySet]
    kinds: frozenset[str] = field(default_factory=frozenset)
    hide_actor: bool = False
    key: str = ""


_SEALS: dict[str, Seal] = {}


def register(seal: Seal) -> Seal:
    """Add (or replace, by ``key`` or else model and kinds) one seal."""
    key = seal.key or f"{seal.model._meta.label_lower}:{','.join(sorted(seal.kinds))}"
    _SEALS[key] = seal
    return seal


def seals() -> list[Seal]:
    return list(_SEALS.values())


def sealed_models() -> set[type[models.Model]]:
    return {seal.model for seal in _SEALS.values()}


def _join(path: str, name: str) -> str:
    return f"{path}__{name}" if path else name


def hidden_q(viewer, *, path: str = "", kind_field: str | None = None,
             kind: str | None = None, now=None) -> Q:
    """A Q matching the records (with ``target_type``/``target_id`` under ``path``) that
    ``viewer`` may not see at ``now``. ``kind_field`` names the record's kind or action;
    ``kind`` is the one kind of every record of a model that has no such field ("follow")."""
    now = now or timezone.now()
    hidden = Q(pk__in=[])
    for seal in _SEALS.values():
        if seal.kinds and (kind not in seal.kinds if kind else kind_field is None):
            continue
        content_type = ContentType.objects.get_for_model(seal.model)
        keys = seal.sealed(viewer=viewer, now=now).annotate(
            _seal_key=Cast("pk", models.CharField())).values("_seal_key")
        rule = Q(**{_join(path, "target_type"): content_type,
                    _join(path, "target_id__in"): keys})
        if seal.kinds and not kind:
            rule &= Q(**{f"{_join(path, kind_field)}__in": sorted(seal.kinds)})
        hidden |= rule
    return hidden


def records_visible_to(queryset: QuerySet, viewer, *, path: str = "",
                       kind_field: str | None = None, kind: str | None = None,
                       owner_field: str | None = None, now=None) -> QuerySet:
    """``queryset`` without the records ``viewer`` may not see now. Records the viewer owns
    (``owner_field``: a notification's recipient) are always visible to them."""
    hidden = hidden_q(viewer, path=path, kind_field=kind_field, kind=kind, now=now)
    if owner_field and getattr(viewer, "is_authenticated", False):
        hidden &= ~Q(**{owner_field: viewer.pk})
    return queryset.exclude(hidden)


def record_visible(record: models.Model, viewer, **kwargs) -> bool:
    """The object check of ``records_visible_to`` for one record."""
    queryset = type(record)._default_manager.filter(pk=record.pk)
    return records_visible_to(queryset, viewer, **kwargs).exists()


def actor_hidden_q(*, path: str = "") -> Q:
    """Records whose actor is never shown (the asker of a clarification question)."""
    models_hidden = [seal.model for seal in _SEALS.values() if seal.hide_actor]
    if not models_hidden:
        return Q(pk__in=[])
    types = ContentType.objects.get_for_models(*models_hidden).values()
    return Q(**{_join(path, "target_type__in"): list(types)})


def actor_hidden(record) -> bool:
    """Whether ``record`` (with ``target_type_id``) must not name who acted."""
    models_hidden = [seal.model for seal in _SEALS.values() if seal.hide_actor]
    if not models_hidden:
        return False
    types = {ct.pk for ct in ContentType.objects.get_for_models(*models_hidden).values()}
    return record.target_type_id in types
