"""The OpenAPI schema tells what the API answers, errors included.

Every operation documents, once and here, the error statuses that the platform itself can
answer, each with the one error body of ``ecosystem.api.errors``:

- 400 bad input (body, filters or page), 401 a wrong or missing token (or wrong
  credentials at the token endpoint), 403 not allowed (or the CSRF check of a signed-in
  browser), 404 missing or not visible (a URL, a row the body names, a cursor), 429
  throttled (with ``Retry-After``);
- 409 a wrong state, a passed deadline or a conflict: on operations that write.

An operation's own ``extend_schema(responses=...)`` still wins for a status it names.

A view whose 200 answer has another shape in another media type (the pilots' list as GeoJSON)
names it in ``media_type_schemas = {media type: schema}``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
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
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def error_statuses(method: str) -> dict:
    statuses = dict(ERRORS)
    if method.upper() not in SAFE_METHODS:
        statuses.update(WRITE_ERRORS)
    return dict(sorted(statuses.items()))


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (direction == "request" and isinstance(field, serializers.SlugField)
                and not field.allow_unicode
                and schema.get("type") == "string" and "pattern" not in schema):
            schema["pattern"] = r"^[-a-zA-Z0-9_]+$"  # what the field's validator takes
        # A text that is trimmed and may not be blank needs one character that is not a space:
        # "  " is refused as blank although its length is 2.
        if (direction == "request" and isinstance(field, serializers.CharField)
                and field.trim_whitespace and not field.allow_blank
                and schema.get("type") == "string" and "pattern" not in schema
                and "enum" not in schema and "format" not in schema):
            schema["pattern"] = r"\S"
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
