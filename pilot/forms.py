from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.forms import ModelChoiceField
from core.models import District
from core.validators import TEXT_MAX_LENGTH, validate_operational_date

from .models import ProgressStatus, Stage, Workstream


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DashboardFilterForm(forms.Form):
    start = forms.DateField(validators=[validate_operational_date],
                            label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(validators=[validate_operational_date],
                          label=_("Until"), required=False, widget=DateInput())
    district = forms.ChoiceField(label=_("District"), required=False,
                                 choices=[("", _("Whole city"))] + list(District.choices))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    document_number = forms.CharField(label=pgettext_lazy("pilot", "Document number"), max_length=60, required=False)
    starts_on = forms.DateField(validators=[validate_operational_date],
                                label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(validators=[validate_operational_date],
                              label=_("Ends on"), widget=DateInput())


class StageForm(forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=20)
    name = forms.CharField(label=pgettext_lazy("pilot", "Name"), max_length=100)
    starts_on = forms.DateField(validators=[validate_operational_date],
                                label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(validators=[validate_operational_date],
                              label=_("Ends on"), widget=DateInput())
    description = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                  label=_("Description"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))


class TaskForm(forms.Form):
    number = forms.IntegerField(label=pgettext_lazy("pilot", "Number"), min_value=1, max_value=999)
    content = forms.CharField(label=_("Work content"), max_length=200)
    key_points = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                 label=_("Key points"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_units = forms.CharField(label=_("Lead unit"), max_length=300,
                                 help_text=_("As written in the plan, e.g. 市民政局."))
    cooperating_units = forms.CharField(
        label=_("Cooperating units"), max_length=300, required=False,
        help_text=_("Several units separated by 、 as in the plan."))
    deadline = forms.DateField(validators=[validate_operational_date],
                               label=_("Deadline month"), required=False,
                               input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput())
    is_ongoing = forms.BooleanField(label=_("Ongoing (长期推进), no deadline"), required=False)
    workstream = forms.ChoiceField(label=_("Workstream"), choices=Workstream.choices)
    stage = ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(),
                                   required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["stage"].queryset = plan.stages.order_by("order")

    def clean(self):
        data = super().clean()
        if not data.get("is_ongoing") and not data.get("deadline"):
            self.add_error("deadline", _("Give a deadline month or mark the task ongoing."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Task table (XLSX)"), help_text=_(
        "Columns: 序号, 工作内容, 工作要点, 牵头单位, 配合单位, 完成时限 (e.g. 2022年6月 or 长期推进)."))


class SummaryForm(forms.Form):
    problems = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Problems"), required=False,
                               widget=forms.Textarea(attrs={"rows": 6}))
    next_steps = forms.CharField(max_length=TEXT_MAX_LENGTH,
                                 label=pgettext_lazy("pilot report", "Next steps"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 6}))


class ProgressReportForm(forms.Form):
    reported_on = forms.DateField(validators=[validate_operational_date],
                                  label=_("Report date"), widget=DateInput(), initial=date.today)
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    narrative = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Progress narrative"),
                                widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("Evidence (PDF, images, XLSX)"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("pilot", "Decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept")), ("return", _("Return for correction"))])
    comment = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ReportRequestForm(forms.Form):
    prefix = "report"  # shares the dashboard page with the filter form: ids must differ

    period_start = forms.DateField(validators=[validate_operational_date],
                                   label=_("From"), required=False, widget=DateInput())
    period_end = forms.DateField(validators=[validate_operational_date],
                                 label=_("Until"), required=False, widget=DateInput())
    district = forms.ChoiceField(label=_("District"), required=False,
                                 choices=[("", _("Whole city"))] + list(District.choices))
