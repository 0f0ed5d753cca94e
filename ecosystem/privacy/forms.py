from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.text import PASSWORD_MAX_LENGTH


class EraseAccountForm(forms.Form):
    password = forms.CharField(max_length=PASSWORD_MAX_LENGTH,
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."))
    confirm = forms.BooleanField(
        label=_("I understand that my account and my data are erased for good."))
