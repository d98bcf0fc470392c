"""Model selects read their choices with one ordinary query (``web.forms``): the same
choices as Django's own iterator, without the server-side cursor it opens on PostgreSQL. The
project's forms use its own field classes for that; Django's are left as Django made them."""
import importlib
from pathlib import Path

import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test.utils import CaptureQueriesContext

from web.forms import ListedModelChoiceIterator, ModelChoiceField, ModelMultipleChoiceField
from core.models import Agency

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ("zhuao", "core", "web", "devtools", "cases", "infosharing", "remittance", "tempaid", "partners", "pilot")
#: Packages with their own forms inside an app (a second workstream).
SUBPACKAGES = ("cases.secretariat",)


class AgencyForm(forms.Form):
    agency = ModelChoiceField(Agency.objects.filter(is_active=True).order_by("code"))
    several = ModelMultipleChoiceField(Agency.objects.order_by("-code"), required=False)


def project_forms() -> list[type]:
    for app in (*PROJECT_APPS, *SUBPACKAGES):
        if (ROOT / app.replace(".", "/") / "forms.py").exists():
            importlib.import_module(f"{app}.forms")
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


def test_every_model_select_of_the_project_uses_the_listed_iterator():
    """Every select a form of the project declares (the admin's generated model forms are
    Django's own business)."""
    walked = 0
    for form in project_forms():
        for name, field in getattr(form, "declared_fields", {}).items():
            if isinstance(field, forms.ModelChoiceField):
                walked += 1
                assert field.iterator is ListedModelChoiceIterator, (form, name)
    assert walked > 25
    assert forms.ModelChoiceField.iterator is ModelChoiceIterator  # Django's, untouched


@pytest.mark.django_db
def test_a_project_select_lists_its_choices_with_the_listed_iterator(demo):
    form = AgencyForm()
    assert isinstance(form.fields["agency"].choices, ListedModelChoiceIterator)
    assert isinstance(form.fields["several"].choices, ListedModelChoiceIterator)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["agency", "several"])
def test_choices_are_djangos_in_one_plain_query(demo, name):
    field = AgencyForm().fields[name]
    djangos = [(str(value), label) for value, label in ModelChoiceIterator(field)]
    with CaptureQueriesContext(connection) as queries:
        html = str(AgencyForm()[name])
        ours = [(str(value), label) for value, label in field.choices]
    assert ours == djangos and len(ours) > 3
    assert len(queries) == 2  # one per iteration above: the render and the list
    assert not any("DECLARE" in query["sql"] or "CURSOR" in query["sql"] for query in queries)
    for value, label in ours[1 if name == "agency" else 0:]:
        assert f'value="{value}"' in html and label in html


@pytest.mark.django_db
def test_listing_the_choices_is_one_query(demo):
    field = AgencyForm().fields["several"]
    with CaptureQueriesContext(connection) as queries:
        choices = list(field.choices)  # list() asks len() first: Django's counts, then reads
        assert len(field.choices) == len(choices) and bool(field.choices)
    assert len(queries) == 3  # one per iterator: a field hands out a fresh one each time
    assert len(choices) == Agency.objects.count()
