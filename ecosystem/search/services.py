"""Saved searches: create, change, delete, and the beat job that tells people about new
matches through ``notify`` (one notification per saved search and item: its dedupe key)."""

import logging
from datetime import timedelta
from urllib.parse import urlencode

from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import Conflict, InvalidInput
from ecosystem.notifications.services import notify

from . import selectors
from .models import SavedSearch, SearchDocument
from .registry import SearchableKind, kind_for_list

logger = logging.getLogger(__name__)

ALERT_KIND = "search.saved_search_match"
MAX_ALERTS_PER_RUN = 50
# Rows committed a little after their publication time are still seen by the next run; the
# dedupe key keeps an overlap from alerting twice.
OVERLAP = timedelta(hours=1)
DUE_AFTER = {
    SavedSearch.Frequency.INSTANT: timedelta(0),
    SavedSearch.Frequency.DAILY: timedelta(hours=23),
    SavedSearch.Frequency.WEEKLY: timedelta(days=6, hours=23),
}
IGNORED_PARAMETERS = {"page", "cursor", "page_size", "format"}
MAX_PER_OWNER = 100


def global_path() -> str:
    return reverse("search:page")


def clean_query_string(query_string: str) -> str:
    """The filters that matter, in a stable order (page numbers and empty values dropped)."""
    params = QueryDict(query_string or "")
    pairs = sorted((key, value.strip()) for key in params for value in params.getlist(key)
                   if key not in IGNORED_PARAMETERS and value.strip())
    return urlencode(pairs)


def target_of(path: str) -> SearchableKind | None:
    """The kind whose list ``path`` is, or None for the global search; anything else: 400."""
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "search:page":
        return None
    kind = kind_for_list(match.view_name) if match else None
    if kind is None or kind.list_filter is None:
        raise InvalidInput(_("Only the search page and the portal's lists can be saved."),
                           code="not_saveable", fields={"path": [_("Not a list of the portal.")]})
    return kind


def _check(*, name: str, frequency: str) -> dict:
    errors = {}
    if not name.strip():
        errors["name"] = [_("Give the search a name.")]
    elif len(name.strip()) > 120:
        errors["name"] = [_("At most 120 characters.")]
    if frequency not in SavedSearch.Frequency.values:
        errors["frequency"] = [_("Choose one of: %(choices)s.")
                               % {"choices": ", ".join(SavedSearch.Frequency.values)}]
    return errors


@transaction.atomic
def saved_search_create(*, owner, name: str, path: str, query_string: str = "",
                        frequency: str = SavedSearch.Frequency.DAILY, now=None) -> SavedSearch:
    """Save a search. It alerts only for what is published after this moment."""
    path = (path or "").split("?", 1)[0]
    query_string = clean_query_string(query_string)
    kind = target_of(path)
    errors = _check(name=name, frequency=frequency)
    if len(query_string) > 1000:
        errors["query_string"] = [_("These filters are too long to save.")]
    if kind is None and not QueryDict(query_string).get("q", "").strip():
        errors["query_string"] = [_("Type what to search for first.")]
    if errors:
        raise InvalidInput(_("The search could not be saved."), fields=errors)
    if SavedSearch.objects.filter(owner=owner, path=path, query_string=query_string).exists():
        raise Conflict(_("You already saved this search."), code="already_saved")
    if SavedSearch.objects.filter(owner=owner).count() >= MAX_PER_OWNER:
        raise Conflict(_("You have saved the most searches allowed; delete one first."),
                       code="too_many")
    now = now or timezone.now()
    saved = SavedSearch.objects.create(owner=owner, name=name.strip(), path=path,
                                       query_string=query_string, frequency=frequency,
                                       created_at=now, last_run_at=now)
    audit(actor=owner, action="search.saved_search.created", target=saved)
    return saved


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, actor, name: str | None = None,
                        frequency: str | None = None) -> SavedSearch:
    saved = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    name = saved.name if name is None else name
    frequency = saved.frequency if frequency is None else frequency
    errors = _check(name=name, frequency=frequency)
    if errors:
        raise InvalidInput(_("The search could not be saved."), fields=errors)
    saved.name, saved.frequency = name.strip(), frequency
    saved.save(update_fields=["name", "frequency"])
    audit(actor=actor, action="search.saved_search.changed", target=saved,
          changes={"frequency": frequency})
    return saved


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, actor) -> None:
    audit(actor=actor, action="search.saved_search.deleted", target=saved_search)
    saved_search.delete()


def saved_search_matches(saved: SavedSearch, *, since) -> list[SearchDocument | selectors.Hit]:
    """What the owner may open that matches the saved search and was published after
    ``since`` (oldest first, at most ``MAX_ALERTS_PER_RUN``)."""
    params = QueryDict(saved.query_string)
    kind = target_of(saved.path)
    if kind is None:
        result = selectors.search(
            viewer=saved.owner, query=params.get("q", ""),
            filters={name: params.get(name) for name in selectors.FACETS},
            per_page=MAX_ALERTS_PER_RUN, published_after=since, with_facets=False,
        )
        return result.hits
    rows = kind.list_filter(saved.owner, params)
    return list(SearchDocument.objects.filter(
        kind=kind.key, object_id__in=rows.values("pk"), published_at__gt=since,
    ).order_by("published_at", "id")[:MAX_ALERTS_PER_RUN])


def saved_search_run(*, saved_search: SavedSearch, now=None) -> int:
    """Notify the owner of each new match once. Returns the number of notifications."""
    now = now or timezone.now()
    saved = saved_search
    since = max(saved.created_at, (saved.last_run_at or saved.created_at) - OVERLAP)
    created = 0
    with transaction.atomic():
        for match in saved_search_matches(saved, since=since):
            created += len(notify(
                kind=ALERT_KIND, recipients=[saved.owner],
                context={"saved_search": saved.name, "saved_search_id": saved.pk,
                         "title": match.title, "url": match.url,
                         "manage_url": reverse("search:saved-list")},
                dedupe_key=f"saved-search:{saved.pk}:{match.kind}:{match.object_id}",
            ))
        SavedSearch.objects.filter(pk=saved.pk).update(last_run_at=now)
    return created


def saved_searches_due(*, frequency: str | None = None, now=None):
    now = now or timezone.now()
    due = SavedSearch.objects.none()
    for name, wait in DUE_AFTER.items():
        if frequency and frequency != name:
            continue
        due |= SavedSearch.objects.filter(frequency=name, last_run_at__lte=now - wait)
        due |= SavedSearch.objects.filter(frequency=name, last_run_at__isnull=True)
    return due.filter(owner__is_active=True).select_related("owner").order_by("id")


def saved_searches_run(*, frequency: str | None = None, now=None) -> int:
    """The beat job: run every saved search that is due; one failing search is logged and
    does not stop the others. Returns the number of notifications created."""
    now = now or timezone.now()
    total = 0
    for saved in saved_searches_due(frequency=frequency, now=now).iterator(chunk_size=200):
        try:
            total += saved_search_run(saved_search=saved, now=now)
        except Exception:  # noqa: BLE001 - one broken search must not block everyone's alerts
            logger.exception("Saved search %s failed", saved.pk)
    return total
