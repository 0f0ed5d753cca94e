"""Errors raised by services. Web views turn them into messages, the API into its one format:
``{"message": ..., "code": ..., "fields": {...}}``."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    default_code = "invalid"
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.fields = fields or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """Bad input that a form or serializer could not know about (400)."""


class NotFound(DomainError):
    """Input that names something not there, or not visible to the actor (404): a reference in
    a body, a cursor not given out by this list."""

    status_code = 404
    default_code = "not_found"
    default_message = _("Not found.")


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it (403)."""

    status_code = 403
    default_code = "permission_denied"
    default_message = _("You are not allowed to do this.")


class InvalidTransition(DomainError):
    """The object is not in a state that allows this (409)."""

    status_code = 409
    default_code = "invalid_state"
    default_message = _("This is not possible in the current state.")


class DeadlinePassed(InvalidTransition):
    """A write after its deadline, by the server clock (409)."""

    default_code = "deadline_passed"
    default_message = _("The deadline has passed.")


class Conflict(DomainError):
    """A duplicate or a concurrent change (409)."""

    status_code = 409
    default_code = "conflict"
    default_message = _("This conflicts with existing data.")
