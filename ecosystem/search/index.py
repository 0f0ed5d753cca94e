"""Writes to the search index. Services call ``refresh(obj)`` after a change (create, edit,
publish, unpublish, hide) and ``remove(obj)`` before a delete; both act after the commit, so
a rolled-back change never reaches the index. ``rebuild`` re-reads every registered kind."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone, translation

from .backends import get_backend
from .models import SearchDocument
from .registry import SearchableKind, all_kinds, get_kind, kind_for_model

BATCH = 500


def refresh(obj: models.Model) -> None:
    """Bring ``obj``'s document up to date once the current transaction commits (upsert, or
    delete when the row no longer belongs in the index). Unregistered models: nothing."""
    kind = kind_for_model(type(obj))
    if kind is not None and obj.pk is not None:
        pk = obj.pk
        transaction.on_commit(lambda: refresh_now(kind, [pk]))


def remove(obj: models.Model) -> None:
    """Drop ``obj``'s document once the current transaction commits (call before deleting)."""
    kind = kind_for_model(type(obj))
    if kind is not None and obj.pk is not None:
        pk = obj.pk
        transaction.on_commit(lambda: remove_now(kind, [pk]))


def refresh_rows(model: type[models.Model], pks: Iterable[int]) -> None:
    """Bring the documents of these rows up to date now, dropping those of rows gone: for
    writes that bypass the services (an erasure deleting or scrubbing rows, retention).
    Unregistered models: nothing."""
    kind = kind_for_model(model)
    pks = list(pks)
    if kind is not None and pks:
        refresh_now(kind, pks)


def refresh_now(kind: SearchableKind | str, pks: Iterable[int]) -> None:
    kind = get_kind(kind) if isinstance(kind, str) else kind
    pks = list(pks)
    rows = list(kind.indexed_queryset().filter(pk__in=pks))
    _upsert(kind, rows)
    remove_now(kind, set(pks) - {row.pk for row in rows})


@transaction.atomic
def remove_now(kind: SearchableKind | str, pks: Iterable[int]) -> None:
    kind = get_kind(kind) if isinstance(kind, str) else kind
    pks = list(pks)
    if not pks:
        return
    ids = list(SearchDocument.objects.filter(kind=kind.key, object_id__in=pks)
               .values_list("id", flat=True))
    get_backend().delete(ids)
    SearchDocument.objects.filter(id__in=ids).delete()


def _flatten(document) -> tuple[str, str]:
    title = " ".join([document.title, *(t for t, _b in document.translations.values() if t)])
    body = " ".join([document.body, *(b for _t, b in document.translations.values() if b)])
    return title, body


@transaction.atomic
def _upsert(kind: SearchableKind, rows: list[models.Model]) -> None:
    """Replace the documents of ``rows`` in one transaction (readers see the old or the new
    ones, never none): delete, then insert; faster than updating row by row."""
    if not rows:
        return
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        documents = {row.pk: kind.document(row) for row in rows}
    public = set(kind.visible_to(AnonymousUser()).filter(pk__in=list(documents))
                 .values_list("pk", flat=True))
    backend = get_backend()
    old = list(SearchDocument.objects.filter(kind=kind.key, object_id__in=list(documents))
               .values_list("id", flat=True))
    backend.delete(old)
    SearchDocument.objects.filter(id__in=old).delete()
    docs = SearchDocument.objects.bulk_create([
        SearchDocument(
            kind=kind.key, object_id=object_id, title=document.title[:300], body=document.body,
            url=document.url[:500], city=document.city[:120], country=document.country,
            helix=document.helix, date=document.date, published_at=document.published_at,
            public=object_id in public, indexed_at=now,
        ) for object_id, document in documents.items()
    ], batch_size=BATCH)
    if docs and docs[0].pk is None:  # databases that do not return ids from bulk inserts
        docs = list(SearchDocument.objects.filter(kind=kind.key, object_id__in=list(documents)))
    ids = {doc.object_id: doc.id for doc in docs}
    through = SearchDocument.themes.through
    through.objects.bulk_create([
        through(searchdocument_id=ids[object_id], theme_id=theme_id)
        for object_id, document in documents.items() for theme_id in set(document.theme_ids)
    ], batch_size=BATCH)
    backend.write([(ids[object_id], *_flatten(document))
                   for object_id, document in documents.items()])


def refresh_visibility(kinds: list[SearchableKind] | None = None) -> int:
    """Set every document's ``public`` flag from its kind's ``visible_to(AnonymousUser)``, one
    UPDATE per kind and value (for documents indexed before the flag existed). Returns the
    number of public documents."""
    anonymous = AnonymousUser()
    for kind in kinds or all_kinds():
        visible = kind.visible_to(anonymous).values("pk")
        documents = SearchDocument.objects.filter(kind=kind.key)
        documents.filter(object_id__in=visible).exclude(public=True).update(public=True)
        documents.exclude(object_id__in=visible).exclude(public=False).update(public=False)
    return SearchDocument.objects.filter(public=True).count()


def rebuild(kinds: list[SearchableKind] | None = None, *, batch_size: int = BATCH,
            progress: Callable[[SearchableKind, int, int], None] | None = None) -> dict[str, int]:
    """Re-index every row of each kind, batch by batch (each batch its own transaction), then
    drop documents whose rows are gone. The index keeps answering throughout: each batch
    replaces its documents in one transaction; nothing is emptied first. Returns the number of documents per kind."""
    counts = {}
    for kind in kinds or all_kinds():
        queryset = kind.indexed_queryset().order_by("pk")
        total, done, last_pk = queryset.count(), 0, None
        while True:
            batch = queryset.filter(pk__gt=last_pk) if last_pk is not None else queryset
            rows = list(batch[:batch_size])
            if not rows:
                break
            _upsert(kind, rows)
            done += len(rows)
            last_pk = rows[-1].pk
            if progress:
                progress(kind, done, total)
        kept = set(kind.indexed_queryset().values_list("pk", flat=True))
        stale = [object_id for object_id in SearchDocument.objects.filter(kind=kind.key)
                 .values_list("object_id", flat=True) if object_id not in kept]
        for start in range(0, len(stale), batch_size):
            remove_now(kind, stale[start:start + batch_size])
        counts[kind.key] = done
    get_backend().analyze()
    registered = {kind.key for kind in all_kinds()}
    orphans = list(SearchDocument.objects.exclude(kind__in=registered).values_list("id", flat=True))
    get_backend().delete(orphans)
    SearchDocument.objects.filter(id__in=orphans).delete()
    return counts
