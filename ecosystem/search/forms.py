from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SavedSearch


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    frequency = forms.ChoiceField(label=_("Tell me"), choices=SavedSearch.Frequency.choices,
                                  initial=SavedSearch.Frequency.DAILY)


class SavedSearchCreateForm(SavedSearchForm):
    path = forms.CharField(widget=forms.HiddenInput, max_length=200)
    query_string = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
