"""The people search at scale: each kind of query is answered from an index (issue 24's
benchmark at 100,000 people), whatever the data; SQLite keeps the plain lookups."""
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

import cases_factories as factories
from cases import names
from cases.models import NameWord, Person
from cases.search import find_people
from cases.services import person_update
from tests.plans import plan_at_scale

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")


def test_the_name_keys_hold_the_chinese_names_character_pairs():
    assert names.person_keys("陈大文")["name_bigrams"] == "|大文|陈大|陳大|"
    assert names.person_keys("", "Chan Tai Man")["name_bigrams"] == ""


def test_the_pairs_follow_a_rename(users):
    person = factories.person(users["district"], name="陈大文")
    assert "|陳大|" in person.name_bigrams
    person_update(actor=users["district"], person=person, name_zh="李小明")
    person.refresh_from_db()
    assert person.name_bigrams == "|小明|李小|"


def test_the_migration_fills_the_pairs_of_people_already_registered(users):
    person = factories.person(users["district"], name="黃志強")
    Person.objects.filter(pk=person.pk).update(name_bigrams="")
    migration = importlib.import_module("cases.migrations.0013_fill_person_bigrams")
    migration.fill_bigrams(apps, None)
    person.refresh_from_db()
    assert person.name_bigrams == "|志強|志强|黃志|黄志|"


@pytest.mark.parametrize("query", ["大文", "陳大"])
def test_two_characters_find_the_name_in_either_script(users, query):
    person = factories.person(users["district"], name="陈大文")
    assert [hit.person for hit in find_people(users["district"], query)] == [person]




def _candidate_lookup(user, query: str):
    with CaptureQueriesContext(connection) as captured:
        find_people(user, query)
    return next(q["sql"] for q in captured.captured_queries if 'FROM "cases_person"' in q["sql"])


@postgresql
@pytest.mark.parametrize("query, index", [
    ("大文", "person_name_bigrams_trgm"), ("13800138000", "person_phone_trgm"),
    ("chan tai man", "person_name_keys_trgm")])
def test_each_kind_of_query_is_answered_from_its_index(users, query, index):
    factories.person(users["district"], name="陈大文")
    sql = _candidate_lookup(users["city"], query)
    with connection.cursor() as cursor:
        # only an index's bitmap: on a few rows, reading the table or the list order is cheaper
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@postgresql
def test_only_merged_duplicates_are_indexed_by_whom_they_were_merged_into(users):
    """An index of every person's NULL ``merged_into`` led PostgreSQL to read it whole for
    ``merged_into IS NULL``, the condition of every search."""
    plan = plan_at_scale(Person.objects.filter(merged_into__isnull=True))
    assert not [index for index in re.findall(r"using (\w+)", plan) if "merged_into" in index]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_person' "
                       "AND indexdef LIKE '%merged_into%'")
        assert [row[0].endswith("WHERE (merged_into_id IS NOT NULL)")
                for row in cursor.fetchall()] == [True]


def test_no_typo_guesses_are_looked_for_when_a_name_matched(users):
    person = factories.person(users["district"], name="陈大文")
    find_people(users["district"], "李")  # the user's agency and roles, read once per request
    with CaptureQueriesContext(connection) as captured:
        hits = find_people(users["district"], "chan tai man")
    assert [hit.person for hit in hits] == [person]
    assert not any("name_keys" in q["sql"] and "~" in q["sql"]
                   for q in captured.captured_queries[1:])
    assert len(captured.captured_queries) == 3  # the people, their documents, their cases


def test_the_words_of_every_name_written_are_the_vocabulary_of_typos(users):
    person = factories.person(users["district"], name="陈大文")
    assert {"chan", "tai", "man", "chen", "da", "wen"} <= set(
        NameWord.objects.values_list("word", flat=True))
    person_update(actor=users["district"], person=person, name_latin="Maria Chan")
    assert NameWord.objects.filter(word="maria").exists()
    # not the compact forms nor the initials: typos would be corrected to them
    assert names.key_words("|chan tai man|chantaiman|ctm|~chan man tai|") == {"chan", "tai", "man"}


def test_the_migration_fills_the_vocabulary_from_the_people_already_registered(users):
    factories.person(users["district"], name="黃志強")
    NameWord.objects.all().delete()
    migration = importlib.import_module("cases.migrations.0015_fill_name_words")
    migration.fill_words(apps, None)
    assert NameWord.objects.filter(word="wong").exists()


@pytest.mark.parametrize("query", ["Chan Tai Mna", "Chn Tai Man", "Cham Tai Man", "Tai Man Chna"])
def test_a_typo_is_corrected_against_the_vocabulary(users, query):
    person = factories.person(users["district"], name="陈大文")
    factories.person(users["district"], name="李小明")
    find_people(users["district"], "李")  # the user's agency and roles, read once per request
    with CaptureQueriesContext(connection) as captured:
        hits = find_people(users["district"], query)
    assert [hit.person for hit in hits] == [person] and hits[0].is_guess
    assert len(captured) <= 5


@postgresql
def test_typo_guesses_are_whole_keys_the_key_array_index_answers(users):
    factories.person(users["district"], name="陈大文")
    with CaptureQueriesContext(connection) as captured:
        find_people(users["city"], "Chan Tai Mna")
    sql = next(q["sql"] for q in captured.captured_queries if "string_to_array" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_name_keys_array" in plan, plan
