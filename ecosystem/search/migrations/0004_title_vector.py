"""PostgreSQL: a title-only ``tsvector`` with its own GIN index, for suggestions and other
title-only queries. A weight-labelled query on the full vector (``word:*A``) has to re-read
every document whose text contains the word to find the titles; this one answers from the
index. Existing documents get it from their title here (``rebuild_search_index`` adds the
translated titles). SQLite: nothing (its FTS5 table has a title column)."""

from django.db import migrations

POSTGRES = [
    ("ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector",
     "ALTER TABLE search_searchdocument DROP COLUMN title_vector"),
    ("UPDATE search_searchdocument SET title_vector = to_tsvector('simple', unaccent(title))", ""),
    ("CREATE INDEX search_document_title_vector ON search_searchdocument "
     "USING gin (title_vector)", ""),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql, _reverse in POSTGRES:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _sql, reverse in reversed(POSTGRES):
            if reverse:
                schema_editor.execute(reverse)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_searchdocument_public")]

    operations = [migrations.RunPython(forwards, backwards)]
