"""django-allauth hooks: where people land after signing in, and the sign-up form's extras."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .selectors import invitations_for


class AccountAdapter(DefaultAccountAdapter):
    """People land on "My portal", which guides a person without an organisation to create or
    join one; an invitation waiting for an answer takes them straight to it."""

    def _landing(self, request) -> str:
        user = request.user
        if user.is_authenticated and invitations_for(user=user).exists():
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
