"""The OpenAPI schema tells what the API answers, errors included.

Every operation documents, once and here, the error statuses that the platform itself can
answer, each with the one error body of ``ecosystem.api.errors``:

- 400 bad input (body, filters or page), 401 a wrong or missing token (or wrong
  credentials at the token endpoint), 403 not allowed (or the CSRF check of a signed-in
  browser), 404 missing or not visible (a URL, a row the body names, a cursor), 429
  throttled (with ``Retry-After``);
- 409 a wrong state, a passed deadline or a conflict, and 415 a body of a media type the
  operation does not take: on operations that write.

An operation's own ``extend_schema(responses=...)`` still wins for a status it names.

A view whose 200 answer has another shape in another media type (the pilots' list as GeoJSON)
names it in ``media_type_schemas = {media type: schema}``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from ecosystem.api.serializers import Serializer


class ErrorSerializer(Serializer):
    message = serializers.CharField(help_text=_("What went wrong, for a person to read."))
    code = serializers.CharField(
        help_text=_("A stable code for programs, e.g. invalid, not_found, deadline_passed."))
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_("The invalid inputs, each name with its list of messages (a nested input "
                    "answers a nested object); empty when no input is to blame."),
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": _("Bad input: the body, a filter or the page is invalid."),
    "401": _("The token (or the e-mail and password) is wrong, or the operation needs you to "
             "sign in."),
    "403": _("You are not allowed to do this."),
    "404": _("Not found, or not visible to you: also a row the body names, or a cursor "
             "the list did not give out."),
    "429": _("Too many requests: wait the seconds given in Retry-After."),
}
WRITE_ERRORS = {
    "409": _("Not possible in the current state, past a deadline, or in conflict with "
             "existing data."),
    "415": _("The body is not of a media type this operation takes (see its request body)."),
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def error_statuses(method: str) -> dict:
    statuses = dict(ERRORS)
    if method.upper() not in SAFE_METHODS:
        statuses.update(WRITE_ERRORS)
    return dict(sorted(statuses.items()))


def _digits(low: int, high: int) -> str:
    """``\\d`` from ``low`` to ``high`` times."""
    if high == 0:
        return ""
    return rf"\d{{{low},{high}}}" if low != high else rf"\d{{{low}}}"


def _digits_below(bound: int) -> str:
    """A regex for the canonical integers 0 <= n < bound (no leading zeros), bound >= 1."""
    text = str(bound)
    alternatives = ["0"]
    if len(text) >= 2:
        alternatives.append("[1-9]" + _digits(0, len(text) - 2))
    for position, digit in enumerate(text):
        low, high = (1 if position == 0 else 0), int(digit) - 1
        if low > high:
            continue
        rest = len(text) - position - 1
        alternatives.append(text[:position] + (str(low) if low == high else f"[{low}-{high}]")
                            + (_digits(rest, rest) if rest else ""))
    return "|".join(alternatives)


def _magnitude(whole_digits: int, places: int, bound) -> str:
    """A regex for the magnitudes a decimal field takes: at most ``whole_digits`` before the
    point, ``places`` after it, and (when ``bound`` is a whole number) at most ``bound``."""
    fraction = rf"(?:\.{_digits(0, places)})?" if places else ""
    alternatives = []
    if bound is not None and bound < 10**whole_digits:
        if bound >= 1:
            alternatives.append(f"(?:{_digits_below(int(bound))}){fraction}")
        alternatives.append(str(int(bound)) + (rf"(?:\.0{{0,{places}}})?" if places else ""))
    elif whole_digits:
        alternatives.append(f"(?:0|[1-9]{_digits(0, whole_digits - 1)}){fraction}")
    else:
        alternatives.append("0" + fraction)
    if places and (bound is None or bound >= 1):
        alternatives.append(r"\." + _digits(1, places))
    return "|".join(alternatives)


def decimal_pattern(field: serializers.DecimalField) -> str | None:
    """The exact strings a decimal field takes, range included, where a pattern can say it:
    bounds that are whole numbers, a lower bound of none, zero or minus the upper bound.
    drf-spectacular's own pattern lets through "", "." and "-" and says nothing of the range,
    so a client generated from the schema would send what the field refuses."""
    if field.max_digits is None or field.decimal_places is None:
        return None
    low, high = field.min_value, field.max_value
    if any(bound is not None and bound != int(bound) for bound in (low, high)):
        return None
    whole = field.max_digits - field.decimal_places
    places = field.decimal_places
    positive = _magnitude(whole, places, high)
    if low is None:
        negative = _magnitude(whole, places, None)
    elif low == 0:
        negative = None
    elif high is not None and low == -high:
        negative = positive
    else:
        return None
    if negative is None:
        return f"^(?:{positive})$"
    if negative == positive:
        return f"^-?(?:{positive})$"
    return f"^(?:-(?:{negative})|{positive})$"


# The web addresses Django's URLValidator takes, in a shape short enough for its 200
# characters: http(s), an ASCII host name with a top-level domain, an optional path. (The
# validator takes more, such as IP addresses and ports; a schema's pattern may say less than
# the server takes, never more.)
URL_PATTERN = (r"^https?://[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?"
               r"(?:\.[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?){0,2}\.[a-z]{2,20}"
               r"(?:/[-a-zA-Z0-9._~%!$&'()*+,;=:@/]{0,60})?$")


def _url_pattern(schema: dict) -> None:
    """``format: uri`` takes addresses (``a:b``, ``http://x``) Django's URL validation
    refuses: the request schema says what it takes with a pattern instead."""
    for member in [schema, *schema.get("oneOf", [])]:
        if member.get("format") == "uri":
            del member["format"]
            member["pattern"] = URL_PATTERN


NOT_BLANK = r"[^\s\u0000-\u001f\u007f\u0085]"


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (direction == "request" and isinstance(field, serializers.SlugField)
                and not field.allow_unicode
                and schema.get("type") == "string" and "pattern" not in schema):
            schema["pattern"] = r"^[-a-zA-Z0-9_]+$"  # what the field's validator takes
        if direction == "request" and isinstance(field, serializers.DecimalField):
            pattern = decimal_pattern(field)
            if pattern and schema.get("type") == "string":
                schema["pattern"] = pattern
        if direction == "request" and isinstance(field, serializers.URLField):
            _url_pattern(schema)
        # A text that is trimmed and may not be blank needs one character that is neither a
        # space nor a control character (the parser removes those): "  " is refused as blank
        # although its length is 2.
        if (direction == "request" and isinstance(field, serializers.CharField)
                and field.trim_whitespace and not field.allow_blank
                and schema.get("type") == "string" and "pattern" not in schema
                and "enum" not in schema and "format" not in schema):
            schema["pattern"] = NOT_BLANK
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        for media_type, schema in getattr(self.view, "media_type_schemas", {}).items():
            if media_type in content:
                content[media_type] = {"schema": schema}
        # Built here rather than by _get_response_for_code, which would wrap the error of a
        # list operation in the list's pagination.
        error = self.resolve_serializer(ErrorSerializer(), direction).ref
        for code, description in error_statuses(self.method).items():
            if code in responses:
                continue
            responses[code] = {
                "description": str(description),
                "content": {"application/json": {"schema": error}},
            }
            if code == "429":
                responses[code]["headers"] = {"Retry-After": {
                    "schema": {"type": "integer"},
                    "description": str(_("Seconds to wait before the next request.")),
                }}
        return responses


def bodies_without_files(result, generator, request, public):
    """drf-spectacular gives a request body one component for every media type, so a JSON or a
    URL-encoded body would list the file fields (``format: binary``) that only a multipart body
    can carry. Those media types get the component without them: ``<Name>WithoutFiles``."""
    schemas = result.get("components", {}).get("schemas", {})
    for path in result.get("paths", {}).values():
        for operation in path.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            for media_type in ("application/json", "application/x-www-form-urlencoded"):
                ref = content.get(media_type, {}).get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                stripped = _without_files(schemas, name)
                if stripped:
                    content[media_type]["schema"] = {"$ref": f"#/components/schemas/{stripped}"}
    return result


def _without_files(schemas: dict, name: str) -> str | None:
    component = schemas.get(name)
    if not component:
        return None
    files = [key for key, value in component.get("properties", {}).items()
             if value.get("format") == "binary"]
    if not files:
        return None
    stripped = f"{name}WithoutFiles"
    if stripped not in schemas:
        schemas[stripped] = {**component, "properties": {
            key: value for key, value in component["properties"].items() if key not in files}}
        required = [key for key in component.get("required", []) if key not in files]
        if required:
            schemas[stripped]["required"] = required
        else:
            schemas[stripped].pop("required", None)
    return stripped


FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def form_bodies_without_null(result, generator, request, public):
    """A form cannot send null: a field left empty ("") is how it says "none", and the
    serializer reads it so. A form body whose component has nullable fields gets a copy
    without ``nullable``: ``<Name>Form``. (JSON bodies keep ``null``.)"""
    schemas = result.get("components", {}).get("schemas", {})
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            content = (operation.get("requestBody") or {}).get("content", {})
            for media_type in FORM_MEDIA_TYPES:
                ref = content.get(media_type, {}).get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                component = schemas.get(name)
                if not component or not any(
                        value.get("nullable") for value in component.get("properties", {}).values()):
                    continue
                form = f"{name}Form"
                if form not in schemas:
                    schemas[form] = {**component, "properties": {
                        key: {k: v for k, v in value.items() if k != "nullable"}
                        for key, value in component["properties"].items()}}
                content[media_type]["schema"] = {"$ref": f"#/components/schemas/{form}"}
    return result


def closed_request_bodies(result, generator, request, public):
    """Every request body names all the fields it takes (``additionalProperties: false``): the
    serializers refuse a key they do not declare (``ecosystem.api.serializers``). Nested bodies
    (a scoresheet's scores) are closed too; a free-form object field keeps its own schema."""
    schemas = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    pending = [
        media["schema"]
        for path in result.get("paths", {}).values()
        for operation in path.values() if isinstance(operation, dict)
        for media in (operation.get("requestBody") or {}).get("content", {}).values()
        if "schema" in media
    ]
    while pending:
        schema = pending.pop()
        if not isinstance(schema, dict):
            continue
        name = schema.get("$ref", "").rsplit("/", 1)[-1]
        if name:
            if name in seen or name not in schemas:
                continue
            seen.add(name)
            schema = schemas[name]
            if "properties" in schema:
                schema.setdefault("additionalProperties", False)
        pending.extend(schema.get("properties", {}).values())
        pending.extend(schema.get(key) for key in ("items", "additionalProperties"))
        for key in ("allOf", "oneOf", "anyOf"):
            pending.extend(schema.get(key, []))
    return result


def empty_query_values(result, generator, request, public):
    """An optional query parameter sent empty (``?date_to=``, what an HTML form sends for a
    field left blank) is the same as leaving it out, on every operation: the FilterSets, the
    pagination, ``?lang=`` and the views' own parameters all read it so. Said once, here."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result


NO_NUL = "^[^\\u0000]*$"


class FilterExtension(DjangoFilterExtension):
    """The platform's filter backend, described as django-filter's plus what the form field
    checks that drf-spectacular leaves out (a text filter's ``max_length``)."""

    target_class = "ecosystem.api.filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field)
        max_length = filter_field.extra.get("max_length")
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") != "string":
                continue
            if max_length:
                schema["maxLength"] = max_length
            if not {"enum", "format", "pattern"} & schema.keys():
                schema["pattern"] = NO_NUL  # a form field refuses a NUL character
        return parameters
