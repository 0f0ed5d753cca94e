"""Who may download an export: the person, for exports they asked for themselves; the staff
member who produced one for a data subject request. Nobody else, and never once expired."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import DataExport


def exports_downloadable_by(user) -> QuerySet[DataExport]:
    if not getattr(user, "is_authenticated", False):
        return DataExport.objects.none()
    mine = Q(user=user, requested_by__isnull=True)
    produced = Q(requested_by=user) if user.is_staff else Q(pk__in=[])
    return DataExport.objects.filter(mine | produced).filter(
        status=DataExport.Status.READY, expires_at__gt=timezone.now()).exclude(file="")


def can_download_export(user, export: DataExport) -> bool:
    return exports_downloadable_by(user).filter(pk=export.pk).exists()
