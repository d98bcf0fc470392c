"""The case and person choosers of other apps' forms (cases/fields.py): a case number typed
or picked from the latest cases, people offered from the latest cases; each accepts exactly
the records the form's queryset holds, and says so clearly in the user's language."""
import pytest
from django import forms
from django.utils import translation

from cases.fields import SUGGESTIONS, CaseField, initial_case, offer_recent_people
from cases.models import Case
from cases.selectors import case_visible_to, person_visible_to

import cases_factories as factories

pytestmark = pytest.mark.django_db


class CaseForm(forms.Form):
    case = CaseField(label="case")

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class PersonForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, persons, cases, **kwargs):
        super().__init__(*args, **kwargs)
        offer_recent_people(self.fields["person"], persons, cases,
                            self.data.get("person"))


def test_case_number_typed_in_any_case_is_accepted(users):
    case = factories.case(users["district"])
    form = CaseForm({"case": f"  {case.number.lower()} "}, cases=case_visible_to(users["district"]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["case"] == case


def test_a_case_outside_the_queryset_is_refused_with_a_message(users):
    case = factories.case(users["district"])  # xiangzhou
    for value in (case.number, "ZH-2026-999999", "x" * 500, "<script>"):
        form = CaseForm({"case": value}, cases=case_visible_to(users["district2"]))
        with translation.override("zh-hans"):
            assert not form.is_valid()
            message = form.errors["case"][0]
        assert "没有您在此可用的编号" in message and value[:20].upper() in message
    with translation.override("en"):
        form = CaseForm({"case": "ZH-2026-999999"}, cases=Case.objects.all())
        assert not form.is_valid() and "There is no case numbered ZH-2026-999999" in str(
            form.errors["case"])
    assert not CaseForm({"case": ""}, cases=Case.objects.all()).is_valid()  # required


def test_the_field_suggests_only_the_latest_cases(users):
    made = [factories.case(users["district"]) for _ in range(SUGGESTIONS + 3)]
    cases = case_visible_to(users["district"]).select_related("subject").order_by("-opened_at",
                                                                                  "-id")
    html = str(CaseForm(cases=cases)["case"])
    assert html.count("<option") == SUGGESTIONS
    assert made[-1].number in html and made[0].number not in html
    assert 'list="id_case_suggestions"' in html and '<datalist id="id_case_suggestions">' in html


def test_initial_case_from_a_link(users):
    case = factories.case(users["district"])
    assert initial_case(case_visible_to(users["district"]), str(case.pk)) == case
    assert initial_case(case_visible_to(users["district2"]), str(case.pk)) is None
    assert initial_case(Case.objects.all(), "1 OR 1=1") is None
    form = CaseForm(initial={"case": case}, cases=Case.objects.all())
    assert f'value="{case.number}"' in str(form["case"])


def test_person_select_offers_recent_subjects_and_accepts_any_visible_person(users):
    district = users["district"]
    older = factories.person(district, name="旧人", number=factories.mainland_id(seq=901))
    factories.case(district, subject=older)
    for index in range(3):
        factories.case(district, subject=factories.person(
            district, name=f"新人{index}", number=factories.mainland_id(seq=910 + index)))
    stranger = factories.person(users["district2"], name="别区人", district="doumen",
                                number=factories.mainland_id(seq=950))
    persons, cases = person_visible_to(district), case_visible_to(district)
    from cases import fields
    original = fields.RECENT_PEOPLE
    fields.RECENT_PEOPLE = 3
    try:
        html = str(PersonForm(persons=persons, cases=cases)["person"])
        assert "新人0" in html and "新人2" in html and "旧人" not in html
        posted = PersonForm({"person": str(older.pk)}, persons=persons, cases=cases)
        assert posted.is_valid() and posted.cleaned_data["person"] == older
        assert "旧人" in str(posted["person"])  # a re-rendered form keeps the posted choice
        refused = PersonForm({"person": str(stranger.pk)}, persons=persons, cases=cases)
        assert not refused.is_valid() and "person" in refused.errors
    finally:
        fields.RECENT_PEOPLE = original


def test_case_page_links_to_the_workstreams_with_the_case(users, client_for):
    case = factories.case(users["district"])
    page = client_for("district").get(f"/cases/{case.pk}/").content.decode()
    for path in ("/infosharing/requests/new/", "/tempaid/new/", "/partners/referrals/new/"):
        assert f'href="{path}?case={case.pk}"' in page, path
    page = client_for("city").get(f"/cases/{case.pk}/").content.decode()
    assert f'/infosharing/requests/new/?case={case.pk}' in page
    assert "/tempaid/new/?case=" not in page  # relief is applied for by the district
    for path in ("/infosharing/requests/new/", "/partners/referrals/new/"):
        response = client_for("district").get(f"{path}?case={case.pk}")
        assert response.status_code == 200 and f'value="{case.number}"' in response.content.decode()
