"""Forms collect what was typed; amounts stay text here and are parsed by the services (one
rule for pages and API: core.money.parse_amount)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.fields import CaseField
from web.forms import ModelChoiceField
from core.models import Agency, Side
from core.validators import TEXT_MAX_LENGTH, validate_operational_date

from .models import EmergencyKind, Status


class ApplicationForm(forms.Form):
    case = CaseField(label=_("Case"),
                     help_text=_("The applicant is the subject of the case. Type its number, or "
                                 "choose one of your latest cases."))
    kind = forms.ChoiceField(label=_("Emergency kind"), choices=EmergencyKind.choices)
    description = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                  label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    household_situation = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                          label=_("Household situation"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))
    amount_requested = forms.CharField(label=_("Amount requested (CNY)"), max_length=30,
                                       widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    is_fast_track = forms.BooleanField(
        label=_("Emergency fast track (先行救助): pay at once, paperwork within 5 working days"),
        required=False)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is None:
            return
        self.fields["case"].queryset = cases


class ApplicationEditForm(ApplicationForm):
    """A draft's details; the case stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, cases=None, **kwargs)
        del self.fields["case"]


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Status.choices))
    kind = forms.ChoiceField(label=_("Emergency kind"), required=False,
                             choices=[("", _("All"))] + list(EmergencyKind.choices))
    q = forms.CharField(label=_("Number or name"), required=False, max_length=80)


class SubmitForm(forms.Form):
    frequency_override_reason = forms.CharField(
        label=_("Reason for exceeding the frequency limit (only if it applies)"), required=False,
        max_length=500)


class ApproveForm(forms.Form):
    amount = forms.CharField(label=_("Amount approved (CNY)"), required=False, max_length=30,
                             help_text=_("Leave empty to approve the amount requested."))
    note = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Decision note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    frequency_override_reason = forms.CharField(
        label=_("Reason for exceeding the frequency limit (only if it applies)"), required=False,
        max_length=500)


class NoteForm(forms.Form):
    note = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("District opinion"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH,
                             label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=80)


class ShareForm(forms.Form):
    agency = ModelChoiceField(label=_("Share with"), queryset=Agency.objects.filter(
        side__in=[Side.MACAU, Side.HENGQIN], is_active=True))
    reason = forms.CharField(label=_("Reason"), max_length=400)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Supporting document (PDF, JPEG or PNG)"))
    description = forms.CharField(label=_("Description"), required=False, max_length=200)


class AllocationForm(forms.Form):
    amount = forms.CharField(label=_("Amount (CNY)"), max_length=30)
    allocated_on = forms.DateField(validators=[validate_operational_date],
                                   label=_("Allocation date"),
                                   widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    document_reference = forms.CharField(label=_("Document reference"), max_length=120)


class ThresholdForm(forms.Form):
    low_balance_threshold = forms.CharField(label=_("Low-balance alert threshold (CNY)"),
                                            max_length=30)


class StatementForm(forms.Form):
    start = forms.DateField(validators=[validate_operational_date],
                            label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(validators=[validate_operational_date],
                          label=_("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data


class PolicyForm(forms.Form):
    effective_from = forms.DateField(validators=[validate_operational_date],
                                     label=_("Effective from"),
                                     widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    standard_amount = forms.CharField(label=_("Standard amount (CNY per month)"), max_length=30)
    district_limit_multiple = forms.CharField(label=_("District approval limit (× standard)"),
                                              initial="3", max_length=10)
    city_limit_multiple = forms.CharField(label=_("City approval limit (× standard)"),
                                          initial="6", max_length=10)
    fast_track_limit_multiple = forms.CharField(label=_("Fast-track limit (× standard)"),
                                                initial="1", max_length=10)
    fast_track_paperwork_days = forms.IntegerField(
        label=_("Fast-track paperwork deadline (working days)"), initial=5, min_value=1,
        max_value=60)
    frequency_limit = forms.IntegerField(label=_("Grants per person allowed in the window"),
                                         initial=2, min_value=1, max_value=50)
    frequency_window_months = forms.IntegerField(label=_("Frequency window (months)"),
                                                 initial=12, min_value=1, max_value=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
