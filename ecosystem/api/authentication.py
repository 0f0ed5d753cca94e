"""How the API knows who calls: the session (the web pages' cookie) or an API token.

Kept apart from the token endpoint (``auth.py``) because DRF imports it while loading its
settings, before any view.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, status


class InvalidToken(exceptions.APIException):
    """A token that is wrong or revoked: 401 with ``WWW-Authenticate: Token``, as for a
    request without credentials (token authentication comes first in the settings)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Invalid or revoked token: get a new one from /api/v1/auth/token/.")
    default_code = "invalid_token"
    auth_header = "Token"


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        try:
            return super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed:
            raise InvalidToken() from None
