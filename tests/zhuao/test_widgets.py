"""``templates/django/forms/widgets/select.html`` is Django's select with its option template
written in (two includes fewer per option): it must render exactly what Django's renders."""
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

from cases.forms import CaseSearchForm, PersonSearchForm
from core.models import Agency


class Disabling(forms.Select):
    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["value"] == "b":
            option["attrs"]["disabled"] = True
        option["attrs"]["data-note"] = '"quoted" & <b>'
        return option


class OwnOptionTemplate(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


class EveryKind(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "甲"), ("b", "乙 <b>")], initial="b")
    grouped = forms.ChoiceField(choices=[("澳门", [("m1", "一"), ("m2", "二")]),
                                         ("横琴", [("h1", "三")]), ("x", "其他")])
    several = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two"), (3, "three")],
                                        initial=[1, 3])
    disabled = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=Disabling(
        attrs={"class": "wide", "required": True, "data-autosubmit": False}))
    numbers = forms.TypedChoiceField(choices=[(0, "zero"), (10, "ten")], coerce=int, initial=10)
    empty = forms.ChoiceField(choices=[])
    own_option = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=OwnOptionTemplate)


def _render(form_class, renderer, **kwargs):
    form = form_class(renderer=renderer, **kwargs)
    return {name: str(form[name]) for name in form.fields}


def test_the_project_renders_widgets_with_its_templates(settings):
    assert settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
    origin = TemplatesSetting().get_template("django/forms/widgets/select.html").template.origin
    assert origin.name.endswith("templates/django/forms/widgets/select.html")
    assert "site-packages" not in origin.name  # the project's, not Django's


@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "h1", "several": ["2"],
                                         "disabled": "b", "numbers": "0"}])
def test_select_renders_as_djangos(data):
    ours, djangos = _render(EveryKind, TemplatesSetting(), data=data), _render(
        EveryKind, DjangoTemplates(), data=data)
    assert ours == djangos
    assert ours["grouped"].count("<optgroup") == 2 and 'disabled' in ours["disabled"]
    assert "&quot;quoted&quot; &amp; &lt;b&gt;" in ours["disabled"] and "乙 &lt;b&gt;" in ours["plain"]
    assert '<input type="select"' in ours["own_option"]  # its own option template, kept


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [CaseSearchForm, PersonSearchForm])
def test_the_projects_search_forms_render_as_with_djangos_templates(demo, form_class):
    assert _render(form_class, TemplatesSetting()) == _render(form_class, DjangoTemplates())


@pytest.mark.django_db
def test_a_model_select_renders_as_djangos(demo):
    class AgencyForm(forms.Form):
        agency = forms.ModelChoiceField(Agency.objects.order_by("code"), initial=None)
        agencies = forms.ModelMultipleChoiceField(Agency.objects.order_by("code"))

    ours = _render(AgencyForm, TemplatesSetting())
    assert ours == _render(AgencyForm, DjangoTemplates())
    assert ours["agencies"].count("<option") == Agency.objects.count()
