"""For the ``..._translations`` migrations: existing texts move into the column of the
language they were written in (the model's ``language`` field when it has one, else the portal's main language)."""

from django.conf import settings
from django.db import migrations

PORTAL_LANGUAGES = ("en", "hr", "de", "it")


def copy_into_language_columns(model_name: str, fields: tuple[str, ...], app_label: str):
    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        has_language = any(f.name == "language" for f in model._meta.fields)
        for row in model.objects.all().iterator():
            default = getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", "en")
            language = getattr(row, "language", default) if has_language else default
            if language not in PORTAL_LANGUAGES:
                language = default
            changed = []
            for field in fields:
                column = f"{field}_{language}"
                if not getattr(row, column) and getattr(row, field):
                    setattr(row, column, getattr(row, field))
                    changed.append(column)
            if changed:
                row.save(update_fields=changed)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
