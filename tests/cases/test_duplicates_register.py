"""Possible duplicates at registration (page and API): shown before a new person is created,
only those the officer may see; a new person needs a reason, which is audited."""
from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

import cases_factories as factories
from cases import names
from cases.duplicates import find_matches
from cases.models import Person
from cases.selectors import person_possible_duplicates
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {"name_zh": "陳大文", "name_latin": "", "sex": "male", "date_of_birth": "1980-01-01",
            "residence_status": "zhuhai_household", "document_type": "mainland_id",
            "document_number": factories.mainland_id(), "district": "xiangzhou"}
    data.update(overrides)
    return data


@pytest.fixture
def registered(users):
    return factories.person(users["district"], name="陈大文", district="xiangzhou")


def test_scoring_finds_the_same_person_in_another_script_and_not_a_stranger(registered):
    assert [match.person for match in find_matches(
        name_zh="陳大文", date_of_birth=date(1980, 1, 1), sex="male",
        district="xiangzhou")] == [registered]
    assert find_matches(name_zh="李四", date_of_birth=date(1980, 1, 1), sex="male",
                        district="xiangzhou") == []
    assert find_matches(name_zh="陈大文", date_of_birth=date(1991, 6, 2), sex="female",
                        district="doumen") == []


def test_a_registered_persons_matches_use_its_stored_name_keys(users, registered, monkeypatch):
    """A person's page lists who may be the same person without romanising the name again:
    the dictionaries that takes (128 MB) would be loaded into every web worker that draws one."""
    other = factories.person(users["district"], name="陳大文", district="xiangzhou")
    monkeypatch.setattr(names, "person_keys", lambda *args: pytest.fail("keys computed again"))
    assert [match.person for match in person_possible_duplicates(users["district"], other)] \
        == [registered]


def test_a_shared_document_number_is_a_certain_match(registered):
    number = registered.documents.get().number
    matches = find_matches(name_zh="王五", document_numbers=(number,))
    assert matches[0].person == registered and matches[0].is_certain


def test_the_page_shows_possible_matches_before_creating(client_for, registered):
    client = client_for("district")
    count = Person.objects.count()
    response = client.post(reverse("cases:person_create"), _form())
    assert response.status_code == 200
    assert Person.objects.count() == count
    assert reverse("cases:person_detail", args=[registered.pk]).encode() in response.content
    response = client.post(reverse("cases:person_create"),
                           _form(confirm_new_reason="不同身份证，家属确认是另一人"))
    assert response.status_code == 302
    assert Person.objects.count() == count + 1
    event = AuditEvent.objects.filter(action="person.create").latest("id")
    assert event.changes["confirmed_new_reason"] == "不同身份证，家属确认是另一人"


def test_a_match_the_officer_may_not_see_is_not_shown(client_for, registered):
    """Doumen's officer does not see a Xiangzhou person: nothing is revealed."""
    response = client_for("district2").post(reverse("cases:person_create"),
                                            _form(district="xiangzhou"))
    assert response.status_code == 302
    assert reverse("cases:person_detail", args=[registered.pk]).encode() not in response.content


def test_the_api_answers_409_with_the_candidates_unless_a_reason_is_given(api_client_for,
                                                                         registered):
    client = api_client_for("district")
    count = Person.objects.count()
    response = client.post("/api/v1/cases/people/", _form(), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "possible_duplicate"
    assert [row["id"] for row in response.json()["candidates"]] == [registered.pk]
    assert Person.objects.count() == count
    response = client.post("/api/v1/cases/people/", _form(confirm_new_reason="另一人"), format="json")
    assert response.status_code == 201


def test_the_api_does_not_list_unseen_candidates(api_client_for, registered):
    response = api_client_for("district2").post("/api/v1/cases/people/", _form(), format="json")
    assert response.status_code == 201
