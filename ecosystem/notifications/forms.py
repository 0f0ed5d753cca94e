from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import Frequency, configurable_kinds


class PreferencesForm(forms.Form):
    """One select per registered kind, named after the kind's key."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in configurable_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=current.get(kind.key, kind.default_frequency),
                help_text=_("Default: %(default)s")
                % {"default": Frequency(kind.default_frequency).label},
            )

    def groups(self):
        """The selects grouped by the app that registered the kind ("events.x" -> Events)."""
        from django.apps import apps

        grouped: dict[str, list] = {}
        for name in self.fields:
            label = name.split(".", 1)[0]
            try:
                title = str(apps.get_app_config(label).verbose_name)
            except LookupError:
                title = label.capitalize()
            grouped.setdefault(title, []).append(self[name])
        return list(grouped.items())


class FollowForm(forms.Form):
    target_type = forms.CharField(max_length=100)
    target_id = forms.CharField(max_length=64)
    action = forms.ChoiceField(choices=[("follow", "follow"), ("unfollow", "unfollow")])
    next = forms.CharField(max_length=500, required=False)
