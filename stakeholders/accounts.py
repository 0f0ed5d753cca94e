"""django-allauth hooks: where people land after signing in, and the sign-up form's extras."""

from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import invitations_for

# For this long after registering, a person without an organisation is guided to create one
# at every sign-in; after that (a citizen, most likely) only when an invitation waits.
GUIDANCE_PERIOD = timedelta(days=14)


class AccountAdapter(DefaultAccountAdapter):
    """A person without an organisation is guided to create one (or to find theirs)."""

    def _landing(self, request) -> str:
        user = request.user
        if user.is_authenticated and not user.is_staff and not user.memberships.exists() and (
            user.date_joined >= timezone.now() - GUIDANCE_PERIOD
            or invitations_for(user=user).exists()
        ):
            return reverse("stakeholders:my-organisations")
        return super().get_login_redirect_url(request)

    def get_login_redirect_url(self, request):
        return self._landing(request)

    def get_signup_redirect_url(self, request):
        return self._landing(request)

    def get_email_verification_redirect_url(self, email_address):
        if self.request.user.is_authenticated:
            return self._landing(self.request)
        return super().get_email_verification_redirect_url(email_address)


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, required=False,
        help_text=_("Shown to colleagues, and on organisation profiles only if you choose so."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data.get("full_name", "").strip()
        user.save(update_fields=["full_name"])
