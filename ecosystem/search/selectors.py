"""Reading the index: the global search (ranked hits, facets, highlights), suggestions as
you type, and the ``q`` filter every list shares. Every read goes through ``visible``: a
document is returned only if its row is in the kind's ``visible_to(viewer)`` QuerySet."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from . import text
from .backends import InIds, get_backend
from .models import SearchDocument
from .registry import SearchableKind, all_kinds, facet_label, get_kind, kind_for_model

FACETS = ("kind", "theme", "city", "country", "helix", "year")
PER_PAGE = 20
MAX_PAGE = 50
SUGGESTIONS = 8
# The most matches a search reads: the pages offered hold no more (MAX_PAGE * PER_PAGE), and
# a common word matches tens of thousands of documents. Beyond it the total reads "more than"
# and the facets count among these matches (``SearchResult.capped``).
MAX_MATCHES = 1000
SUGGESTION_CANDIDATES = 200


@dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    url: str
    title_html: SafeString
    snippet_html: SafeString
    city: str
    country: str
    date: object
    rank: float


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    filters: dict
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    corrections: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    pages: int = 0
    # More than MAX_MATCHES matched: ``total`` is MAX_MATCHES and the facets count among those.
    capped: bool = False


def visible(viewer, kinds: list[SearchableKind] | None = None) -> QuerySet[SearchDocument]:
    """Documents whose rows ``viewer`` may open.

    What anonymous visitors may open is stored on each document (``public``, set when it is
    indexed), so a public document needs no permission check; only the viewer's own extra
    rows (drafts of their organisations, staff) go through the kind's ``visible_to(viewer)``,
    and only for the documents that are not public. That relies on every signed-in viewer
    seeing at least what anonymous visitors see, which holds for every registered kind.

    A kind whose rows are all visible (its QuerySet has no condition: the directory) needs no
    check at all: the index holds documents of existing rows only (services remove a row's
    document with the row, a rebuild removes strays)."""
    anonymous = not getattr(viewer, "is_authenticated", False)
    condition = Q(pk__in=[])
    for kind in kinds or all_kinds():
        rows = None if anonymous else kind.visible_to(viewer)
        if _all_rows_public(kind) if anonymous else _unrestricted(rows):
            condition |= Q(kind=kind.key)
            continue
        condition |= Q(kind=kind.key, public=True)
        if not anonymous:
            hidden = SearchDocument.objects.filter(kind=kind.key, public=False).values("object_id")
            condition |= Q(kind=kind.key, public=False,
                           object_id__in=rows.filter(pk__in=hidden).values("pk"))
    return SearchDocument.objects.filter(condition)


def _unrestricted(rows: QuerySet) -> bool:
    return not rows.query.where and not rows.query.is_sliced


@lru_cache(maxsize=64)
def _all_rows_public(kind: SearchableKind) -> bool:
    """Whether anonymous visitors may open every row of ``kind``: a property of the kind's
    rule, not of the rows, so it is worked out once per kind and process (building the
    kinds' QuerySets took a tenth of an anonymous search's time)."""
    return _unrestricted(kind.visible_to(AnonymousUser()))


def _groups(words: list[str], corrections: dict[str, list[str]]) -> list[list[str]]:
    return [[word, *corrections.get(word, [])] for word in words]


def _with_corrections(words: list[str], fetch, *, prefix_last=False):
    """``fetch(groups)`` for the query words; if it finds nothing, once more with the typos
    corrected (never the last word of a suggestion: it is still being typed)."""
    found = fetch(_groups(words, {}))
    if found:
        return found, {}
    corrections = get_backend().corrections(words[:-1] if prefix_last else words)
    if not corrections:
        return found, {}
    return fetch(_groups(words, corrections)), corrections


def match(queryset: QuerySet[SearchDocument], query: str, *, prefix_last=False,
          title_only=False) -> tuple[QuerySet[SearchDocument], list[str], dict]:
    """``queryset`` narrowed to ``query``; when nothing matches, once more with typos
    corrected. Returns (documents, words, corrections)."""
    words = text.query_words(query)
    if not words:
        return queryset.none(), [], {}
    backend = get_backend()

    def fetch(groups):
        found = backend.match(queryset, groups, prefix_last=prefix_last, title_only=title_only)
        return found if found.exists() else None

    found, corrections = _with_corrections(words, fetch, prefix_last=prefix_last)
    if found is None:
        return queryset.none(), words, corrections
    return found, words, corrections


def _apply_filters(documents: QuerySet, filters: dict, *, skip: str = "") -> QuerySet:
    for name, value in filters.items():
        if not value or name == skip:
            continue
        if name == "kind":
            documents = documents.filter(kind=value)
        elif name == "theme":
            documents = documents.filter(themes__slug=value)
        elif name == "year":
            documents = documents.filter(date__year=value)
        elif name in ("city", "country", "helix"):
            documents = documents.filter(**{name: value})
    return documents


FACET_COLUMNS = ("kind", "city", "country", "helix", "year")


def _facets(rows: list[tuple], filters: dict, theme_counts) -> tuple[dict, int]:
    """Counts per facet value over the matching rows, given grouped as (kind, city, country,
    helix, year, number of rows), each facet counted with every other filter applied, so
    choosing a value narrows the rest while its siblings stay visible. Returns (facets,
    total with every filter applied)."""
    kinds = {kind.key: kind for kind in all_kinds()}
    wanted = {name: filters.get(name) for name in FACET_COLUMNS if filters.get(name)}
    counts = {name: {} for name in FACET_COLUMNS}
    total = 0
    for *row, number in rows:
        values = dict(zip(FACET_COLUMNS, row, strict=True))
        misses = [name for name, value in wanted.items() if values[name] != value]
        if not misses:
            total += number
        for name in FACET_COLUMNS:
            if values[name] and (not misses or misses == [name]):
                counts[name][values[name]] = counts[name].get(values[name], 0) + number
    facets = {
        "kind": sorted((FacetValue(key, str(kinds[key].label), n, key == filters.get("kind"))
                        for key, n in counts["kind"].items() if key in kinds),
                       key=lambda f: kinds[f.value].order),
        "theme": sorted((FacetValue(slug, name, n, slug == filters.get("theme"))
                         for slug, name, n in theme_counts), key=lambda f: (-f.count, f.label))[:20],
    }
    for name in ("city", "country", "helix"):
        facets[name] = sorted(
            (FacetValue(value, facet_label(name, value), n, value == filters.get(name))
             for value, n in counts[name].items()), key=lambda f: (-f.count, f.label))[:20]
    facets["year"] = sorted((FacetValue(value, value, n, value == filters.get("year"))
                             for value, n in counts["year"].items()),
                            key=lambda f: f.value, reverse=True)
    return facets, total


# What a search reads of every match: the facet values, whether the title is the query.
MATCH_COLUMNS = ("id", "kind", "city", "country", "helix", "date", "exact")


class _Match(NamedTuple):  # a tuple: a thousand are built per search
    id: int
    kind: str
    city: str
    country: str
    helix: str
    date: object
    exact: int
    rank: float

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else ""


def _exact_title_expression(query: str) -> Case:
    exact = " ".join(query.split())
    return Case(When(title__iexact=exact, then=Value(1)), default=Value(0),
                output_field=IntegerField())


def _exact_title(documents: QuerySet, query: str) -> QuerySet:
    return documents.annotate(exact=_exact_title_expression(query))


def _bounded_matches(documents: QuerySet, query: str, groups, limit: int) -> list[_Match]:
    """At most ``limit`` documents matching ``groups`` with their facet values and rank, read
    from the full-text index and stopping at ``limit``, so a common word does not make the
    database read every matching row (the page is then ranked among these)."""
    rows = get_backend().first_matches(documents, groups, limit, MATCH_COLUMNS,
                                       {"exact": _exact_title_expression(query)})
    return [_Match(*row[:-1], float(row[-1] or 0)) for row in rows]


def _keep(match: _Match, filters: dict) -> bool:
    """``_apply_filters`` for a match already read (every facet filter but the theme, which
    ``search`` applies to the documents it reads)."""
    for name, value in filters.items():
        if not value or name == "theme":
            continue
        if name == "year":
            if not match.date or match.date.year != int(value):
                return False
        elif name in ("kind", "city", "country", "helix") and getattr(match, name) != value:
            return False
    return True


def _order_groups(documents: QuerySet, query: str, groups, **options) -> QuerySet:
    documents = get_backend().ranked(documents, groups, **options)
    return _exact_title(documents, query).order_by("-exact", "-rank", "id")


def _hit(document, kinds, terms, *, with_snippet=True, rank=None) -> Hit:
    kind = kinds.get(document.kind)
    return Hit(
        kind=document.kind, kind_label=str(kind.label) if kind else document.kind,
        object_id=document.object_id, title=document.title, url=document.url,
        title_html=text.highlight(document.title, terms),
        snippet_html=text.snippet(document.body, terms) if with_snippet else text.highlight("", []),
        city=document.city,
        country=document.country, date=document.date,
        rank=float(document.rank or 0) if rank is None else rank,
    )


def search(*, viewer, query: str, filters: dict | None = None, page: int = 1,
           per_page: int = PER_PAGE, published_after: datetime | None = None,
           with_facets: bool = True) -> SearchResult:
    """The global search: what ``viewer`` may open that matches ``query``, best first.
    The same queries whatever the number of hits: the first MAX_MATCHES matches with their
    facet values and rank in one read of the index (and the exact title, or a facet filter's
    own matches, when more matched), the theme counts, and the page's documents; only when
    nothing matched, the typo lookup and a retry. Facets and ranking are computed over the
    matches read, so the database reads them once."""
    with get_backend().reading():
        return _search(viewer=viewer, query=query, filters=filters, page=page,
                       per_page=per_page, published_after=published_after,
                       with_facets=with_facets)


def _search(*, viewer, query: str, filters: dict | None, page: int, per_page: int,
            published_after: datetime | None, with_facets: bool) -> SearchResult:
    filters = {name: str(value) for name, value in (filters or {}).items()
               if value and name in FACETS}
    result = SearchResult(query=query, filters=filters, page=page)
    words = text.query_words(query)
    if not words:
        return result
    base = visible(viewer)
    if published_after is not None:
        base = base.filter(published_at__gt=published_after)
    if filters.get("theme"):
        base = base.filter(themes__slug=filters["theme"])
    if filters.get("year") and not filters["year"].isdigit():
        return result
    limit = MAX_MATCHES + 1

    def rows_of(groups):
        matches = _bounded_matches(base, query, groups, limit)
        return (matches, groups) if matches else None

    found, corrections = _with_corrections(words, rows_of)
    result.corrections = corrections
    if found is None:
        return result
    matches, groups = found
    result.capped = len(matches) > MAX_MATCHES
    matches = matches[:MAX_MATCHES]
    if result.capped:  # an exact title always makes it into the matches read
        exact = _bounded_matches(base.filter(title__iexact=" ".join(query.split())), query,
                                 groups, PER_PAGE)
        matches = list({match.id: match for match in exact + matches}.values())[:MAX_MATCHES]
    # The facets are counted over the matches read, one group per combination of values.
    rows = [(*values, number) for values, number in Counter(
        (match.kind, match.city, match.country, match.helix, match.year) for match in matches
    ).items()]
    filtered_total = None
    if not any(filters.get(name) for name in FACET_COLUMNS):
        narrowed = matches
    elif result.capped:
        # The filtered matches may lie beyond the first MAX_MATCHES: read them themselves.
        filtered = _bounded_matches(_apply_filters(base, filters, skip="theme"), query, groups,
                                    limit)
        result.capped = len(filtered) > MAX_MATCHES
        narrowed = filtered[:MAX_MATCHES]
        filtered_total = len(narrowed)
    else:
        narrowed = [match for match in matches if _keep(match, filters)]
    theme_counts = []
    if with_facets:
        # The ids as one array parameter: the planner reads the through table by its index.
        theme_counts = (SearchDocument.themes.through.objects
                        .filter(InIds([match.id for match in narrowed], "searchdocument_id"))
                        .values_list("theme__slug", "theme__name").annotate(n=Count("id"))
                        .order_by())
    facets, result.total = _facets(rows, filters, theme_counts)
    if filtered_total is not None:
        result.total = filtered_total
    result.facets = facets if with_facets else {}
    result.pages = min(MAX_PAGE, -(-result.total // per_page))
    page = max(1, min(page, result.pages or 1))
    result.page = page
    kinds = {kind.key: kind for kind in all_kinds()}
    terms = words + [fix for fixes in corrections.values() for fix in fixes]
    # Ranked among the matches read; only the page's documents are read whole (text, url).
    ranked = sorted(narrowed, key=lambda match: (-match.exact, -match.rank, match.id))
    shown = ranked[(page - 1) * per_page: page * per_page]
    documents = SearchDocument.objects.in_bulk([match.id for match in shown])
    result.hits = [_hit(documents[match.id], kinds, terms, rank=match.rank) for match in shown
                   if match.id in documents]
    return result


def suggest(*, viewer, query: str, limit: int = SUGGESTIONS) -> list[Hit]:
    """Titles that start like what is being typed (the last word is a prefix), best first.
    One query (two when a typo has to be corrected)."""
    words = text.query_words(query)
    if not words:
        return []
    base = visible(viewer).only("kind", "object_id", "title", "url", "city", "country", "date")
    backend = get_backend()
    options = {"prefix_last": True, "title_only": True}

    def fetch(groups):
        # Ranked among the first SUGGESTION_CANDIDATES titles the index finds (and an exact
        # title): a prefix such as "ene" starts tens of thousands of titles.
        matches = backend.match(base, groups, **options)
        ids = backend.first_ids(matches, SUGGESTION_CANDIDATES)
        exact = " ".join(query.split())
        if len(ids) == SUGGESTION_CANDIDATES:
            ids += list(matches.filter(title__iexact=exact).values_list("id", flat=True)[:limit])
        documents = base.filter(InIds(ids))
        return list(_order_groups(documents, query, groups, **options)[:limit])

    rows, corrections = _with_corrections(words, fetch, prefix_last=True)
    kinds = {kind.key: kind for kind in all_kinds()}
    terms = words + [fix for fixes in corrections.values() for fix in fixes]
    return [_hit(document, kinds, terms, with_snippet=False) for document in rows]


def matching_ids(model, query: str) -> QuerySet | None:
    """The primary keys of ``model``'s rows that match ``query`` in the index (a subquery for
    ``pk__in``), or None if the query has no words. Used by every list's ``q`` filter; the
    list applies its own visibility and filters."""
    kind = kind_for_model(model)
    if kind is None:
        raise LookupError(f"{model._meta.label} is not registered for search.")
    documents, words, _corrections = match(SearchDocument.objects.filter(kind=kind.key), query)
    if not words:
        return None
    return documents.values("object_id")


def filter_queryset(queryset: QuerySet, query: str) -> QuerySet:
    """``queryset`` restricted to the rows matching ``query`` (for ``FilterSet`` methods)."""
    ids = matching_ids(queryset.model, (query or "").strip())
    return queryset if ids is None else queryset.filter(pk__in=ids)


__all__ = ["search", "suggest", "filter_queryset", "matching_ids", "visible", "get_kind"]
