from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.fields import CaseField, offer_latest_people, offer_recent_people
from zhuao.formats import date_display
from web.forms import ModelChoiceField, ModelMultipleChoiceField
from core.validators import (
    TEXT_MAX_LENGTH, validate_operational_date, validate_operational_datetime,
)

from core.models import District

from .models import AskableSide, DataCategory, EmergencyKind, FindingOutcome


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AuthorizationForm(forms.Form):
    person = ModelChoiceField(label=_("Person"), queryset=None, help_text=_(
        "The people of your latest cases. For someone else, use the link on the person's page."))
    signatories = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                  label=_("Signatories"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("The person and the household members who signed, "
                                              "one a line."))
    categories = forms.MultipleChoiceField(label=_("Data categories covered"),
                                           choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    sides = forms.MultipleChoiceField(label=_("Sides that may be asked"),
                                      choices=AskableSide.choices,
                                      widget=forms.CheckboxSelectMultiple)
    valid_from = forms.DateField(validators=[validate_operational_date],
                                 label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(validators=[validate_operational_date],
                                  label=_("Valid until"), widget=DateInput())
    received_on = forms.DateField(validators=[validate_operational_date],
                                  label=_("Received on"), widget=DateInput(),
                                  initial=timezone.localdate)
    scan = forms.FileField(label=_("Signed form (scan)"),
                           help_text=_("PDF, JPEG or PNG; the content is checked."))

    def __init__(self, *args, persons, cases, **kwargs):
        super().__init__(*args, **kwargs)
        offer_recent_people(self.fields["person"], persons, cases, self.initial.get("person"),
                            self.data.get(self.add_prefix("person")))

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and \
                data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end of validity is before its start."))
        return data


class InboundRequestForm(forms.Form):
    """A Macau or Hengqin liaison asks Zhuhai about a person its agency registered."""

    person = ModelChoiceField(label=_("Person to verify"), queryset=None,
                                    help_text=_("The people your agency registered."))
    categories = forms.MultipleChoiceField(label=_("Data categories to verify"),
                                           choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    authorization = ModelChoiceField(label=_("Signed authorization"), queryset=None,
                                           required=False,
                                           help_text=_("Required before the request can be "
                                                       "sent: signed by the person, allowing "
                                                       "Zhuhai to be asked about these "
                                                       "categories. The person's valid "
                                                       "authorizations are offered once the "
                                                       "person is chosen: open this form from "
                                                       "the person's page, or save the draft "
                                                       "and change it."))
    question = forms.CharField(max_length=TEXT_MAX_LENGTH,
                               label=_("What to verify"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, persons, authorizations, **kwargs):
        super().__init__(*args, **kwargs)
        offer_latest_people(self.fields["person"], persons, self.initial.get("person"),
                            self.data.get(self.add_prefix("person")))
        self.fields["authorization"].queryset = authorizations
        self.fields["authorization"].label_from_instance = lambda a: (
            f"{a.person.name_zh} · {date_display(a.valid_from)} – {date_display(a.valid_until)}")


class RouteForm(forms.Form):
    district = forms.ChoiceField(label=_("District that answers"), choices=District.choices)


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Reason for revocation"),
                             widget=forms.Textarea(attrs={"rows": 2}))
    revoked_on = forms.DateField(validators=[validate_operational_date],
                                 label=_("Revocation date"), widget=DateInput(),
                                 initial=timezone.localdate)


class RequestForm(forms.Form):
    case = CaseField(label=_("Case"))
    receiving_side = forms.ChoiceField(label=_("Side to ask"), choices=AskableSide.choices)
    categories = forms.MultipleChoiceField(label=_("Data categories to verify"),
                                           choices=DataCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    authorization = ModelChoiceField(label=_("Signed authorization"), queryset=None,
                                           required=False,
                                           help_text=_("Required before the request can be "
                                                       "sent. The case subject's valid "
                                                       "authorizations are offered once the case "
                                                       "is chosen: open this form from the case "
                                                       "page, or save the draft and change it."))
    question = forms.CharField(max_length=TEXT_MAX_LENGTH,
                               label=_("What to verify"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cases, authorizations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["authorization"].queryset = authorizations
        self.fields["authorization"].label_from_instance = lambda a: (
            f"{a.person.name_zh} · {date_display(a.valid_from)} – {date_display(a.valid_until)}")
        if editing:  # the case and the asked side are fixed once the draft exists
            del self.fields["case"]
            del self.fields["receiving_side"]


class ConfirmForm(forms.Form):
    """The confirm button of a check page: no field, only the refusal when there is one (the
    page's error summary lists it)."""


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_MAX_LENGTH,
                             label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    attachments = MultipleFileField(label=_("Attachments"), required=False,
                                    help_text=_("PDF, JPEG or PNG."))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DataCategory.choices)
        self.categories = categories
        for category in categories:
            self.fields[f"outcome_{category}"] = forms.ChoiceField(
                label=_("%(category)s: outcome") % {"category": labels.get(category, category)},
                choices=[("", "---------")] + list(FindingOutcome.choices))
            self.fields[f"text_{category}"] = forms.CharField(max_length=TEXT_MAX_LENGTH, 
                label=_("%(category)s: finding") % {"category": labels.get(category, category)},
                required=False, widget=forms.Textarea(attrs={"rows": 2}))
        self.order_fields([name for category in categories
                           for name in (f"outcome_{category}", f"text_{category}")])

    def findings(self) -> list[dict]:
        return [{"category": category, "outcome": self.cleaned_data[f"outcome_{category}"],
                 "text": self.cleaned_data[f"text_{category}"]} for category in self.categories]


class UrgentForm(forms.Form):
    person = ModelChoiceField(label=_("Person"), queryset=None, help_text=_(
        "The people of your latest cases. For someone else, use the link on the person's page."))
    kind = forms.ChoiceField(label=_("Emergency"), choices=EmergencyKind.choices)
    occurred_at = forms.DateTimeField(validators=[validate_operational_datetime],
                                      label=_("Happened at"), widget=DateTimeInput(),
                                      initial=timezone.now)
    description = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                  label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    agencies = ModelMultipleChoiceField(label=_("Agencies to notify"), queryset=None,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, persons, cases, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        offer_recent_people(self.fields["person"], persons, cases, self.initial.get("person"),
                            self.data.get(self.add_prefix("person")))
        self.fields["agencies"].queryset = agencies


class BulletinSectionForm(forms.Form):
    """One side's section: the counts are computed when it is saved; the officer or liaison
    writes the cases of common concern."""

    common_concern = forms.CharField(
        label=_("Cases of common concern"), required=False, max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the other sides should know about this period. Your side's counts "
                    "are computed from its records when you save."))


class PublishConfirmForm(forms.Form):
    """Publishing a bulletin with sections missing: the officer ticks that they checked."""

    confirm = forms.BooleanField(label=_("I have checked the above"), required=True)
