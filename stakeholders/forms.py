import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.fields import AutocompleteChoiceField
from ecosystem.models import Theme

from .models import City, Competence, Membership, Organisation

NUTS_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
# NUTS codes use EL for Greece and UK for the United Kingdom.
NUTS_COUNTRY = {"GR": "EL", "GB": "UK"}


class OrganisationForm(forms.ModelForm):
    """The organisation profile, as its administrators fill it in. The helix follows the kind."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("group", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What you work on. Calls, events and partners are suggested from these."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"),
        queryset=Competence.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "kind", "country", "city", "nuts_region", "website", "description", "size",
            "employees", "themes", "competences", "logo", "partner_suggestions_opt_out",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
        }
        help_texts = {
            "name": _("The legal or commonly used name."),
            "kind": _("Decides the helix the organisation belongs to."),
            "city": _("Leave empty if your city is not listed."),
            "nuts_region": _("Statistical region code, e.g. HR031 for Primorje-Gorski Kotar."),
            "logo": _("PNG, JPEG, WebP or GIF, at most 2 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.order_by("name")
        self.fields["city"].empty_label = _("Not in a listed city")
        self.fields["kind"].choices = [("", _("Choose a kind"))] + list(self.fields["kind"].choices)[1:]
        self.fields["size"].choices = [("", _("Not given"))] + list(self.fields["size"].choices)[1:]
        self.fields["country"].choices = (
            [("", _("Choose a country"))] + list(self.fields["country"].choices)[1:]
        )
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean_nuts_region(self):
        value = self.cleaned_data.get("nuts_region", "").strip().upper().replace(" ", "")
        if value and not NUTS_PATTERN.match(value):
            raise forms.ValidationError(_("A NUTS code is two letters and up to three more letters or digits, e.g. HR031."))
        return value

    def clean(self):
        cleaned = super().clean()
        nuts, country = cleaned.get("nuts_region"), cleaned.get("country")
        if nuts and country and not nuts.startswith(NUTS_COUNTRY.get(country, country)):
            self.add_error(
                "nuts_region",
                _("This NUTS code is not in the chosen country (it should start with %(prefix)s).")
                % {"prefix": NUTS_COUNTRY.get(country, country)},
            )
        city = cleaned.get("city")
        if city and country and city.country != country:
            self.add_error("city", _("This city is not in the chosen country."))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values in the shape the services take."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields
                if name not in ("themes", "competences", "logo")}
        logo = self.cleaned_data.get("logo")
        if logo is False:
            data["logo"] = ""
        elif logo and "logo" in self.changed_data:
            data["logo"] = logo
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER,
        help_text=_("Administrators can change the profile and manage members."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class VisibilityForm(forms.Form):
    is_public = forms.BooleanField(label=_("Show me on the public profile"), required=False)


class OrganisationChoiceField(AutocompleteChoiceField):
    """Chooses one organisation by its slug or its exact name, as an autocomplete (limited to
    one helix when ``helix`` is given)."""

    suggest_url = "stakeholders:organisation-suggest"
    ambiguous_message = _("Several organisations have this name: pick one of the suggestions.")

    def __init__(self, queryset, *, helix: str = "", **kwargs):
        super().__init__(queryset, params={"helix": helix} if helix else {}, **kwargs)
