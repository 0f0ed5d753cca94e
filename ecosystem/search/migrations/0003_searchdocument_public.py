"""Each document says whether anonymous visitors may open it (``public``), so searches filter
on the flag instead of re-checking every public call and event; an index on the upper-cased
title finds an exact title among many matches. Existing documents get the
flag from their kind's ``visible_to(AnonymousUser)``: one UPDATE per kind, through the live
registry (the flag is the registry's answer; the historical models cannot know it). A kind
that is no longer registered keeps ``public = false`` until ``rebuild_search_index``."""

from django.db import migrations, models
from django.db.models.functions import Upper


def set_flags(apps, schema_editor):
    from ecosystem.search.index import refresh_visibility
    from ecosystem.search.models import SearchDocument

    if SearchDocument.objects.exists():  # a new database: nothing indexed, tables may be missing
        refresh_visibility()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_per_database")]

    operations = [
        migrations.AddField(
            model_name="searchdocument", name="public",
            field=models.BooleanField(default=False, verbose_name="public"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(Upper("title"), name="search_document_title_upper"),
        ),
        migrations.RunPython(set_flags, migrations.RunPython.noop),
    ]
