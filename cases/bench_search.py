"""The people search at scale (``manage.py bench_search``): each kind of query an officer types,
timed as ``find_people`` runs it for a city and a district officer, with its queries and the
plan PostgreSQL chose for the candidate lookup.

Queries are drawn from the database's own people (a fixed seed), so the figures are repeatable on
the same data: a Chinese substring (two characters of a name), the whole name in the other
script, the Macau card spelling, an identity number in another accepted spelling, a phone
number, and a card spelling with one letter wrong (a typo).
"""
from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from . import names
from .models import IdentityDocument, Person
from .search import find_people

GOALS = {"p50": 30.0, "p95": 80.0, "queries": 5}


def _other_spelling(number: str) -> str:
    """``1234567(8)`` as people also write it: ``1/234567/8``."""
    if number.endswith(")") and "(" in number:
        digits, check = number[:-1].split("(")
        return f"{digits[0]}/{digits[1:]}/{check}"
    return number.lower()


def _typo(text: str, chooser: random.Random) -> str:
    letters = [index for index, char in enumerate(text) if char.isalpha()]
    index = chooser.choice(letters[2:] or letters)
    replacement = "x" if text[index].lower() != "x" else "z"
    return text[:index] + replacement + text[index + 1:]


def queries(count: int, seed: int = 7) -> dict[str, list[str]]:
    """``count`` queries of each kind, drawn from the stored people."""
    chooser = random.Random(seed)
    total = Person.objects.count()
    step = max(total // (count * 3), 1)
    sample = list(Person.objects.order_by("pk").only("name_zh", "name_latin", "phone")
                  [:step * count * 3:step])
    macau = [person for person in sample if person.name_latin][:count]
    documents = dict(IdentityDocument.objects.filter(
        person__in=[person.pk for person in macau]).values_list("person_id", "number"))
    kinds: dict[str, list[str]] = {
        "Chinese substring": [], "cross-script": [], "romanised": [], "ID number": [],
        "phone": [], "typo": []}
    for person in sample[:count]:
        name = person.name_zh
        start = chooser.randrange(max(len(name) - 1, 1))
        kinds["Chinese substring"].append(name[start:start + 2])
        kinds["cross-script"].append(names.traditional(name))
        kinds["phone"].append(person.phone)
    for person in macau:
        kinds["romanised"].append(person.name_latin.title())
        kinds["typo"].append(_typo(person.name_latin.title(), chooser))
        kinds["ID number"].append(_other_spelling(documents[person.pk]))
    return kinds


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(share * (len(ordered) - 1))), len(ordered) - 1)]


def _plan(run: Callable[[], object]) -> str:
    """PostgreSQL's plans for the lookups: each query that reads people (the candidates, and
    the typo guesses' whole keys) or the vocabulary typos are corrected against."""
    with CaptureQueriesContext(connection) as captured:
        run()
    statements = [query["sql"] for query in captured.captured_queries
                  if 'FROM "cases_person"' in query["sql"]
                  or 'FROM "cases_nameword"' in query["sql"]]
    if connection.vendor != "postgresql":
        return ""
    plans = []
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(plans)


def run(*, count: int = 40, repeats: int = 3, usernames=("city", "district"),
        explain: bool = True, out=print) -> dict:
    User = get_user_model()
    results: dict = {"people": Person.objects.count(), "kinds": {}}
    out(f"{results['people']} people; {count} queries of each kind, each run {repeats} times")
    out(f"{'user':10} {'kind':18} {'p50 ms':>8} {'p95 ms':>8} {'max q':>6} {'hits':>6}  goal")
    for username in usernames:
        user = User.objects.get(username=username)
        # what every request reads about its user anyway (roles, agency): read once, as the
        # request's middleware and navigation have by the time a search runs
        find_people(user, "warm-up")
        for kind, texts in queries(count).items():
            timings, most_queries, found = [], 0, 0
            for text in texts:
                for attempt in range(repeats):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        hits = find_people(user, text)
                        timings.append((time.perf_counter() - started) * 1000)
                    most_queries = max(most_queries, len(captured.captured_queries))
                found += bool(hits)
            p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
            met = (p50 <= GOALS["p50"] and p95 <= GOALS["p95"]
                   and most_queries <= GOALS["queries"])
            results["kinds"][f"{username}/{kind}"] = {
                "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": most_queries,
                "with_hits": found, "of": len(texts), "met": met}
            out(f"{username:10} {kind:18} {p50:8.1f} {p95:8.1f} {most_queries:6} "
                f"{found:3}/{len(texts):<3} {'met' if met else 'MISSED'}")
            if explain and username == usernames[0]:
                plan = _plan(lambda: find_people(user, texts[0]))
                if plan:
                    out(f"  plan for {texts[0]!r}:\n    " + plan.replace("\n", "\n    "))
    return results
