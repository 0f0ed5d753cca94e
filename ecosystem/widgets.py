"""Form widgets of the platform."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AutocompleteInput(forms.TextInput):
    """A text box that suggests choices as you type, instead of a ``<select>`` with an option per
    row of a large table (one per organisation).

    Without JavaScript it is a plain text box: the field accepts what a person can type (an
    organisation's exact name or its slug). ``static/ecosystem/autocomplete.js`` turns it into an
    ARIA combobox that reads ``url`` (``?q=``, plus ``params``) answering
    ``{"results": [{"value", "label", "detail"}]}`` and submits the chosen value.
    ``label_for(value)`` shows the current choice by its name.
    """

    template_name = "ecosystem/widgets/autocomplete_input.html"  # app dir: the form renderer

    class Media:
        js = ["ecosystem/autocomplete.js"]

    def __init__(self, *, url, params: dict | None = None, label_for=None, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.url, self.params, self.label_for = url, params or {}, label_for

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = self.label_for(value) if (self.label_for and value) else None
        context["widget"].update({
            "url": str(self.url),
            "params": self.params,
            "chosen": value or "",
            "shown": label or value or "",
            "hint": _("Type two letters or more, then pick a suggestion (or type the exact name)."),
            # {count} is replaced in the browser.
            "found": _("{count} suggestions: choose with the up and down arrow keys."),
            "none": _("No suggestion."),
        })
        return context
