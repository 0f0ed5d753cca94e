"""API tokens for scripts: ``POST /api/v1/auth/token/`` with e-mail and password returns the
caller's token (the same one on every call); ``DELETE`` with that token revokes it.

Only active people get a token, for an e-mail address of theirs that is verified, as for
signing in on the web. Both doors share one lockout: the token endpoint authenticates through
allauth's adapter, so its failures count toward the web login's per-account limit
(``ACCOUNT_RATE_LIMITS["login_failed"]``) and a locked account gets no token. A password
change or reset revokes the person's tokens (``tokens_revoke``, connected in
``ecosystem.apps``); Django's session hash already signs out their other sessions.
"""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ecosystem.api.serializers import Serializer
from ecosystem.errors import DomainError, NotAllowed


class WrongCredentials(DomainError):
    """401, as for a wrong token: the credentials sent are refused (not malformed input)."""

    status_code = 401
    default_code = "invalid_credentials"
    default_message = _("The e-mail address or the password is wrong.")


class TooManyAttempts(DomainError):
    status_code = 429
    default_code = "too_many_login_attempts"
    default_message = _("Too many failed sign-ins: try again later.")


def tokens_revoke(*, user, **_ignored) -> int:
    """Revoke every API token of ``user`` (after a password change or reset)."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted


class TokenRequestSerializer(Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


TokenSerializer = inline_serializer("Token", {"token": serializers.CharField()})


class AuthTokenApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        summary="Get your API token",
        description=(
            "Send your e-mail address and password; the answer holds your token. Use it as "
            "`Authorization: Token <token>`. Calling again returns the same token."
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"]
        try:
            user = get_adapter(request._request).authenticate(
                request._request, email=email, password=data.validated_data["password"])
        except forms.ValidationError:
            raise TooManyAttempts() from None
        if user is None or not user.is_active:
            raise WrongCredentials()
        if not EmailAddress.objects.filter(user=user, email__iexact=email,
                                           verified=True).exists():
            raise NotAllowed(_("Confirm your e-mail address first: follow the link we sent you."),
                             code="email_not_verified")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(summary="Revoke your API token", request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
