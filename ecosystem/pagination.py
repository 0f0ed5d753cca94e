"""Pagination of the web lists with a capped page count.

A list shows at most ``MAX_PAGES`` pages: it counts at most that many rows (``COUNT`` over a
``LIMIT``ed subquery) and never reads past them, so page 1 and the deepest page cost the same
at 1,000 and at 100,000 rows. A longer list says so and asks to refine the search; the API's
cursors (``ecosystem.api.pagination``) go through everything.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

MAX_PAGES = 50


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, max_pages: int = MAX_PAGES, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages

    @cached_property
    def limit(self) -> int:
        return self.per_page * self.max_pages

    @cached_property
    def uncapped_count(self) -> int:
        """The number of rows, counted only up to one past the cap."""
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.distinct:
            # The first N rows in any order are as many as in the list's order: without the
            # ORDER BY the database stops at the cap instead of sorting every row first (the
            # pilot map's 10,001 of 20,000 pilots by title: 40 ms on PostgreSQL).
            rows = rows.order_by()
        rows = rows[:self.limit + 1]
        return rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)

    def page(self, number):
        page = super().page(number)
        rows = page.object_list
        if (isinstance(rows, QuerySet) and rows.query.annotations and not rows.query.distinct
                and not rows.query.combinator):
            # Per-row annotations (correlated subqueries: places taken, partners per helix)
            # are computed for every row an OFFSET skips, so page 50 computed them for 1,000
            # rows. The page's ids come first, read without them; then only its rows are
            # annotated, in the list's order (which ends with the id, so it is total).
            ids = list(rows.values_list("pk", flat=True))
            page.object_list = self.object_list.filter(pk__in=ids)
        return page

    @cached_property
    def capped(self) -> bool:
        return self.uncapped_count > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.uncapped_count, self.limit)


def capped_page(object_list, per_page: int, number, max_pages: int = MAX_PAGES):
    """The page asked for (the last one when it is past the end, the first when it is not a
    number), as ``Paginator.get_page`` gives it."""
    return CappedPaginator(object_list, per_page, max_pages=max_pages).get_page(number)
