"""HTML forms of the register (the secretariat's are in cases/secretariat/forms.py). Forms check
shape; services check rules."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.forms import ModelChoiceField
from core.identity import DocumentType
from core.models import Agency, District
from core.money import Currency
from core.validators import TEXT_MAX_LENGTH, validate_birth_date

from .models import (
    CaseCategory,
    CaseStatus,
    IncomeKind,
    Relationship,
    ResidenceStatus,
    RiskLevel,
    Sex,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _any(choices, label=_("Any")):
    return [("", label)] + list(choices)


class PersonForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=80)
    name_latin = forms.CharField(label=_("Name (Portuguese/English)"), max_length=120,
                                 required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    date_of_birth = forms.DateField(validators=[validate_birth_date],
                                    label=_("Date of birth"), widget=DATE)
    residence_status = forms.ChoiceField(label=_("Residence status"),
                                         choices=ResidenceStatus.choices)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=DocumentType.choices)
    document_number = forms.CharField(
        label=_("Document number"), max_length=40,
        help_text=_("Macau resident ID as 1234567(8); mainland and residence-permit numbers "
                    "have 18 characters."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address in Zhuhai"), max_length=200, required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(District.choices, "—"),
                                 required=False)
    confirm_new_reason = forms.CharField(
        label=_("Why this is a new person"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when possible matches are shown: say why none of them is this person."))


class PersonEditForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=80)
    name_latin = forms.CharField(label=_("Name (Portuguese/English)"), max_length=120,
                                 required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    date_of_birth = forms.DateField(validators=[validate_birth_date],
                                    label=_("Date of birth"), widget=DATE)
    residence_status = forms.ChoiceField(label=_("Residence status"),
                                         choices=ResidenceStatus.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address in Zhuhai"), max_length=200, required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(District.choices, "—"),
                                 required=False)


class PersonSearchForm(forms.Form):
    q = forms.CharField(max_length=TEXT_MAX_LENGTH,
                        label=_("Name or document number"), required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(District.choices),
                                 required=False)


class HouseholdForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(District.choices, "—"),
                                 required=False)
    living_situation = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                       label=_("Living situation"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 4}))


class MemberForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Identity document"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("Document number of the registered person"),
                                      max_length=40)
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[choice for choice in Relationship.choices if choice[0] != Relationship.HEAD])


class IncomeForm(forms.Form):
    member = forms.ChoiceField(label=_("Earned by"), required=False)
    kind = forms.ChoiceField(label=_("Kind of income"), choices=IncomeKind.choices)
    monthly_amount = forms.CharField(label=_("Monthly amount"), max_length=20)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = household.members.select_related("person") if household else []
        self.fields["member"].choices = [("", _("The household"))] + [
            (str(member.person_id), member.person.name_zh) for member in members]


class CaseOpenForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CaseCategory.choices)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    household = forms.ChoiceField(label=_("Household"), required=False)
    summary = forms.CharField(max_length=TEXT_MAX_LENGTH,
                              label=pgettext_lazy("cases", "Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—")] + [
            (str(household.pk), f"{household} · {household.address}") for household in households]


class CaseSearchForm(forms.Form):
    q = forms.CharField(max_length=TEXT_MAX_LENGTH,
                        label=_("Name, document or case number"), required=False)
    district = forms.ChoiceField(label=_("District"), choices=_any(District.choices),
                                 required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_any(CaseStatus.choices),
                               required=False)
    category = forms.ChoiceField(label=_("Category"), choices=_any(CaseCategory.choices),
                                 required=False)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=_any(RiskLevel.choices),
                                   required=False)
    key_case = forms.ChoiceField(label=_("Key case"), required=False,
                                 choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))])
    mine = forms.BooleanField(label=_("Mine only"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("cases", "Note"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=400,
                             help_text=_("Required when reopening a case."))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, CaseStatus(value).label) for value in allowed]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or XLSX)"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class ShareForm(forms.Form):
    agency = ModelChoiceField(label=_("Share with"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Reason for sharing"), max_length=400)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        # read the agencies once: for the template's "any left to share with?" and the select
        field = self.fields["agency"]
        field.widget.choices = list(field.choices)
        self.has_agencies = len(field.widget.choices) > (field.empty_label is not None)


class UnshareForm(forms.Form):
    agency = ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all(),
                                    widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=400)


class KeyCaseForm(forms.Form):
    title = forms.CharField(label=_("Agenda item title"), max_length=200)
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH,
                             label=_("Why the case needs a key-case review"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class MergeDecisionForm(forms.Form):
    """The city officer's note with a merge decision; a refusal shows in the error summary."""

    reason = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2, "id": "merge-reason"}))


class MergeUndoForm(forms.Form):
    reason = forms.CharField(label=_("Why undo"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2, "id": "undo-reason"}))
