from collections import defaultdict

from django.apps import apps
from django.db.models import QuerySet

from . import registry
from .models import DataExport


def exports_of(*, user) -> QuerySet[DataExport]:
    """The person's own exports, newest first (the account page shows the last few)."""
    return DataExport.objects.filter(user=user, requested_by__isnull=True).order_by(
        "-created_at", "-id")


def privacy_sections() -> list[dict]:
    """The privacy page's content, per app, from the registry."""
    by_app = defaultdict(list)
    for entry in registry.personal_data():
        meta = entry.model._meta
        fields = []
        for name in entry.fields:
            fields.append(str(meta.get_field(name).verbose_name))
        by_app[meta.app_label].append({
            "entry": entry,
            "title": str(meta.verbose_name_plural).capitalize(),
            "fields": fields,
        })
    return [{"app": apps.get_app_config(label).verbose_name, "label": label, "items": items}
            for label, items in sorted(by_app.items())]
