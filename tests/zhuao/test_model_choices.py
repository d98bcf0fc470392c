"""Model selects read their choices with one ordinary query (``zhuao.forms``): the same
choices as Django's own iterator, without the server-side cursor it opens on PostgreSQL."""
import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test.utils import CaptureQueriesContext

from zhuao.forms import ListedModelChoiceIterator
from zhuao.models import Agency

pytestmark = pytest.mark.django_db


class AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.filter(is_active=True).order_by("code"))
    several = forms.ModelMultipleChoiceField(Agency.objects.order_by("-code"), required=False)


def test_every_model_select_uses_the_listed_iterator(demo):
    form = AgencyForm()
    assert isinstance(form.fields["agency"].choices, ListedModelChoiceIterator)
    assert isinstance(form.fields["several"].choices, ListedModelChoiceIterator)


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


def test_listing_the_choices_is_one_query(demo):
    field = AgencyForm().fields["several"]
    with CaptureQueriesContext(connection) as queries:
        choices = list(field.choices)  # list() asks len() first: Django's counts, then reads
        assert len(field.choices) == len(choices) and bool(field.choices)
    assert len(queries) == 3  # one per iterator: a field hands out a fresh one each time
    assert len(choices) == Agency.objects.count()
