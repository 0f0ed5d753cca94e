"""PostgreSQL: an index in the order of /api/v1/calls/ (newest first, calls without a
publication date last, as the API's cursors order every nullable column on both databases).

The web list orders ``-publication_date`` as PostgreSQL does by default (NULLs first), which
``call_list_order_idx`` serves read backwards; the API's ``DESC NULLS LAST`` is not that
order, so PostgreSQL sorted every public call for the first page (20,000 calls: 35 ms,
4.4 times the page at 1,000). SQLite puts NULLs last when descending anyway, reads
``call_list_order_idx`` for both and has no NULLS LAST in indexes, so nothing is done there.
"""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS call_api_order_idx ON procurement_call "
          "(publication_date DESC NULLS LAST, id DESC)")
DROP = "DROP INDEX IF EXISTS call_api_order_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0005_text_length_limits")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
