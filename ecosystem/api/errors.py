"""One error format for the whole API: {"message": ..., "code": ..., "fields": {...}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ecosystem.errors import DomainError


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = []
        for item in detail:
            value = _flatten(item)
            flat.extend(value if isinstance(value, list) else [value])
        return flat
    return str(detail)


def error_body(message, code, fields=None) -> dict:
    return {"message": str(message), "code": code, "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        response = Response(
            error_body(exc.message, exc.code, _flatten(exc.fields)), status=exc.status_code
        )
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            response["WWW-Authenticate"] = "Token"  # RFC 9110: a 401 names its scheme
        return response
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            error_body(_("Invalid input."), "invalid", _flatten(fields)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            error_body(_("This conflicts with existing data."), "conflict"),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(_("Invalid input."), "invalid", _flatten(detail))
    else:
        detail = exc.detail
        code = detail.code if hasattr(detail, "code") else exc.default_code
        message = detail if not isinstance(detail, dict | list) else exc.default_detail
        response.data = error_body(message, code)
    return response
