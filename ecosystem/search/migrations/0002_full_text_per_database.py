"""The full-text part of the index, per database (see ecosystem/search/backends.py).

PostgreSQL: the unaccent and pg_trgm extensions (the CI database runs as superuser; a managed
database needs them created once by its owner), a stored tsvector column with a GIN index,
and the vocabulary table for typo corrections with a trigram index.
SQLite: an FTS5 table keyed by the document id, its bm25 weights, and its vocabulary view.
"""

from django.db import migrations

POSTGRES = [
    ("CREATE EXTENSION IF NOT EXISTS unaccent", ""),
    ("CREATE EXTENSION IF NOT EXISTS pg_trgm", ""),
    ("ALTER TABLE search_searchdocument ADD COLUMN vector tsvector",
     "ALTER TABLE search_searchdocument DROP COLUMN vector"),
    ("CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)", ""),
    ("CREATE TABLE search_term (word varchar(100) PRIMARY KEY)", "DROP TABLE search_term"),
    ("CREATE INDEX search_term_trigram ON search_term USING gin (word gin_trgm_ops)", ""),
]
SQLITE = [
    ("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, extra, "
     "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')", "DROP TABLE search_fts"),
    # bm25 weights per column: title 10, text 2, stems 1 (the FTS5 "rank" of every MATCH).
    ("INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 2.0, 1.0)')", ""),
    ("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
     "DROP TABLE search_fts_vocab"),
]


def _statements(vendor):
    return POSTGRES if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []


def forwards(apps, schema_editor):
    for sql, _reverse in _statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for _sql, reverse in reversed(_statements(schema_editor.connection.vendor)):
        if reverse:
            schema_editor.execute(reverse)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index_and_saved_searches")]

    operations = [migrations.RunPython(forwards, backwards)]
