"""The full-text part of the index, one small interface over two databases, chosen by the
database vendor:

- PostgreSQL: a stored ``tsvector`` column on ``search_searchdocument`` with a GIN index,
  title weight A, text weight B, every word through ``unaccent`` and the ``simple``,
  ``english``, ``german`` and ``italian`` configurations (Croatian: accent- and case-folded by
  ``simple``); typos and suggestions through ``pg_trgm`` over a vocabulary table.
- SQLite: an FTS5 table (``unicode61 remove_diacritics 2``) keyed by the document id, ranked
  by bm25 with the title weighted 10; stems (Snowball en/de/it) in a third column; typos
  through the ``fts5vocab`` vocabulary and an edit distance.

Tables, columns and extensions are created by the migrations of this app. No library did both
well (see the README's "Search and saved searches").
"""

import json
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, F
from django.db.models.expressions import Expression, RawSQL

from . import text

DOC_TABLE = "search_searchdocument"
SQLITE_FTS = "search_fts"
SQLITE_VOCAB = "search_fts_vocab"
PG_TERMS = "search_term"
PG_CONFIGS = ("simple", "english", "german", "italian")


class Backend:
    """``write``/``delete`` keep the full-text part in step with SearchDocument rows;
    ``match`` narrows a SearchDocument QuerySet to a query, ``ranked`` orders it."""

    def write(self, rows: list[tuple[int, str, str]]) -> None:  # (id, title, body)
        raise NotImplementedError

    def delete(self, ids: list[int]) -> None:
        raise NotImplementedError

    def known(self, word: str) -> bool:
        raise NotImplementedError

    def similar(self, word: str) -> list[str]:
        raise NotImplementedError

    def match(self, queryset, groups: list[list[str]], *, prefix_last=False, title_only=False):
        """``queryset`` narrowed to the documents matching every group (a group: one query
        word and its typo corrections). Usable anywhere, also inside subqueries."""
        raise NotImplementedError

    def ranked(self, queryset, groups: list[list[str]], *, prefix_last=False, title_only=False):
        """The matching documents annotated with ``rank`` (higher is better); outermost
        query only (the page of hits)."""
        raise NotImplementedError

    def first_ids(self, queryset, limit: int) -> list[int]:
        """The ids of the first ``limit`` rows of ``queryset`` in the order the index reads
        them (no sort: a sort would read every match), the same on every request."""
        return list(queryset.order_by().values_list("id", flat=True)[:limit])

    def first_matches(self, queryset, groups, limit: int, columns: tuple[str, ...],
                      annotations: dict) -> list[tuple]:
        """``columns`` (model fields or ``annotations``) and then the rank of the first
        ``limit`` documents of ``queryset`` matching ``groups``, in the order of
        ``first_ids``: what a search needs of every match it reads (facet values, rank)
        without reading the rows a second and a third time."""
        ids = self.first_ids(self.match(queryset, groups), limit)
        if not ids:
            return []
        # Ranked by id alone, without ``queryset``'s filters: they hold for these ids, and
        # with a filter such as ``country`` SQLite drove the join from the filter's index and
        # ran the full-text query once per row (5 s for 1,000 rows).
        documents = queryset.model._base_manager.filter(id__in=ids).annotate(**annotations)
        rows = {row[0]: row for row in self.ranked(documents, groups)
                .order_by().values_list("id", *columns, "rank")}
        return [rows[pk][1:] for pk in ids if pk in rows]

    def reading(self):
        """A context for several reads of one search: the session settings ``first_ids``
        needs are then set once around all of them instead of around each."""
        return nullcontext()

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk rebuild."""

    def corrections(self, words: list[str]) -> dict[str, list[str]]:
        """For each query word the index does not know: the known words within its typo
        allowance (closest first)."""
        fixes = {}
        for word in words:
            if text.allowed_typos(word) and not self.known(word):
                candidates = [(text.edit_distance(word, other), other) for other in self.similar(word)]
                close = sorted((d, other) for d, other in candidates
                               if d <= text.allowed_typos(word) and other != word)
                if close:
                    fixes[word] = [other for _d, other in close[:3]]
        return fixes


class SqliteBackend(Backend):
    def write(self, rows):
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {SQLITE_FTS} WHERE rowid = %s", [(pk,) for pk, *_ in rows])
            cursor.executemany(
                f"INSERT INTO {SQLITE_FTS}(rowid, title, body, extra) VALUES (%s, %s, %s, %s)",
                [(pk, text.fold(title), text.fold(body), text.stem_text(f"{title} {body}"))
                 for pk, title, body in rows],
            )

    def delete(self, ids):
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {SQLITE_FTS} WHERE rowid = %s", [(pk,) for pk in ids])

    def known(self, word):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {SQLITE_VOCAB} WHERE term = %s", [word])
            return cursor.fetchone() is not None

    def similar(self, word):
        # Same first letter (typos there are rare), length within the allowance.
        allowance = text.allowed_typos(word)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {SQLITE_VOCAB} WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s ORDER BY doc DESC LIMIT 5000",
                [word[0], chr(ord(word[0]) + 1), len(word) - allowance, len(word) + allowance],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _expression(groups, prefix_last, title_only):
        parts = []
        for index, group in enumerate(groups):
            last = prefix_last and index == len(groups) - 1
            alternatives = []
            for position, word in enumerate(group):
                star = "*" if last and position == 0 else ""
                alternatives.append(f'"{word}"{star}')
                if not title_only and not star:
                    alternatives.extend(f'"{stem}"' for stem in text.stems(word))
            parts.append("(" + " OR ".join(dict.fromkeys(alternatives)) + ")")
        expression = " AND ".join(parts)
        return f"title : ({expression})" if title_only else expression

    def match(self, queryset, groups, *, prefix_last=False, title_only=False):
        expression = self._expression(groups, prefix_last, title_only)
        return queryset.filter(id__in=RawSQL(
            f"SELECT rowid FROM {SQLITE_FTS} WHERE {SQLITE_FTS} MATCH %s", [expression]))

    def ranked(self, queryset, groups, *, prefix_last=False, title_only=False):
        expression = self._expression(groups, prefix_last, title_only)
        return queryset.extra(
            tables=[SQLITE_FTS],
            where=[f"{SQLITE_FTS}.rowid = {DOC_TABLE}.id", f"{SQLITE_FTS} MATCH %s"],
            params=[expression],
            select={"rank": f"-{SQLITE_FTS}.rank"},
        )


class _ColumnCondition(Expression):
    """A condition on one column of the query (``self.ref``), compiled by the subclass."""

    output_field = BooleanField()
    conditional = True

    def get_source_expressions(self):
        return [self.ref]

    def set_source_expressions(self, expressions):
        (self.ref,) = expressions


class VectorMatch(_ColumnCondition):
    """``<document table or its alias>.vector @@ <tsquery>``: the column is not a model field,
    so it is addressed through the alias Django gives the table (also inside subqueries)."""

    def __init__(self, tsquery: str, params: list, column: str = "vector"):
        super().__init__()
        self.tsquery, self.params, self.ref, self.column = tsquery, params, F("id"), column

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.ref)
        vector = column.rsplit(".", 1)[0] + f'."{self.column}"'
        return f"{vector} @@ {self.tsquery}", [*params, *self.params]


class InIds(_ColumnCondition):
    """``<column> IN <ids>`` with the ids as one parameter (a PostgreSQL array, a JSON list
    on SQLite) instead of one per id: for 1,000 ids Django's ``__in`` spent 5 ms of Python
    preparing each value, three times per search."""

    def __init__(self, ids, column: str = "id"):
        super().__init__()
        self.ids, self.ref = [int(pk) for pk in ids], F(column)

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.ref)
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.ref)
        return f"{column} = ANY(%s::bigint[])", [*params, self.ids]


@lru_cache(maxsize=4096)
def _word_tsqueries(word: str) -> tuple[str, ...]:
    """What ``plainto_tsquery(config, unaccent(word))`` gives in each configuration, as
    ``tsquery`` text, repeats and stop words left out ("sensors" -> 'sensors', 'sensor').

    Asked once per word and process (the configurations do not change while it runs), so
    the search's query holds literals: ``unaccent`` is only STABLE, and a call of it in the
    query was evaluated again for every row read (1,000 rows ranked in 17 ms instead of 4),
    and the four configurations mostly repeat the same lexeme, which the GIN index then
    reads once per repeat (three words: 25 ms instead of 12)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(
            f"plainto_tsquery('{config}', unaccent(%s))::text" for config in PG_CONFIGS),
            [word] * len(PG_CONFIGS))
        return tuple(query for query in dict.fromkeys(cursor.fetchone()) if query)


