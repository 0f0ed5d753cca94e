from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.fields import AutocompleteChoiceField
from ecosystem.models import Theme

from .models import (
    COMMENT_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    Action,
    Feedback,
    PhaseKind,
    Pilot,
    Project,
)

LATITUDE = {"min_value": Decimal("-90"), "max_value": Decimal("90"), "max_digits": 9,
            "decimal_places": 6, "required": False}
LONGITUDE = {"min_value": Decimal("-180"), "max_value": Decimal("180"), "max_digits": 9,
             "decimal_places": 6, "required": False}


class _PointMixin:
    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class FeedbackForm(_PointMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What would you like to send?"), choices=Feedback.Kind.choices,
                             widget=forms.RadioSelect, initial=Feedback.Kind.COMMENT)
    body = forms.CharField(
        label=_("Your comment or idea"), max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": FEEDBACK_MAX_LENGTH}),
        help_text=_("Plain text, up to 5,000 characters. A moderator reads it before it is "
                    "published."),
    )
    latitude = forms.DecimalField(label=_("Latitude (optional)"), **LATITUDE,
                                  widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.DecimalField(label=_("Longitude (optional)"), **LONGITUDE,
                                   widget=forms.NumberInput(attrs={"step": "any"}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the author)"), max_length=500)


class ResultProgressForm(forms.Form):
    achieved = forms.DecimalField(label=_("Achieved so far"), min_value=0, max_digits=12,
                                  decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class HelicesField(forms.MultipleChoiceField):
    """The helices a project looks for, as checkboxes (stored as a list)."""

    def __init__(self, **kwargs):
        from stakeholders.models import Helix

        kwargs.setdefault("label", _("Helices we look for"))
        super().__init__(choices=Helix.choices, required=False,
                         widget=forms.CheckboxSelectMultiple, **kwargs)


class ProjectForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_helices_wanted = HelicesField(
        help_text=_("Only organisations of these helices are suggested the project; none "
                    "chosen: any helix."))

    class Meta:
        model = Project
        fields = ["acronym", "title", "summary", "funding_programme", "start_date", "end_date",
                  "budget", "eu_funding", "website", "themes", "partners_wanted",
                  "partner_helices_wanted", "partners_wanted_until"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}),
                   "end_date": forms.DateInput(attrs={"type": "date"}),
                   "partners_wanted": forms.Textarea(attrs={"rows": 4}),
                   "partners_wanted_until": forms.DateInput(attrs={"type": "date"})}


class PartnerInterestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("For"), queryset=None)
    message = forms.CharField(label=_("Message (optional)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)


class PilotForm(_PointMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = forms.DecimalField(label=_("Latitude"), **LATITUDE,
                                  widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.DecimalField(label=_("Longitude"), **LONGITUDE,
                                   widget=forms.NumberInput(attrs={"step": "any"}))
    news = forms.CharField(
        label=_("Message to followers (optional)"), required=False, max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Followers are told about a new status or new results anyway."),
    )

    class Meta:
        model = Pilot
        fields = ["title", "summary", "what_is_tested", "results", "status", "start_date",
                  "end_date", "address", "latitude", "longitude", "themes"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}),
                   "end_date": forms.DateInput(attrs={"type": "date"})}


class PilotNewsForm(forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}))


class RoadmapForm(forms.Form):
    vision = forms.CharField(label=_("Vision"), max_length=COMMENT_MAX_LENGTH, required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    stage = forms.ChoiceField(label=_("Where the city stands in the cycle"),
                              choices=PhaseKind.choices)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "owner", "status", "due_date", "description"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}


class MeasurementForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    date = forms.DateField(label=_("Date measured"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ProjectChoiceField(AutocompleteChoiceField):
    """Chooses one project by its slug or its acronym, as an autocomplete."""

    suggest_url = "projects:project-suggest"
    name_field = "acronym"
    ambiguous_message = _("Several projects have this acronym: pick one of the suggestions.")
