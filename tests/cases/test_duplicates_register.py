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


def test_scores_of_many_people_at_once_are_each_pair_scored_alone():
    """``scores`` compares a name with many people in one rapidfuzz call per form of the name
    (an import's row with the forty people born that day): it gives what scoring each pair
    alone gives, by the documented formula, in both scripts, with Latin names and without."""
    import random
    from collections import namedtuple

    from django.conf import settings
    from rapidfuzz import fuzz

    from cases.duplicates import name_forms, scores

    weights, thresholds = settings.ZHUAO_MATCH_WEIGHTS, settings.ZHUAO_MATCH_THRESHOLDS
    Row = namedtuple("Row", "date_of_birth sex district name_simplified name_keys name_pinyin "
                            "name_jyutping")
    surnames, given = "陈陳李張张黄黃何林梁周吴吳", "大文丽麗华華国國强志明美玲家豪伟偉杰嘉欣"
    latin = ["", "Chan Tai Man", "Chen Da Wen", "Lei Mei Ling", "Wong Ka Ho", "Li Guo Qiang"]
    chance = random.Random(7)

    def person_row():
        name = chance.choice(surnames) + "".join(chance.choices(given, k=chance.choice([1, 2])))
        keys = names.person_keys(name, chance.choice(latin))
        return Row(date(1950 + chance.randrange(3), 1, 1 + chance.randrange(2)),
                   chance.choice("mf"), chance.choice(["xiangzhou", "doumen", ""]),
                   keys["name_simplified"], keys["name_keys"], keys["name_pinyin"],
                   keys["name_jyutping"])

    def alone(forms, born, sex, district, other):
        similarity = 0.0
        if forms.simplified and other.name_simplified:
            similarity = fuzz.ratio(forms.simplified, other.name_simplified)
        if not forms.keys.isdisjoint(other.name_keys.split("|")):
            similarity = max(similarity, 95.0)
        for mine, theirs in ((forms.pinyin, other.name_pinyin),
                             (forms.jyutping, other.name_jyutping)):
            if mine and theirs:
                similarity = max(similarity, fuzz.token_sort_ratio(mine, theirs))
        total = weights["name"] * similarity / 100 \
            if similarity >= thresholds["name_similarity"] else 0.0
        if other.date_of_birth == born:
            total += weights["date_of_birth"]
        elif other.date_of_birth.year == born.year:
            total += weights["date_of_birth"] / 3
        total += weights["sex"] * (bool(sex) and other.sex == sex)
        total += weights["district"] * (bool(district) and other.district == district)
        return round(total, 3)

    people = [person_row() for _ in range(60)]
    matched = 0
    for entry in [person_row() for _ in range(40)] + people[:10]:
        forms = name_forms({"name_simplified": entry.name_simplified,
                            "name_keys": entry.name_keys, "name_pinyin": entry.name_pinyin,
                            "name_jyutping": entry.name_jyutping})
        expected = [alone(forms, entry.date_of_birth, entry.sex, entry.district, other)
                    for other in people]
        assert scores(forms, entry.date_of_birth, entry.sex, entry.district, people) == expected
        matched += sum(value >= thresholds["possible"] for value in expected)
    assert matched >= 10  # the comparison covered names that match, not strangers alone
