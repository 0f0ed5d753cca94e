import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.fields import TimeZoneField
from ecosystem.models import Theme
from ecosystem.text import TEXT_MAX_LENGTH
from stakeholders.models import Organisation
from stakeholders.permissions import organisations_administered_by, organisations_of_member

from .models import CooperationProfile, Event, MeetingSlot

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Register on behalf of"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("Myself only"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_of_member(user).order_by("name")


class EventProposalForm(forms.ModelForm):
    """What an organisation admin fills in to propose an event. Times are entered in the
    event's own time zone."""

    organisers = forms.ModelMultipleChoiceField(
        label=_("Organised by"), queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple)
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https",
        help_text=_("Shown only to confirmed participants."))
    time_zone = TimeZoneField(label=_("Time zone"), initial="Europe/Zagreb")

    class Meta:
        model = Event
        fields = ["title", "summary", "description", "kind", "mode", "language", "organisers",
                  "themes", "venue_name", "street_address", "postal_code", "city", "latitude",
                  "longitude", "online_url", "time_zone", "starts_at", "ends_at", "capacity",
                  "registration_opens_at", "registration_closes_at", "matchmaking"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME,
                   "registration_opens_at": DATETIME, "registration_closes_at": DATETIME,
                   "description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = organisations_administered_by(user).order_by("name")
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            self.fields[name].help_text = _("In the event's time zone.")

    def clean(self):
        data = super().clean()
        tz_name = data.get("time_zone")
        if tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            for name in ("starts_at", "ends_at", "registration_opens_at",
                         "registration_closes_at"):
                value = data.get(name)
                if value is not None:
                    data[name] = value.replace(tzinfo=tz)
        return data


class ProfileForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = CooperationProfile
        fields = ["direction", "type", "title", "description", "organisation", "themes",
                  "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_of_member(user).order_by("name")
        self.fields["organisation"].required = False


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you offer or look for, and why a meeting would help both of you."))


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "inputmode": "text",
                                      "autofocus": True}))


class AvailabilityForm(forms.Form):
    unavailable = forms.ModelMultipleChoiceField(
        label=_("I am NOT available in these slots"), queryset=MeetingSlot.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].queryset = (MeetingSlot.objects.filter(session__event=event)
                                               .select_related("session")
                                               .order_by("starts_at"))
        tz = event.tzinfo
        self.fields["unavailable"].label_from_instance = lambda slot: (
            f"{slot.session.name}: {slot.starts_at.astimezone(tz):%a %d %b %H:%M}–"
            f"{slot.ends_at.astimezone(tz):%H:%M}")


class EventChangeForm(forms.Form):
    """Staff: cancel, postpone or move an event online, with the public reason."""

    ACTIONS = (("cancel", _("Cancel the event")), ("postpone", _("Postpone it")),
               ("move_online", _("Move it online")))
    change = forms.ChoiceField(label=_("Change"), choices=ACTIONS)
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Public reason"), widget=forms.Textarea(attrs={"rows": 3}))
    online_url = forms.URLField(label=_("Online link (when moving online)"), required=False,
                                 assume_scheme="https")
    starts_at = forms.DateTimeField(label=_("New start (when postponing to a date)"),
                                    required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("New end"), required=False, widget=DATETIME)
