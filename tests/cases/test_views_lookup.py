"""The search-as-you-type fields that choose a person or a case: a server-side, paged lookup
through the visibility door, answering with what tells same-name people apart (masked ID,
birth date, district) and nothing else; the query posted, never in an address; and every form
that chooses a person or a case carries the field."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import search_views
from tests.infosharing.infosharing_factories import make_case, make_person

pytestmark = pytest.mark.django_db

PEOPLE = reverse("cases:person_lookup")
CASES = reverse("cases:case_lookup")


@pytest.fixture
def namesakes(users):
    """Twelve people called 陈大文 in Xiangzhou, each with a case; one in Doumen."""
    people = [make_person(users["district"]) for _ in range(12)]
    cases = [make_case(users["district"], person) for person in people]
    doumen = make_person(users["district2"])
    make_case(users["district2"], doumen)
    return {"people": people, "cases": cases, "doumen": doumen}


def test_people_are_paged_and_told_apart(client_for, namesakes):
    client = client_for("district")
    first = client.post(PEOPLE, {"q": "Chan Tai Man"}).json()
    assert len(first["results"]) == search_views.LOOKUP_PAGE_SIZE and first["has_next"]
    second = client.post(PEOPLE, {"q": "chan tai man", "page": 2}).json()
    assert len(second["results"]) == 2 and not second["has_next"]
    ids = {row["id"] for row in first["results"] + second["results"]}
    assert ids == {person.pk for person in namesakes["people"]}
    row = first["results"][0]
    person = next(p for p in namesakes["people"] if p.pk == row["id"])
    number = person.documents.get().number
    assert number not in row["detail"] and number[-2:] in row["detail"]  # masked
    assert "1958-03-01" in row["detail"]
    assert "1" in row["detail"]  # one open case


def test_people_only_the_user_may_see(client_for, namesakes):
    doumen = client_for("district2").post(PEOPLE, {"q": "陈大文"}).json()
    assert [row["id"] for row in doumen["results"]] == [namesakes["doumen"].pk]
    number = namesakes["people"][0].documents.get().number
    assert client_for("district2").post(PEOPLE, {"q": number}).json()["results"] == []


def test_cases_by_number_prefix_or_subject_paged_and_visible(client_for, namesakes):
    client = client_for("district")
    by_name = client.post(CASES, {"q": "陳大文"}).json()
    assert by_name["has_next"] and len(by_name["results"]) == search_views.LOOKUP_PAGE_SIZE
    case = namesakes["cases"][3]
    exact = client.post(CASES, {"q": case.number.lower()}).json()["results"]
    assert [row["value"] for row in exact] == [case.number]
    assert "1958-03-01" in exact[0]["detail"]
    assert case.subject.documents.get().number not in exact[0]["detail"]
    # another district: the number answers as one that does not exist
    assert client_for("district2").post(CASES, {"q": case.number}).json()["results"] == []


@pytest.mark.parametrize(("username", "status"), [
    ("anonymous", 302), ("ngo", 403), ("finance", 403), ("district", 200), ("macau", 200)])
def test_who_may_look_up(client_for, username, status):
    for url in (PEOPLE, CASES):
        assert client_for(username).post(url, {"q": "陈大文"}).status_code == status


def test_the_query_is_posted_never_in_the_address(client_for):
    client = client_for("district")
    for url in (PEOPLE, CASES):
        assert client.get(url, {"q": "陈大文"}).status_code == 405


def test_a_lookup_costs_the_same_queries_however_many_people(users, client_for):
    client = client_for("district")
    make_case(users["district"], make_person(users["district"]))
    client.post(PEOPLE, {"q": "陈大文"})
    measured = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.post(PEOPLE, {"q": "陈大文"})
            client.post(CASES, {"q": "陈大文"})
        measured.append(len(queries))
        for _ in range(6):
            make_case(users["district"], make_person(users["district"]))
    assert measured[0] == measured[1]


@pytest.mark.parametrize(("route", "field", "kind"), [
    ("infosharing:authorization_create", "person", "person_lookup"),
    ("infosharing:urgent_create", "person", "person_lookup"),
    ("infosharing:request_create", "case", "case_lookup"),
    ("tempaid:create", "case", "case_lookup"),
    ("partners:referral_create", "case", "case_lookup"),
])
def test_every_form_choosing_a_person_or_case_searches_as_you_type(client_for, users, route,
                                                                   field, kind):
    make_case(users["district"], make_person(users["district"]))
    page = client_for("district").get(reverse(route)).content.decode()
    start = page.index(f'name="{field}"')
    tag = page[page.rindex("<", 0, start):page.index(">", start)]
    assert f'data-lookup="{reverse("cases:" + kind)}"' in tag
    assert "data-lookup-empty=" in tag


def test_the_script_enhances_the_fields_without_a_cdn(client_for):
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/zhuao.js"), encoding="utf-8").read()
    assert 'querySelectorAll("input[data-lookup], select[data-lookup]")' in script
    for aria in ('"role", "combobox"', '"aria-expanded"', '"aria-activedescendant"',
                 '"role", "listbox"', "ArrowDown", "Escape"):
        assert aria in script
    assert "http" not in script.split("fetch(", 2)[-1][:80]
