import pytest

from ecosystem.search import index
from ecosystem.search.registry import kind_for_model


@pytest.fixture
def indexed(db):
    """Index rows that factories wrote directly (services do it after commit themselves)."""

    def index_rows(*rows):
        for row in rows:
            index.refresh_now(kind_for_model(type(row)), [row.pk])
        return rows[0] if len(rows) == 1 else rows

    return index_rows
