"""Keyset (cursor) pagination for every API list: a deep page costs what the first one costs.

A list answers ``{"next": url, "previous": url, "results": [...]}``. ``next`` carries
``?cursor=``: the ordering values of the page's last row, so the next page is read with
``WHERE (ordering) > (last row) ... LIMIT n`` on the list's index instead of an ``OFFSET``
that reads and drops every row before it. There is no ``count``: counting 100,000 rows on
every request would cost more than the page.

``?page=N`` still works for the first ``MAX_PAGE`` pages (an ``OFFSET`` that stays small),
for clients written before cursors (a page past the end is empty); past that, or for
``page=0`` or a page that is not a number, the answer is a 400 in the error format that says
to follow ``next``. A cursor is opaque: one this list did not give out names no page, a 404
(any string is a well-formed cursor, so it cannot be bad input by the schema).
"""

import base64
import binascii
import datetime
import decimal
import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ecosystem.errors import InvalidInput, NotFound

MAX_PAGE = 50


@dataclass(frozen=True)
class Key:
    """One column of a list's ordering."""

    name: str
    descending: bool
    nullable: bool

    def order(self, reverse: bool = False):
        descending = self.descending != reverse
        if not self.nullable:
            return f"-{self.name}" if descending else self.name
        # Going forward NULLs come after every value, on SQLite and PostgreSQL alike.
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        return F(self.name).desc(**nulls) if descending else F(self.name).asc(**nulls)

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def after(self, value, reverse: bool = False) -> Q | None:
        """Rows strictly after ``value`` in this column's direction (None: no row is)."""
        descending = self.descending != reverse
        nulls_after = not reverse  # going forward NULLs come last in both directions
        if value is None:
            if nulls_after:
                return None
            return Q(**{f"{self.name}__isnull": False})
        rows = Q(**{f"{self.name}__{'lt' if descending else 'gt'}": value})
        if self.nullable and nulls_after:
            rows |= Q(**{f"{self.name}__isnull": True})
        return rows


def ordering_keys(queryset) -> list[Key] | None:
    """The queryset's ordering as keys ending with the primary key, or None when it orders by
    an expression that a cursor cannot hold."""
    query = queryset.query
    names = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
    meta = queryset.model._meta
    keys = []
    for name in names:
        if not isinstance(name, str) or "?" in name:
            return None
        descending = name.startswith("-")
        field_name = name.lstrip("-")
        if field_name == "pk":
            field_name = meta.pk.name
        try:
            field = meta.get_field(field_name)
            nullable = field.null
            if field.is_relation:
                field_name, nullable = field.attname, field.null
        except FieldDoesNotExist:
            nullable = True  # a related field ("organisation__name") may be missing
        keys.append(Key(field_name, descending, nullable))
        if field_name == meta.pk.attname:
            return keys
    keys.append(Key(meta.pk.attname, False, False))
    return keys


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _value_of(row, name):
    for part in name.split("__"):
        row = getattr(row, part, None) if row is not None else None
    return _plain(row)


def encode_cursor(values: list, reverse: bool) -> str:
    raw = json.dumps({"v": values, "r": int(reverse)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> tuple[list, bool]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values, reverse = data["v"], bool(data.get("r"))
    except (binascii.Error, ValueError, TypeError, KeyError, AttributeError):
        values, reverse = None, False
    if not isinstance(values, list) or len(values) != length or not all(
            value is None or isinstance(value, str | int | float | bool) for value in values):
        raise NotFound(
            _("This cursor is not valid: follow the next and previous links as given."),
            code="invalid_cursor", fields={"cursor": [_("Not a cursor of this list.")]})
    return values, reverse


def after_cursor(keys: list[Key], values: list, reverse: bool) -> Q:
    """Rows after the cursor in the ordering: (k1 > v1) or (k1 = v1 and k2 > v2) or ...,
    with the first column's range stated on its own so that the index serves it."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        after = key.after(value, reverse)
        if after is not None:
            condition |= equal & after
        equal &= key.equal(value)
    first, first_value = keys[0], values[0]
    leading = key_after_or_equal(first, first_value, reverse)
    return leading & condition if leading is not None else condition


def key_after_or_equal(key: Key, value, reverse: bool) -> Q | None:
    if not key.nullable and value is not None:
        # One range (>= or <=), not "= or >": SQLite reads an OR of the two through the whole
        # index, so the deepest page cost four times the first at 100,000 rows.
        descending = key.descending != reverse
        return Q(**{f"{key.name}__{'lte' if descending else 'gte'}": value})
    after = key.after(value, reverse)
    return key.equal(value) | after if after is not None else None


class KeysetPagination(pagination.BasePagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    page_query_param = "page"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise InvalidInput(
                _("page_size is a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
                code="invalid_page_size",
                fields={"page_size": [_("A whole number from 1 to %(max)d.")
                                      % {"max": self.max_page_size}]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self.get_page_size(request)
        self.page_number = None
        self.keys = ordering_keys(queryset)
        page = request.query_params.get(self.page_query_param) or None
        cursor = request.query_params.get(self.cursor_query_param) or None
        if self.keys is None:
            return self._by_page(queryset, page or "1")
        if page is not None and cursor is None:
            return self._by_page(queryset, page)
        return self._by_cursor(queryset, cursor)  # a cursor wins over a page number

    def _by_page(self, queryset, raw):
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if not 1 <= number <= MAX_PAGE:
            raise InvalidInput(
                _("page is a whole number from 1 to %(max)d; to go deeper, follow the next "
                  "links (cursor).") % {"max": MAX_PAGE},
                code="invalid_page",
                fields={"page": [_("A whole number from 1 to %(max)d.") % {"max": MAX_PAGE}]})
        start = (number - 1) * self.size
        rows = list(queryset[start:start + self.size + 1])
        self.page_number = number
        self.has_next, self.has_previous = len(rows) > self.size, number > 1
        self.rows = rows[:self.size]
        return self.rows

    def _by_cursor(self, queryset, cursor):
        reverse = False
        if cursor is not None:
            values, reverse = decode_cursor(cursor, len(self.keys))
            queryset = queryset.filter(after_cursor(self.keys, values, reverse))
        queryset = queryset.order_by(*(key.order(reverse) for key in self.keys))
        rows = list(queryset[:self.size + 1])
        more = len(rows) > self.size
        rows = rows[:self.size]
        if reverse:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.rows = rows
        return rows

    def _link(self, row, reverse):
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.page_query_param)
        values = [_value_of(row, key.name) for key in self.keys]
        return replace_query_param(url, self.cursor_query_param, encode_cursor(values, reverse))

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        if self.page_number is not None and self.keys is None:
            url = self.request.build_absolute_uri()
            return replace_query_param(url, self.page_query_param, self.page_number + 1)
        return self._link(self.rows[-1], reverse=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if self.page_number is not None:
            url = self.request.build_absolute_uri()
            if self.page_number == 2:
                return remove_query_param(url, self.page_query_param)
            return replace_query_param(url, self.page_query_param, self.page_number - 1)
        if not self.rows:
            return None
        return self._link(self.rows[0], reverse=True)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(),
                         "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last page."},
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "Where the page starts: taken from a next or previous link (any "
                            "other answers 404).",
             "schema": {"type": "string"}},
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": f"A page number, for the first {MAX_PAGE} pages only (follow "
                            "the next links beyond); ignored when a cursor is given.",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Results per page (default {self.page_size}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size}},
        ]


# Kept under its old name: settings and views name it.
PageNumberPagination = KeysetPagination
