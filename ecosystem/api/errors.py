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


def _codes(codes):
    if isinstance(codes, dict):
        return [code for value in codes.values() for code in _codes(value)]
    if isinstance(codes, list):
        return [code for value in codes for code in _codes(value)]
    return [codes]


def only_missing_references(exc: exceptions.ValidationError) -> bool:
    """Whether every error of ``exc`` is a reference to a row that does not exist (or is not
    visible): DRF's related fields answer those with the code ``does_not_exist``."""
    codes = _codes(exc.get_codes())
    return bool(codes) and all(code == "does_not_exist" for code in codes)


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
        if only_missing_references(exc):
            # Well-formed input naming what is not there: as for a URL naming it, a 404.
            response.status_code = status.HTTP_404_NOT_FOUND
            response.data = error_body(
                _("Something this refers to does not exist, or is not visible to you."),
                "not_found", _flatten(detail))
        else:
            response.data = error_body(_("Invalid input."), "invalid", _flatten(detail))
    else:
        detail = exc.detail
        code = detail.code if hasattr(detail, "code") else exc.default_code
        message = detail if not isinstance(detail, dict | list) else exc.default_detail
        response.data = error_body(message, code)
    return response
