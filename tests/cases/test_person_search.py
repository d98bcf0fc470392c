"""Finding a person under any script or spelling: precision and recall on 500 generated people,
ranking, identity numbers, visibility per role, bounded queries (on PostgreSQL)."""
import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import cases_factories as factories
from cases import names
from cases.models import Person
from cases import search
from cases.search import CROSS_SCRIPT, EXACT, SAME_SCRIPT, find_people
from cases.services import name_words_record
from core.visibility import user_agency

pytestmark = pytest.mark.django_db

SURNAMES = "陈李黄梁何张林吴刘郑郭蔡谭周杨冯朱罗麦叶邓卢许谢余苏曾高赵潘徐王钟马胡关曹姚莫袁孙江"
GIVEN = "大文月英志强美玲德华国豪嘉欣秀兰家明伟杰慧敏丽芳建军晓红永康宝珠少卿金玉锦辉春燕振雄"


def _typo(text: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(text) - 1)
    while text[at] == " ":
        at += 1
    return text[:at] + text[at + 1:]  # one letter dropped


@pytest.fixture
def five_hundred(users):
    """500 people with distinct names and distinct Macau card spellings, half stored in
    traditional characters; the same rng seed every run."""
    rng = random.Random(24)
    agency = user_agency(users["district"])
    people, seen_names, seen_spellings = [], set(), set()
    while len(people) < 500:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        spelling = names.card_spellings(name)[0]
        if name in seen_names or spelling in seen_spellings:
            continue
        seen_names.add(name)
        seen_spellings.add(spelling)
        stored = names.traditional(name) if len(people) % 2 else name
        person = Person(name_zh=stored, sex="female", date_of_birth=date(1950, 1, 1),
                        residence_status="macau_resident", district="xiangzhou",
                        owner_agency=agency)
        names.apply_keys(person)
        people.append(person)
    people = Person.objects.bulk_create(people)
    name_words_record(people=people)  # as the services that write names do
    return people


def test_precision_and_recall_on_the_top_five_across_scripts(users, five_hundred):
    rng = random.Random(5)
    retrieved = relevant_retrieved = queries = found = 0
    for person in five_hundred:
        spellings = names.card_spellings(person.name_zh)
        hong_kong = spellings[min(1, len(spellings) - 1)].split(" ", 1)
        variants = [names.simplified(person.name_zh), names.traditional(person.name_zh),
                    spellings[0],                                      # Macau card
                    f"{hong_kong[0].upper()}, {hong_kong[-1]}",        # "CHEUNG, Chi Keung"
                    names.pinyin_forms(person.name_zh)["plain"]]       # Mandarin pinyin
        if len(spellings[0]) > 8:
            variants.append(_typo(spellings[0], rng))                  # a typo
        for query in variants:
            top = [hit.person.pk for hit in find_people(users["city"], query, limit=5)]
            queries += 1
            found += person.pk in top
            retrieved += len(top)
            relevant_retrieved += person.pk in top
    recall, precision = found / queries, relevant_retrieved / retrieved
    assert recall >= 0.95, recall
    assert precision >= 0.95, precision


def test_ranking_exact_then_same_script_then_cross_script(users):
    exact = factories.person(users["district"], name="陈大文")
    other_script = factories.person(users["district"], name="陳大文")
    longer = factories.person(users["district"], name="陈大文华")
    longer_other_script = factories.person(users["district"], name="陳大文明")
    hits = find_people(users["district"], "陈大文")
    assert [hit.person for hit in hits] == [exact, other_script]  # whole names only
    assert [hit.tier for hit in hits] == [EXACT, CROSS_SCRIPT]
    hits = find_people(users["district"], "陈大")  # part of a name: every one that has it
    assert {hit.person for hit in hits[:2]} == {exact, longer}
    assert {hit.person for hit in hits[2:]} == {other_script, longer_other_script}
    assert [hit.tier for hit in hits] == [SAME_SCRIPT, SAME_SCRIPT, CROSS_SCRIPT, CROSS_SCRIPT]


@pytest.mark.parametrize("query", ["chan tai man", "CHAN, Tai Man", "Tai-man Chan", "陳大文",
                                   "chen da wen", "Chan Tai Mna"])
def test_chan_tai_man_finds_the_person_by_any_spelling(users, query):
    person = factories.person(users["district"], name="陈大文")
    hits = find_people(users["district"], query)
    assert hits and hits[0].person == person


def test_identity_number_in_any_spelling_and_what_tells_people_apart(users):
    person = factories.person(users["district"], name="黄志强", document_type="macau_id",
                              number="1234567(8)")
    namesake = factories.person(users["district"], name="黄志强")
    for spelling in ("1234567(8)", "1/234567/8", "12345678"):
        hits = find_people(users["district"], spelling)
        assert [hit.person for hit in hits] == [person]
        assert hits[0].tier == EXACT
        assert hits[0].masked_documents and "234567" not in hits[0].masked_documents[0]
    both = find_people(users["district"], "黄志强")
    assert {hit.person for hit in both} == {person, namesake}
    assert all(hit.person.date_of_birth and hit.documents for hit in both)


def test_a_district_officer_does_not_find_another_districts_person(users):
    factories.person(users["district2"], name="陈大文")
    assert find_people(users["district"], "chan tai man") == []
    assert find_people(users["district2"], "chan tai man")
    assert find_people(users["macau"], "chan tai man") == []  # nothing shared with Macau


def test_the_people_search_costs_at_most_five_queries(users, five_hundred):
    for query in ("陳大文", "chan tai man", "Chan Tai Mna", "1/234567/8"):
        with CaptureQueriesContext(connection) as queries:
            find_people(users["city"], query)
        assert len(queries) <= 5, (query, [q["sql"] for q in queries])


@pytest.mark.parametrize("text, number_like", [
    ("1/234567/8", True), ("1234567(8)", True), ("A123456(7)", True), ("13800138000", True),
    ("chen2 da4 wen2", False), ("Chan Tai Man", False), ("陳大文", False), ("12345", False),
])
def test_a_number_is_not_looked_up_among_the_name_keys(text, number_like):
    from cases.search import _number_like

    assert _number_like(text) is number_like


def test_a_whole_romanised_name_is_found_among_more_names_that_start_with_it(users,
                                                                           monkeypatch):
    """The people so named come first, however many newer people's names only start with what
    was typed: read by the newest of both, the newest names starting with it filled the
    candidates and the person named exactly was not found (at a million people: hundreds of
    "Fong Va …" for one "Fong Va")."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    named = factories.person(users["district"], name="陈大文")
    longer = [factories.person(users["district"], name=name)
              for name in ("陈大文杰", "陈大文华", "陈大文辉", "陈大文强")]  # "Chan Tai Man …"
    hits = find_people(users["district"], "Chan Tai Man")
    assert [hit.person for hit in hits] == [named]
    # and with no one so named, the names starting with it are found as before
    assert {hit.person for hit in find_people(users["district"], "Chan Tai")} >= set(longer[-3:])
