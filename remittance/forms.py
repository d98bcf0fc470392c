from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from web.forms import ModelChoiceField
from core.models import District
from core.validators import (
    TEXT_MAX_LENGTH, validate_operational_date, validate_operational_datetime,
)

from .models import (
    AppointmentPurpose,
    AppointmentStatus,
    OnboardingStatus,
    RecipientStatus,
)
from .selectors import bank_branch_list


class DateInput(forms.DateInput):
    """A date typed in the browser's date field, which takes and gives ISO dates (YYYY-MM-DD)
    only: the value is rendered in that format whatever the page's language, or the field
    shows nothing and the prefilled date is lost."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


ROSTER_PARTIAL = "partial"
ROSTER_FULL = "full"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster file (XLSX or CSV)"))
    roster = forms.ChoiceField(
        label=_("What the file holds"), widget=forms.RadioSelect, choices=[
            (ROSTER_PARTIAL, _("Part of the roster: new recipients and changes only")),
            (ROSTER_FULL, _("The full monthly roster: every current recipient"))],
        help_text=_("With a full roster, an active recipient missing from the file is "
                    "suspended and not paid in the next batch until a civil-affairs officer "
                    "reinstates them. A partial roster suspends nobody."))

    @property
    def is_full_roster(self) -> bool:
        return self.cleaned_data.get("roster") == ROSTER_FULL


class RecipientFilterForm(forms.Form):
    q = forms.CharField(max_length=TEXT_MAX_LENGTH,
                        label=_("Name or IAS case number"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False,
                                 choices=[("", _("Any"))] + District.choices)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + RecipientStatus.choices)
    onboarding = forms.ChoiceField(label=_("Card status"), required=False,
                                   choices=[("", _("Any"))] + OnboardingStatus.choices)


class VisitForm(forms.Form):
    visit_date = forms.DateField(validators=[validate_operational_date],
                                 label=_("Home visit date"), widget=DateInput)
    officers = forms.CharField(label=_("Visiting officers"), max_length=200)
    bank_branch = ModelChoiceField(label=_("Partner bank branch"), required=False,
                                         queryset=bank_branch_list())


class CardOpenedForm(forms.Form):
    on_date = forms.DateField(validators=[validate_operational_date],
                              label=_("Date the card was opened"), widget=DateInput,
                              initial=timezone.localdate)
    account_no = forms.CharField(label=_("Card account number"), max_length=40)
    bank_branch = ModelChoiceField(label=_("Partner bank branch"),
                                         queryset=bank_branch_list())


class ActivateForm(forms.Form):
    on_date = forms.DateField(validators=[validate_operational_date],
                              label=_("Date of activation"), widget=DateInput,
                              initial=timezone.localdate)


class FailForm(forms.Form):
    on_date = forms.DateField(validators=[validate_operational_date],
                              label=_("Date"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    declined = forms.BooleanField(label=_("The recipient declined"), required=False)


class BankCardOpenedForm(CardOpenedForm):
    """A bank's staff record a card opened at one of their own bank's branches."""

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_branch"].queryset = branches


class BankVisitForm(forms.Form):
    """The bank's staff record the home visit at which they open the card."""

    visit_date = forms.DateField(validators=[validate_operational_date],
                                 label=_("Home visit date"), widget=DateInput)
    officers = forms.CharField(label=_("Visiting staff"), max_length=200)


class ReinstateForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RecipientStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Roster status"), choices=RecipientStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AppointmentForm(forms.Form):
    branch = ModelChoiceField(label=_("Branch with priority window"),
                                    queryset=bank_branch_list(priority_only=True))
    scheduled_at = forms.DateTimeField(validators=[validate_operational_datetime],
                                       label=_("Time"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AppointmentPurpose.choices)


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=[
        choice for choice in AppointmentStatus.choices if choice[0] != AppointmentStatus.BOOKED])
    outcome = forms.CharField(label=_("Note"), max_length=300, required=False)


class BranchForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=80)
    name = forms.CharField(label=_("Branch"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    district = forms.ChoiceField(label=_("District"), required=False,
                                 choices=[("", "—")] + District.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    has_priority_window = forms.BooleanField(label=_("Offers a priority window"),
                                             required=False)
    priority_hours = forms.CharField(label=_("Priority window hours"), max_length=120,
                                     required=False)


class BatchPrepareForm(forms.Form):
    period = forms.DateField(validators=[validate_operational_date],
                             label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
                             widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                             help_text=_("The month paid, e.g. 2022-07."))
    rate = forms.CharField(label=_("Exchange rate (CNY per 1 MOP)"), max_length=20,
                           help_text=_("At most 6 decimals, e.g. 0.875432."))
    rate_date = forms.DateField(validators=[validate_operational_date],
                                label=_("Rate date"), widget=DateInput)
    rate_source = forms.CharField(label=_("Rate source"), max_length=120,
                                  help_text=_("E.g. the partner bank's published rate."))
    rate_confirmed = forms.BooleanField(
        label=_("I have checked the rate"), required=False,
        help_text=_("Needed only when the rate is more than ten per cent away from the previous "
                    "batch's rate."))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300)


class ResultUploadForm(forms.Form):
    file = forms.FileField(label=_("Bank result file (CSV)"))
