"""Web forms: shape of input only. Every rule about state and time lives in the services."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme
from ecosystem.text import TEXT_MAX_LENGTH
from stakeholders.models import Country, Helix

from .models import (
    CPV_LABELS,
    Call,
    CallDocument,
    Currency,
    normalise_cpv,
    validate_cpv_codes,
    validate_nuts,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CodeLookupMixin:
    """A text input that, with JavaScript, also looks codes up by code or name at
    ``data-lookup-url``; without it, the code is typed."""

    lookup_kind = ""
    lookup_label = ""

    def set_lookup(self, url: str) -> None:
        self.widget.attrs.update({
            "data-lookup-url": url, "data-lookup-kind": self.lookup_kind,
            "data-lookup-label": self.lookup_label,
            "data-lookup-found": _("%s found"), "data-lookup-added": _("Added: %s"),
        })


class CpvField(CodeLookupMixin, forms.CharField):
    """CPV codes as one text: separated by commas, semicolons or new lines, stored as a list.
    Known codes may be typed without their check digit; a wrong check digit is refused."""

    lookup_kind = "cpv"
    lookup_label = _("Find a CPV code by code or name")
    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value):
        if isinstance(value, list):
            return value
        value = super().to_python(value) or ""
        for separator in (";", "\n", "\r"):
            value = value.replace(separator, ",")
        codes = (code.strip().strip("[]\"' ") for code in value.split(","))
        return [normalise_cpv(code) for code in codes if code]

    def prepare_value(self, value):
        if isinstance(value, str) and value.startswith("["):  # the JSON a model field hands in
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        validate_cpv_codes(value)

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class NutsField(CodeLookupMixin, forms.CharField):
    lookup_kind = "nuts"
    lookup_label = _("Find a NUTS region by code or city")

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("validators", [validate_nuts])
        super().__init__(**kwargs)

    def to_python(self, value):
        return "".join((super().to_python(value) or "").split()).upper()


class HelicesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Helix.choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return _json_list(value)


class CountriesField(forms.TypedMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 8})

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Country.choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return _json_list(value)


def _json_list(value):
    if isinstance(value, str) and value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


CPV_HELP = _("Separated by commas or new lines, e.g. 34993000-4, 73100000-3. Common codes: "
             "%(codes)s")


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    challenge = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Challenge"), widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=_("What the city needs solved, in plain words."))
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Call.Procedure.choices)
    cpv_codes = CpvField(label=_("CPV codes"), required=False,
                         help_text=CPV_HELP % {"codes": ", ".join(list(CPV_LABELS)[:6])})
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple)
    nuts_region = NutsField(label=_("NUTS region of performance"), required=False,
                            help_text=_("e.g. HR031"))
    estimated_value = forms.DecimalField(label=_("Estimated value"), min_value=0,
                                         max_digits=14, decimal_places=2, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    smes_only = forms.BooleanField(label=_("SMEs only"), required=False)
    allowed_helices = HelicesField(label=_("Allowed helices (none ticked: all)"))
    allowed_countries = CountriesField(label=_("Allowed countries (none chosen: all)"))
    eligibility_notes = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Other eligibility conditions"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    clarification_deadline = forms.DateTimeField(label=_("Clarification deadline"),
                                                 required=False, widget=DATETIME)
    submission_deadline = forms.DateTimeField(label=_("Submission deadline"), required=False,
                                              widget=DATETIME)
    evaluation_end = forms.DateField(label=_("End of evaluation (planned)"), required=False,
                                     widget=DATE)
    award_date = forms.DateField(label=_("Award (planned)"), required=False, widget=DATE)
    standstill_days = forms.IntegerField(label=_("Standstill days"), min_value=0, max_value=60,
                                         initial=10)

    def __init__(self, *args, buyers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if buyers is not None:
            self.fields = {"buyer": forms.ModelChoiceField(label=_("Buyer"), queryset=buyers),
                           **self.fields}


class AmendForm(CallForm):
    rationale = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("What changed and why (published)"),
                                widget=forms.Textarea(attrs={"rows": 3}))


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100)
    description = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class LotForm(forms.Form):
    title = forms.CharField(label=_("Lot title"), max_length=200)
    description = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    estimated_value = forms.DecimalField(label=_("Estimated value"), min_value=0, max_digits=14,
                                         decimal_places=2, required=False)


class CallDocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CallDocument.Kind.choices)
    file = forms.FileField(label=_("File (PDF, ODT, DOCX or XLSX)"))


class EndForm(forms.Form):
    outcome = forms.ChoiceField(label=_("End the call as"), choices=[
        (Call.Status.CANCELLED, _("Cancelled")),
        (Call.Status.UNSUCCESSFUL, _("Unsuccessful (no valid application)")),
    ], widget=forms.RadioSelect)
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Public reason"), widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None,
                                          empty_label=None)
    text = forms.CharField(label=_("Your question"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Questions and answers are published to everyone without "
                                       "your name or organisation."))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Answer (published to everyone)"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class ApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Apply as"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplicationForm(forms.Form):
    """One answer per award criterion, and the lots if the call has any."""

    def __init__(self, *args, call, criteria, lots, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        answers = application.answers if application else {}
        for criterion in criteria:
            self.fields[f"answer_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.name} ({criterion.weight}%)", required=False,
                max_length=20000, help_text=criterion.description,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=answers.get(str(criterion.pk), ""))
        if lots:
            self.fields["lots"] = forms.ModelMultipleChoiceField(
                label=_("Lots"), queryset=call.lots.all(), required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(application.lots.all()) if application else [])

    def answers(self) -> dict:
        return {str(c.pk): self.cleaned_data.get(f"answer_{c.pk}", "") for c in self.criteria}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, ODT, DOCX or XLSX)"))


class AssignEvaluatorForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the evaluator's account"))
    is_chair = forms.BooleanField(label=_("Chair of the committee"), required=False)


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this applicant?"),
        choices=[("no", _("No, I have no conflict of interest")),
                 ("yes", _("Yes: I have a conflict of interest and step aside"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ScoresheetForm(forms.Form):
    comment = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Overall comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
        if sheet:
            self.fields["comment"].initial = sheet.comment
        for criterion in criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s (%(weight)s%%): score 0–10")
                % {"name": criterion.name, "weight": criterion.weight},
                min_value=0, max_value=10, decimal_places=1, required=False,
                initial=score.value if score else None)
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Justification for %(name)s") % {"name": criterion.name},
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.justification if score else "")

    def scores(self) -> dict:
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.pk}")
            justification = self.cleaned_data.get(f"justification_{criterion.pk}", "")
            if value is not None or justification:
                result[criterion.pk] = (value if value is not None else "", justification)
        return result


class AwardForm(forms.Form):
    winners = forms.ModelMultipleChoiceField(label=_("Successful applications"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple)
    reasons = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Reasons for the decision (sent to every applicant)"),
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winners"].queryset = applications
        self.fields["winners"].label_from_instance = lambda a: a.organisation.name


class ContractForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Supplier"), queryset=None)
    title = forms.CharField(label=_("Contract title"), max_length=200)
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=14, decimal_places=2)
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(label=_("End"), widget=DATE)
    signed_at = forms.DateTimeField(label=_("Signed"), widget=DATETIME, required=False)

    def __init__(self, *args, winners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = winners
        self.fields["application"].label_from_instance = lambda a: a.organisation.name
