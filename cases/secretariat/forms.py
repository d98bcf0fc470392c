"""HTML forms of the joint-meeting secretariat. Forms check shape; services check rules."""
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhuao.formats import date_display
from web.forms import ModelChoiceField, ModelMultipleChoiceField
from core.models import Agency, LiaisonRole
from core.validators import (
    TEXT_MAX_LENGTH, validate_operational_date, validate_operational_datetime,
)

from ..forms import DATE, _any
from ..models import (
    ActionItemStatus,
    AgendaItemKind,
    KeyCaseOutcome,
    Meeting,
    MeetingKind,
    RecurrenceFrequency,
    Weekday,
    WeekOfMonth,
)
from .selectors import scheduled_meetings

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("side", "kind", "code")


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(validators=[validate_operational_datetime],
                                    label=_("Starts at"), widget=DATETIME,
                                    input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(validators=[validate_operational_datetime],
                                  label=_("Ends at"), widget=DATETIME, required=False,
                                  input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, max_length=200,
                                 assume_scheme="https")
    invited_agencies = ModelMultipleChoiceField(
        label=_("Invited agencies"), queryset=Agency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    invited_people = ModelMultipleChoiceField(
        label=_("Invited people"), queryset=get_user_model().objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_agencies"].queryset = _agencies()
        self.fields["invited_people"].queryset = get_user_model().objects.filter(
            is_active=True, staff__isnull=False).order_by("username")
        self.fields["invited_people"].label_from_instance = (
            lambda user: f"{user.first_name or user.username} ({user.staff.agency.code})")


class MeetingSeriesForm(MeetingForm):
    """A recurring meeting: the meeting's fields less its times, and the rule."""

    frequency = forms.ChoiceField(label=_("Repeats"), choices=RecurrenceFrequency.choices)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=_any(Weekday.choices, "—"),
                                     coerce=int, empty_value=None, required=False)
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"), choices=_any(WeekOfMonth.choices, "—"), coerce=int,
        empty_value=None, required=False,
        help_text=_("Monthly on a weekday: the second Tuesday, the last Friday…"))
    day_of_month = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31,
                                      required=False,
                                      help_text=_("Monthly on a day: 31 means the month's last "
                                                  "day."))
    start_time = forms.TimeField(label=_("Start time"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15,
                                          max_value=12 * 60, initial=120)
    starts_on = forms.DateField(validators=[validate_operational_date], label=_("First day"),
                                widget=DATE)
    ends_on = forms.DateField(validators=[validate_operational_date], label=_("Last day"),
                              widget=DATE, required=False)
    skip_non_working_days = forms.BooleanField(
        label=_("Move an occurrence off a non-working day to the next working day"),
        required=False, initial=True)

    field_order = ["title", "kind", "frequency", "weekday", "week_of_month", "day_of_month",
                   "start_time", "duration_minutes", "starts_on", "ends_on",
                   "skip_non_working_days", "place", "online_link", "invited_agencies",
                   "invited_people"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["starts_at"]
        del self.fields["ends_at"]

    def clean(self):
        data = super().clean()
        ends_on, starts_on = data.get("ends_on"), data.get("starts_on")
        if ends_on and starts_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItemKind.choices)
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Background"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    case_numbers = forms.CharField(
        label=_("Case numbers"), required=False, max_length=400,
        help_text=_("For a key-case review: one or more case numbers, separated by spaces or "
                    "commas."))


class AssignForm(forms.Form):
    """A pending key-case review put on a meeting: any meeting still scheduled (checked with one
    query); the page offers the nearest ``MEETINGS_OFFERED`` of them."""

    meeting = ModelChoiceField(queryset=Meeting.objects.none(), label=_("Meeting"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = scheduled_meetings()
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{date_display(meeting.starts_at)} {meeting.title}")


class DecisionForm(forms.Form):
    """A decision; on a key-case review also its outcome and who took part (the service says
    what is missing)."""

    text = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Decision"),
                           widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Key-case outcome"), required=False,
                                choices=[("", "—"), *KeyCaseOutcome.choices])
    participating_agencies = ModelMultipleChoiceField(
        label=_("Agencies present"), required=False, queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    participants = ModelMultipleChoiceField(
        label=_("Staff present"), required=False, queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participating_agencies"].queryset = Agency.objects.filter(
            is_active=True).order_by("code")
        people = get_user_model().objects.none()
        if meeting is not None:
            people = get_user_model().objects.filter(
                Q(pk__in=meeting.invited_people.values("pk"))
                | Q(staff__agency__in=meeting.invited_agencies.values("pk"))
                | Q(staff__agency=meeting.organiser_agency_id), is_active=True).distinct()
        self.fields["participants"].queryset = people.order_by("username")


class ActionItemForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("meeting", "Action"), max_length=200)
    owner_agency = ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.none())
    due_date = forms.DateField(validators=[validate_operational_date],
                               label=_("Due date"), widget=DATE)
    decision = forms.ChoiceField(label=_("Follows from decision"), required=False)
    description = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                  label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = _agencies()
        self.fields["decision"].choices = [("", "—")] + [
            (str(decision.pk), decision.text[:80]) for decision in decisions]


class ProgressForm(forms.Form):
    text = forms.CharField(max_length=TEXT_MAX_LENGTH,
                           label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)


class MinutesForm(forms.Form):
    minutes = forms.CharField(max_length=TEXT_MAX_LENGTH, label=pgettext_lazy("meeting", "Minutes"),
                              widget=forms.Textarea(attrs={"rows": 14}))


class ActionItemFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_any(ActionItemStatus.choices),
                               required=False)
    owner_agency = ModelChoiceField(label=_("Owner agency"), required=False,
                                          queryset=Agency.objects.none())
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = _agencies()


class LiaisonForm(forms.Form):
    agency = ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    user = ModelChoiceField(label=_("Liaison"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=LiaisonRole.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    valid_from = forms.DateField(validators=[validate_operational_date],
                                 label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(validators=[validate_operational_date],
                                  label=_("Valid until"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()
        self.fields["user"].queryset = get_user_model().objects.filter(
            is_active=True, staff__isnull=False).select_related("staff__agency").order_by(
            "staff__agency__code", "username")
        self.fields["user"].label_from_instance = (
            lambda user: f"{user.first_name or user.username} ({user.staff.agency.code})")
