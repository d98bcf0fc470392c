from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.fields import CaseField, offer_latest_people
from core.models import Agency, AgencyKind, District
from core.validators import TEXT_MAX_LENGTH, validate_operational_date
from web.forms import ModelChoiceField

from .models import (
    ContractStatus,
    KpiMeasure,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    QualificationLevel,
    ReferralStatus,
    RegistrationPlace,
    ServiceReviewStatus,
    ServiceType,
    SocialWorker,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=OrganisationKind.choices)
    registered_in = forms.ChoiceField(label=_("registered in"), choices=RegistrationPlace.choices)
    uscc = forms.CharField(label=_("unified social credit code"), max_length=30, required=False,
                           help_text=_("18 characters; for organisations registered on the "
                                       "mainland."))
    macau_registration_number = forms.CharField(label=_("Macau registration number"),
                                                max_length=40, required=False)
    agency = ModelChoiceField(label=_("staff accounts' agency"), required=False,
                                    queryset=Agency.objects.filter(kind=AgencyKind.NGO))
    contact_person = forms.CharField(label=_("contact person"), max_length=80, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("contact e-mail"), required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    services_offered = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                       label=_("services offered"), widget=forms.Textarea,
                                       required=False)
    districts_served = forms.MultipleChoiceField(label=_("districts served"), required=False,
                                                 choices=District.choices,
                                                 widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("status"), choices=OrganisationStatus.choices,
                               initial=OrganisationStatus.ACTIVE)

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict:
        data = {field: getattr(organisation, field) for field in cls.base_fields
                if field != "districts_served"}
        data["districts_served"] = organisation.district_codes
        return data


class SocialWorkerForm(forms.Form):
    organisation = ModelChoiceField(label=_("employing organisation"),
                                          queryset=Organisation.objects.none())
    name = forms.CharField(label=_("name"), max_length=80)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    is_macau_social_worker = forms.BooleanField(label=_("Macau social worker"), required=False)
    macau_registration_number = forms.CharField(label=_("Macau registration number"),
                                                max_length=40, required=False)
    macau_registration_valid_until = forms.DateField(validators=[validate_operational_date],
                                                     label=_("Macau registration valid until"),
                                                     required=False, widget=DATE)
    qualification_level = forms.ChoiceField(label=_("mainland qualification level"),
                                            choices=QualificationLevel.choices)
    practice_registration_number = forms.CharField(label=_("Zhuhai practice registration number"),
                                                   max_length=40)
    practice_valid_from = forms.DateField(validators=[validate_operational_date],
                                          label=_("practice registration valid from"),
                                          widget=DATE)
    practice_valid_until = forms.DateField(validators=[validate_operational_date],
                                           label=_("practice registration valid until"),
                                           widget=DATE)
    supervisor = ModelChoiceField(label=_("supervisor"), required=False,
                                        queryset=SocialWorker.objects.none())
    is_active = forms.BooleanField(label=pgettext_lazy("partners", "active"), required=False, initial=True)

    def __init__(self, *args, organisations, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["supervisor"].queryset = workers

    @classmethod
    def initial_from(cls, worker: SocialWorker) -> dict:
        return {field: getattr(worker, field) for field in cls.base_fields}


class ContractForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("partners", "title"), max_length=200)
    provider = ModelChoiceField(label=_("provider"), queryset=Organisation.objects.none())
    budget = forms.CharField(label=_("budget (CNY)"), max_length=30)
    period_start = forms.DateField(validators=[validate_operational_date],
                                   label=_("period start"), widget=DATE)
    period_end = forms.DateField(validators=[validate_operational_date],
                                 label=_("period end"), widget=DATE)
    service_scope = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                    label=_("service scope"), widget=forms.Textarea,
                                    required=False)

    def __init__(self, *args, providers=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["provider"]
        else:
            self.fields["provider"].queryset = providers


class KpiForm(forms.Form):
    name = forms.CharField(label=_("KPI name"), max_length=120)
    measure = forms.ChoiceField(label=_("unit"), choices=KpiMeasure.choices)
    service_type = forms.ChoiceField(label=_("counts only service type"), required=False,
                                     choices=[("", _("All service types")), *ServiceType.choices])
    target = forms.CharField(label=_("target"), max_length=20)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=120)
    period_start = forms.DateField(validators=[validate_operational_date],
                                   label=_("period start"), widget=DATE)
    period_end = forms.DateField(validators=[validate_operational_date],
                                 label=_("period end"), widget=DATE)
    amount = forms.CharField(label=_("payment amount (CNY)"), max_length=30)


