"""People found by any spelling of their name, an identity-document number or a phone number,
ranked: exact > same script > cross-script > fuzzy (rapidfuzz for typos).

Only people ``person_visible_to`` lets the user see are looked at (the one visibility door).
A search costs at most five queries whatever the data: the documents a number names, candidates
by indexed keys; when nothing matched a romanised name, the vocabulary words near each typed word
and the people with a name so spelt (typo guesses); then documents and open-case counts. How each
kind is answered from an index at 100,000 people: docs/cases.md and BENCHMARKS.md (eighth round).
"""
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import Overlap
from django.db import connection
from django.db.models import Count, Exists, F, Func, IntegerField, Q, TextField, Value
from django.db.models.functions import Least
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from core.identity import mask

from . import names
from .models import CaseStatus, IdentityDocument, NameWord, Person
from .selectors import case_visible_to, document_number_candidates, person_visible_to

EXACT, SAME_SCRIPT, CROSS_SCRIPT, FUZZY = 0, 1, 2, 3
CANDIDATES = 200
FUZZY_THRESHOLD = 80
FUZZY_MARGIN = 3
#: Typo guesses: the edits a typed word may be from the word meant, how many words of the
#: vocabulary are read, how many kept per typed word, how many whole names looked up, and
#: the most words a name typed with typos may have
WORD_DISTANCE = 2
VOCABULARY_CANDIDATES = 500
WORD_CORRECTIONS = 8
TYPO_SPELLINGS = 32
TYPO_WORDS = 5
#: The candidates' order, newest first as in the list, written as an expression rather than the
#: columns: PostgreSQL then finds the few candidates from a name index and sorts them. Ordered
#: by the columns, it chose to read the list-order index until 200 had turned up (its estimate
#: of how many rows a ``LIKE`` matches is far too high), which read all 100,000 when fewer match.
NEWEST_FIRST = ((F("created_at") + timedelta(0)).desc(), F("id").desc())
#: the score of a whole name matched with its words in another order ("Tai Man Chan")
ANY_ORDER = 95.0


@dataclass
class PersonHit:
    person: Person
    tier: int
    score: float
    documents: list = field(default_factory=list)
    open_cases: int = 0

    @property
    def is_guess(self) -> bool:
        """A typo guess: the officer should check it is the person meant."""
        return self.tier == FUZZY

    @property
    def masked_documents(self) -> list[str]:
        return [mask(document.number) for document in self.documents]