class PostgresBackend(Backend):
    def write(self, rows):
        if not rows:
            return
        weighted = " || ".join(
            f"setweight(to_tsvector('{config}', unaccent(%(title)s)), 'A') || "
            f"setweight(to_tsvector('{config}', unaccent(%(body)s)), 'B')"
            for config in PG_CONFIGS
        )
        vocabulary = sorted({
            word for _pk, title, body in rows for word in text.words(f"{title} {body}")
            if 3 <= len(word) <= 60 and not word.isdigit()
        })
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {DOC_TABLE} SET vector = {weighted}, "
                "title_vector = to_tsvector('simple', unaccent(%(title)s)) WHERE id = %(id)s",
                [{"id": pk, "title": title, "body": body} for pk, title, body in rows],
            )
            if vocabulary:
                cursor.execute(
                    f"INSERT INTO {PG_TERMS}(word) SELECT unnest(%s::text[]) "
                    "ON CONFLICT DO NOTHING", [vocabulary],
                )

    def delete(self, ids):
        """The vector lives in the document row: deleting the row deletes it."""

    def known(self, word):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {PG_TERMS} WHERE word = %s", [word])
            return cursor.fetchone() is not None

    def similar(self, word):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word FROM {PG_TERMS} WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC LIMIT 20", [word, word],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _tsquery(groups, prefix_last, title_only):
        """The query as SQL that PostgreSQL folds into one constant when it plans it: each
        word's lexemes in every configuration as a ``tsquery`` literal, without repeats."""
        parts, params = [], []
        for index, group in enumerate(groups):
            last = prefix_last and index == len(groups) - 1
            alternatives, lexemes = [], []
            for position, word in enumerate(group):
                if title_only or (last and position == 0):
                    # Title-only queries read ``title_vector`` (no weight label to recheck).
                    label = "*" if last and position == 0 else ""
                    alternatives.append("to_tsquery('simple', %s)")
                    params.append(f"{word}:{label}" if label else word)
                else:
                    lexemes.extend(_word_tsqueries(word))
            if lexemes:
                alternatives.append("%s::tsquery")
                params.append(" | ".join(f"( {query} )" for query in dict.fromkeys(lexemes)))
            if alternatives:  # a word of stop words only narrows nothing, as in PostgreSQL
                parts.append("(" + " || ".join(alternatives) + ")")
        if not parts:
            return "%s::tsquery", [""]
        return "(" + " && ".join(parts) + ")", params

    def match(self, queryset, groups, *, prefix_last=False, title_only=False):
        tsquery, params = self._tsquery(groups, prefix_last, title_only)
        column = "title_vector" if title_only else "vector"
        return queryset.filter(VectorMatch(tsquery, params, column))

    def first_ids(self, queryset, limit):
        # Parallel workers hand their rows over in any order: without them the bitmap scan
        # reads the table in block order, so the same query gives the same ids (and pages).
        # No sequential scan either: a common word is estimated to match so many rows that
        # the first ``limit`` seem to lie at the start of the table, but matches cluster
        # (the calls and events are indexed after 100,000 organisations), so such a scan read
        # 116,000 rows (94 ms) where the full-text index reads the matches only (6 ms).
        with self.reading():
            return super().first_ids(queryset, limit)

    def first_matches(self, queryset, groups, limit, columns, annotations):
        # One read: the columns and ``ts_rank`` come with the rows the index hands over.
        with self.reading():
            return list(self.ranked(self.match(queryset.annotate(**annotations), groups), groups)
                        .order_by().values_list(*columns, "rank")[:limit])

    @contextmanager
    def reading(self):
        if getattr(connection, "_search_reading", False):  # already set by an outer read
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0; SET enable_seqscan = off")
            connection._search_reading = True
            try:
                yield
            finally:
                connection._search_reading = False
                cursor.execute("RESET max_parallel_workers_per_gather; RESET enable_seqscan")

    def analyze(self):
        # A bulk rebuild leaves thousands of rows in the GIN index's pending list, which every
        # search then reads in full (tripling the index scan at 100,000 organisations).
        with connection.cursor() as cursor:
            for index in ("search_document_vector", "search_document_title_vector"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ANALYZE {DOC_TABLE}")

    def ranked(self, queryset, groups, *, prefix_last=False, title_only=False):
        tsquery, params = self._tsquery(groups, prefix_last, title_only)
        return queryset.extra(
            select={"rank": f"ts_rank({DOC_TABLE}.{'title_vector' if title_only else 'vector'}, "
                            f"{tsquery})"}, select_params=params)


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
