"""Reads of the open-data catalogue: last modification and the version tag of a dataset."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max

from .registry import Dataset


def dataset_state(dataset: Dataset) -> tuple[int, datetime | None]:
    """(number of rows, last modification) in one query."""
    state = dataset.queryset().order_by().aggregate(rows=Count("pk"),
                                                    modified=Max(dataset.modified))
    return state["rows"], state["modified"]


def dataset_etag(dataset: Dataset, fmt: str, rows: int, modified) -> str:
    """Changes when rows are added, removed or modified, or the columns or licence change."""
    parts = [dataset.key, fmt, str(rows), modified.isoformat() if modified else "",
             ",".join(dataset.column_names()), settings.OPEN_DATA_LICENCE_URL]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
