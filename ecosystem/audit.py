from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def audit(*, actor, action: str, target: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record ``action`` ("<app>.<thing>.<verb>") on ``target`` by ``actor`` (None: the system)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes or {},
    )