class ReferralForm(forms.Form):
    case = CaseField(label=_("case"))
    contract = ModelChoiceField(label=_("contract"), queryset=None)
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH,
                             label=_("reason for referral"), widget=forms.Textarea)
    needs = forms.CharField(max_length=TEXT_MAX_LENGTH,
                            label=_("needs"), widget=forms.Textarea, required=False)
    consent_given = forms.TypedChoiceField(
        label=_("Has the person consented to the referral?"),
        choices=[("no", _("No")), ("yes", _("Yes"))], coerce=lambda value: value == "yes",
        widget=forms.RadioSelect, initial="no")
    consent_date = forms.DateField(validators=[validate_operational_date],
                                   label=_("consent date"), required=False, widget=DATE)
    consent_form = forms.FileField(label=_("consent form scan (PDF, JPEG or PNG)"),
                                   required=False)

    def __init__(self, *args, cases, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = (
            lambda contract: f"{contract.number} · {contract.title} · {contract.provider}")


class InboundReferralForm(forms.Form):
    """A Macau or Hengqin liaison refers a person of its side (or shared with it): no case."""

    person = ModelChoiceField(label=_("Person to refer"), queryset=None,
                                    help_text=_("The people your agency registered or that "
                                                "were shared with it."))
    contract = ReferralForm.base_fields["contract"]
    reason = ReferralForm.base_fields["reason"]
    needs = ReferralForm.base_fields["needs"]
    consent_given = ReferralForm.base_fields["consent_given"]
    consent_date = ReferralForm.base_fields["consent_date"]
    consent_form = ReferralForm.base_fields["consent_form"]

    def __init__(self, *args, persons, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        offer_latest_people(self.fields["person"], persons, self.initial.get("person"),
                            self.data.get(self.add_prefix("person")))
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = (
            lambda contract: f"{contract.number} · {contract.title} · {contract.provider}")


class ConsentForm(forms.Form):
    consent_given = ReferralForm.base_fields["consent_given"]
    consent_date = ReferralForm.base_fields["consent_date"]
    consent_form = ReferralForm.base_fields["consent_form"]


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH,
                             label=_("reason for declining"), widget=forms.Textarea)


class ServiceRecordForm(forms.Form):
    contract = ModelChoiceField(label=_("contract"), queryset=None)
    referral = ModelChoiceField(label=_("referral"), queryset=None, required=False)
    worker = ModelChoiceField(label=_("social worker"), queryset=None)
    service_date = forms.DateField(validators=[validate_operational_date],
                                   label=_("service date"), widget=DATE)
    service_type = forms.ChoiceField(label=_("service type"), choices=ServiceType.choices)
    duration = forms.IntegerField(label=_("duration"), min_value=1)
    duration_unit = forms.ChoiceField(label=_("duration unit"),
                                      choices=[("minutes", pgettext_lazy("partners", "minutes")), ("hours", _("hours"))])
    outcome = forms.CharField(max_length=TEXT_MAX_LENGTH,
                              label=pgettext_lazy("partners", "outcome"), widget=forms.Textarea, required=False)
    follow_up = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                label=_("follow-up"), widget=forms.Textarea, required=False)
    follow_up_date = forms.DateField(validators=[validate_operational_date],
                                     label=_("follow-up date"), required=False, widget=DATE)

    def __init__(self, *args, contracts, referrals, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = (
            lambda contract: f"{contract.number} · {contract.title}")
        self.fields["referral"].queryset = referrals
        self.fields["referral"].label_from_instance = (
            lambda referral: f"{referral.number} · {referral.person_name}")
        self.fields["worker"].queryset = workers

    def duration_minutes(self) -> int:
        value = self.cleaned_data["duration"]
        return value * 60 if self.cleaned_data["duration_unit"] == "hours" else value


class EvaluationForm(forms.Form):
    period_start = forms.DateField(validators=[validate_operational_date],
                                   label=_("period start"), widget=DATE)
    period_end = forms.DateField(validators=[validate_operational_date],
                                 label=_("period end"), widget=DATE)
    milestone = ModelChoiceField(label=_("milestone"), queryset=None, required=False)
    score = forms.CharField(label=_("score (0–100)"), max_length=10)
    remarks = forms.CharField(max_length=TEXT_MAX_LENGTH,
                              label=_("remarks"), widget=forms.Textarea, required=False)

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("All")), *ReferralStatus.choices])


class ServiceRecordFilterForm(forms.Form):
    review_status = forms.ChoiceField(label=_("review"), required=False,
                                      choices=[("", _("All")), *ServiceReviewStatus.choices])


class ContractFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("All")), *ContractStatus.choices])


class FiguresForm(forms.Form):
    start = forms.DateField(validators=[validate_operational_date],
                            label=pgettext_lazy("partners", "from"), widget=DATE)
    end = forms.DateField(validators=[validate_operational_date], label=_("until"), widget=DATE)
    district = forms.ChoiceField(label=_("district"), required=False,
                                 choices=[("", _("All districts")), *District.choices])