def _phone(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= 6 and len(digits) == len(text.replace(" ", "").lstrip("+")) \
        else ""


def _number_like(text: str) -> bool:
    """An identity or phone number as typed (``1/234567/8``, ``A123456(7)``), not a name
    with tone numbers (``chen2 da4 wen2``)."""
    alnum = [ch for ch in text if ch.isalnum()]
    digits = sum(ch.isdigit() for ch in alnum)
    return digits >= 6 and digits >= 0.7 * len(alnum)


def _tier(person: Person, query: str, forms: set[str], number_matches: bool
          ) -> tuple[int, float, bool]:
    """(tier, score within the tier, whether the whole name or number matched)."""
    if number_matches or person.name_zh == query:
        return EXACT, 100.0, True
    keys = [key for key in person.name_keys.split("|") if key]
    if names.has_chinese(query):
        share = 100.0 * len(query) / max(len(person.name_zh), 1)
        if forms & {person.name_simplified, person.name_traditional}:
            return CROSS_SCRIPT, 100.0, True
        if query in person.name_zh:
            return SAME_SCRIPT, share, False
        if any(form in key for form in forms for key in keys):
            return CROSS_SCRIPT, share, False
    else:
        plain = names.normalise_latin(query)
        in_order = {plain, plain.replace(" ", "")}  # the rest of ``forms``: any word order
        given = names.latin_forms(person.name_latin)
        if forms & given:
            return EXACT, 100.0 if in_order & given else ANY_ORDER, True
        if forms & set(keys):
            return CROSS_SCRIPT, 100.0 if in_order & set(keys) else ANY_ORDER, True
        if any(key.startswith(plain) or f" {plain}" in key for key in keys):
            return CROSS_SCRIPT, 90.0, False
    best = max((fuzz.ratio(form, key) for form in forms for key in keys), default=0.0)
    return FUZZY, best, False


def _names_matching(forms: set[str]) -> Q:
    """People whose keys hold one of the forms: Chinese anywhere in a key (two characters
    among the character pairs), romanised as a whole key or the start of a key or of a word
    in one; word-order-free forms as whole keys."""
    condition, romanised = Q(pk__in=[]), []
    for form in forms:
        if names.has_chinese(form) and len(form) == 2:
            # a pair of characters has no trigram: looked up as a whole word among the pairs
            condition |= Q(name_bigrams__contains=f"|{form}|")
        elif names.has_chinese(form):
            condition |= Q(name_keys__contains=form)
        elif form.startswith(names.ANY_ORDER_MARK):
            romanised.append((f"|{form}|", r"\|" + _regex_literal(form) + r"\|"))
        elif len(form) >= 2:
            romanised.append(("|" + form, "[| ]" + _regex_literal(form)))
            romanised.append((" " + form, None))
    if romanised and connection.vendor == "postgresql":
        # one regular expression, one scan of the trigram index: a LIKE each scanned the
        # postings of the same common trigrams ("ng ", " ch") each time, five times the work
        return condition | Q(name_keys__regex="|".join(regex for _like, regex in romanised
                                                       if regex))
    for like, _regex in romanised:
        condition |= Q(name_keys__contains=like)
    return condition


def _regex_literal(text: str) -> str:
    """``text`` matched literally in a PostgreSQL regular expression."""
    return "".join("\\" + char if not char.isalnum() and char != " " else char for char in text)


def _whole_key_among(spellings: list[str]) -> Q:
    """People one of whose keys is one of ``spellings``. On PostgreSQL the keys as an array,
    which a GIN index answers (migration 0015); on SQLite, the embedded run, ``|key|``
    inside them."""
    if connection.vendor != "postgresql":
        return reduce(operator.or_, (Q(name_keys__contains=f"|{spelling}|")
                                     for spelling in spellings))

    keys = Func(F("name_keys"), Value("|"), function="string_to_array",
                output_field=ArrayField(TextField()))
    return Q(Overlap(keys, spellings))


def _typo_spellings(plain: str) -> list[str]:
    """The keys a romanised name typed with typos may have meant, nearest first: each typed
    word replaced by the words of the vocabulary (``NameWord``) within ``WORD_DISTANCE`` edits
    of it, the whole names so spelt ranked by their likeness to what was typed. One query,
    on the vocabulary, whose size does not grow with the number of people.

    A trigram index cannot do this on the people: the trigrams a typo leaves intact ("ng",
    "ion") are common to thousands of names, and word similarity was computed for each."""
    words = plain.split()
    if not words or len(words) > TYPO_WORDS or any(len(word) > 40 for word in words):
        return []
    if connection.vendor == "postgresql":  # fuzzystrmatch (migration 0015)
        distances = {f"distance_{index}": Func(F("word"), Value(word), Value(WORD_DISTANCE),
                                               function="levenshtein_less_equal",
                                               output_field=IntegerField())
                     for index, word in enumerate(words)}
        near = reduce(operator.or_, (Q(**{f"{name}__lte": WORD_DISTANCE})
                                     for name in distances))
        nearest = Least(*distances.values()) if len(distances) > 1 \
            else next(iter(distances.values()))
        vocabulary = list(NameWord.objects.annotate(**distances).filter(near)
                          .order_by(nearest, "word")
                          .values_list("word", flat=True)[:VOCABULARY_CANDIDATES])
    else:  # the embedded run's few people: their words are compared here
        vocabulary = list(NameWord.objects.values_list("word", flat=True))
    choices = []
    for word in words:
        # transposed letters ("mna" for "man") are one slip, as Levenshtein does not count them
        close = sorted((OSA.distance(word, known), -fuzz.ratio(word, known), known)
                       for known in vocabulary if OSA.distance(word, known) <= WORD_DISTANCE)
        if not close:
            return []
        choices.append([known for _distance, _ratio, known in close[:WORD_CORRECTIONS]])
    spelt = {" ".join(combination) for combination in itertools.product(*choices)}
    # a guess is kept only if a key of it is this like what was typed (``_tier``): a name
    # less like it would only crowd the likely ones out of the candidates
    likeness = {name: fuzz.ratio(plain, name) for name in spelt}
    ranked = sorted((name for name in spelt if likeness[name] >= FUZZY_THRESHOLD),
                    key=lambda name: (-likeness[name], name))[:TYPO_SPELLINGS]
    if len(words) == 1:
        return ranked
    return [names.ANY_ORDER_MARK + names.sorted_words(name) for name in ranked]


def _whole_names_first(visible, condition: Q, romanised: list[str], columns) -> list[Person]:
    """The candidates for a romanised name: the people so named (one of their keys is the name
    as typed), and only if nobody is, those whose names start with it (``condition``). In one
    statement: a ``UNION ALL`` whose second part PostgreSQL runs only when the first found
    nobody (an uncorrelated ``NOT EXISTS``, evaluated once).

    The ranking keeps only whole names when there are any; looking them up from the keys'
    array index (migration 0015) spares the trigram scan of the start of every word, which
    for short words ("Fong Va") rechecked 95,000 of a million people to find 4,000."""
    whole = visible.filter(_whole_key_among(romanised))
    newest = {"newest": F("created_at") + timedelta(0)}
    named = whole.only(*columns).annotate(**newest).order_by()
    starting = (visible.filter(condition).filter(~Exists(whole.values("pk")))
                .only(*columns).annotate(**newest).order_by())
    return list(named.union(starting, all=True).order_by("-newest", "-id")[:CANDIDATES])


def _ranked(people: list[Person], query: str, forms: set[str], matched_ids: set, phone: str
            ) -> tuple[list[PersonHit], list[bool]]:
    """The people as hits with their tier and score (typo guesses too far off left out), and
    whether each matched a whole name or number."""
    hits, whole = [], []
    for person in people:
        tier, score, complete = _tier(person, query, forms, person.pk in matched_ids
                                      or bool(phone and phone in person.phone))
        if tier == FUZZY and score < FUZZY_THRESHOLD:
            continue
        hits.append(PersonHit(person=person, tier=tier, score=score))
        whole.append(complete)
    return hits, whole


def find_people(user, query: str, *, limit: int = 20) -> list[PersonHit]:
    """The people ``user`` may see whom ``query`` names, best first."""
    query = (query or "").strip()
    if not query:
        return []
    visible = person_visible_to(user).filter(merged_into__isnull=True)
    forms = names.query_forms(query)
    numbers = document_number_candidates(query) if any(ch.isdigit() for ch in query) else set()
    numbers = {number for number in numbers if len(number) >= 6}
    phone = _phone(query)
    condition = Q(pk__in=[])
    matched_ids: set = set()
    if numbers:
        # looked up on their own (the documents' unique index): OR-ed as a sub-query with the
        # name patterns, it made PostgreSQL filter every person
        matched_ids = set(IdentityDocument.with_numbers(numbers)
                          .values_list("person_id", flat=True)[:CANDIDATES])
        condition |= Q(pk__in=matched_ids)
    if phone:
        condition |= Q(phone__contains=phone)
    if _number_like(query):  # a number is not a name: no name keys to look at
        forms = set()
    condition |= _names_matching(forms)
    columns = ("pk", "name_zh", "name_latin", "name_keys", "sex", "date_of_birth", "district",
               "phone", "owner_agency_id", "name_simplified", "name_traditional")
    romanised = sorted(form for form in forms if not names.has_chinese(form))
    if romanised and not numbers and not phone:
        people = _whole_names_first(visible, condition, romanised, columns)
    else:
        people = list(visible.filter(condition).only(*columns)
                      .order_by(*NEWEST_FIRST)[:CANDIDATES])
    hits, whole = _ranked(people, query, forms, matched_ids, phone)
    # typo guesses count only when nothing else matched (below): they are looked for only then
    if len(people) < limit and not any(hit.tier < FUZZY for hit in hits) \
            and not names.has_chinese(query) and not numbers:
        spellings = _typo_spellings(names.normalise_latin(query))
        if spellings:
            seen = {person.pk for person in people}
            fuzzy = (visible.exclude(pk__in=seen).filter(_whole_key_among(spellings))
                     .only(*columns).order_by(*NEWEST_FIRST)[:CANDIDATES])
            more_hits, more_whole = _ranked(list(fuzzy), query, forms, matched_ids, phone)
            hits, whole = hits + more_hits, whole + more_whole
    if any(whole):  # a whole name or number matched: partial and fuzzy matches are noise,
        # and "Chu Kuok Wai" in that order outranks 郭珠偉 read backwards
        best = max(hit.score for hit, complete in zip(hits, whole) if complete)
        hits = [hit for hit, complete in zip(hits, whole) if complete and hit.score >= best]
    elif any(hit.tier < FUZZY for hit in hits):  # typo guesses only when nothing else matched
        hits = [hit for hit in hits if hit.tier < FUZZY]
    elif hits:  # only the closest guesses
        best = max(hit.score for hit in hits)
        hits = [hit for hit in hits if hit.score >= best - FUZZY_MARGIN]
    hits.sort(key=lambda hit: (hit.tier, -hit.score, hit.person.name_zh, hit.person.pk))
    hits = hits[:limit]
    if hits:
        ids = [hit.person.pk for hit in hits]
        documents: dict[int, list] = {}
        for document in IdentityDocument.objects.filter(person_id__in=ids).order_by("id"):
            documents.setdefault(document.person_id, []).append(document)
        # counted among the cases the user may see: a count must not reveal hidden cases
        open_cases = dict(case_visible_to(user).filter(subject_id__in=ids)
                          .exclude(status=CaseStatus.CLOSED).order_by()
                          .values("subject_id").annotate(n=Count("pk"))
                          .values_list("subject_id", "n"))
        for hit in hits:
            hit.documents = documents.get(hit.person.pk, [])
            hit.open_cases = open_cases.get(hit.person.pk, 0)
    return hits
