"""The API's JSON parser: what a client sends is bounded before any view sees it.

Every JSON write endpoint (the anonymous token endpoint included) parses through here, so a
body that is too deep, holds a number no database column can store, or a text longer than any
field allows is a 400 in the one error format, never a 500. Control characters are removed
from every text (tab and line breaks stay), as the feedback forms always did.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from ecosystem.text import TEXT_MAX_LENGTH, strip_controls

MAX_DEPTH = 32
# The range of a 64-bit signed integer: the widest integer column on SQLite and PostgreSQL.
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1


def _integer(text: str) -> int:
    if len(text) > 20:
        raise ParseError(_("A number is out of range."), code="out_of_range")
    value = int(text)
    if not INTEGER_MIN <= value <= INTEGER_MAX:
        raise ParseError(_("A number is out of range."), code="out_of_range")
    return value


def _no_constant(name: str):
    raise ParseError(_("%(name)s is not a number JSON allows.") % {"name": name}, code="parse_error")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ParseError(_("A number is out of range."), code="out_of_range")
    return value


def bounded(data):
    """``data`` checked for depth and text length, with control characters removed (no
    recursion: a deep body cannot exhaust the stack here)."""
    root = [data]
    stack = [(root, 0, 0, None)]
    while stack:
        container, key, depth, field = stack.pop()
        value = container[key]
        if isinstance(value, str):
            if len(value) > TEXT_MAX_LENGTH:
                message = _("Please keep it under %(max)d characters.") % {"max": TEXT_MAX_LENGTH}
                raise ValidationError({field or "non_field_errors": [message]})
            container[key] = strip_controls(value)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise ParseError(_("The JSON is nested too deeply."), code="too_deep")
            keys = range(len(value)) if isinstance(value, list) else list(value)
            for inner in keys:
                if isinstance(inner, str) and len(inner) > TEXT_MAX_LENGTH:
                    raise ParseError(_("A key is too long."), code="too_long")
                top = field if field is not None else (inner if isinstance(inner, str) else None)
                stack.append((value, inner, depth + 1, top))
    return root[0]


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise ParseError(_("The request body is too large."), code="too_large")
        try:
            data = json.loads(raw.decode(encoding), parse_int=_integer, parse_float=_float,
                              parse_constant=_no_constant)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply."), code="too_deep") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        return bounded(data)
