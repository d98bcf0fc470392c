"""Possible duplicates of a person, as OpenCR/SanteDB match them.

Deterministic: the same identity-document number (in any accepted spelling) is certain.
Probabilistic: name (any script, via the name keys), birth date, sex and district, each
weighted (``ZHUAO_MATCH_WEIGHTS``); a score at or above ``ZHUAO_MATCH_THRESHOLDS["possible"]``
is a possible match. Queries are bounded: candidates come by indexed columns (birth date,
simplified name), at most ``CANDIDATES`` of them, and are scored in Python with rapidfuzz.
People merged into another are never candidates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Substr
from rapidfuzz import fuzz, process

from . import names
from .models import IdentityDocument, Person, PossibleDuplicate

CANDIDATES = 200


@dataclass
class Match:
    person: Person
    score: float
    is_certain: bool = False


def _weights() -> dict[str, float]:
    return settings.ZHUAO_MATCH_WEIGHTS


def _thresholds() -> dict[str, float]:
    return settings.ZHUAO_MATCH_THRESHOLDS


#: the stored keys a name is compared by (what a list of candidates loads of each person)
KEY_FIELDS = ("name_simplified", "name_keys", "name_pinyin", "name_jyutping")


@dataclass(frozen=True)
class NameForms:
    """A name prepared to be compared with many people (an import of 20,000 rows compares
    each with every person born the same day: forty of them at a million people)."""
    simplified: str
    keys: frozenset  # short keys are initials ("cdw"): shared by too many names to count
    pinyin: str
    jyutping: str


def name_forms(keys: dict) -> NameForms:
    """The forms of a name from its keys (``names.person_keys``, or as stored on a person)."""
    return NameForms(keys["name_simplified"],
                     frozenset(key for key in keys["name_keys"].split("|") if len(key) > 3),
                     keys.get("name_pinyin", ""), keys.get("name_jyutping", ""))


def forms_of(person: Person) -> NameForms:
    """The forms of a registered person's name, from the keys stored on it."""
    return name_forms({field: getattr(person, field) for field in KEY_FIELDS})


def name_similarities(forms: NameForms, others: list, *, cutoff: float = 0) -> list[float]:
    """0..100 for each of ``others`` (people or rows of their name keys): the best agreement of
    its name with ``forms`` across scripts and spellings. One rapidfuzz call per form of the
    name, not one per person: an import compares each row with every person born that day.
    A similarity under ``cutoff`` may be given as 0, so a caller passes at most the similarity
    it counts (``ZHUAO_MATCH_THRESHOLDS["name_similarity"]``).

    The other person's stored keys are read as they are: a key they share with ``forms`` is
    long enough, as ``forms`` holds only long ones."""
    best = [0.0] * len(others)

    def raise_to(query: str, choices: list[str], scorer) -> None:
        if not query:
            return
        for _choice, value, index in process.extract(query, choices, scorer=scorer,
                                                      score_cutoff=cutoff, limit=None):
            if choices[index] and value > best[index]:
                best[index] = float(value)

    raise_to(forms.simplified, [other.name_simplified for other in others], fuzz.ratio)
    raise_to(forms.pinyin, [other.name_pinyin for other in others], fuzz.token_sort_ratio)
    raise_to(forms.jyutping, [other.name_jyutping for other in others], fuzz.token_sort_ratio)
    if forms.keys:
        for index, other in enumerate(others):
            if best[index] < 95.0 and not forms.keys.isdisjoint(other.name_keys.split("|")):
                best[index] = 95.0
    return best


def _weighted(similarity: float, date_of_birth: date | None, sex: str, district: str, other,
              weights: dict, thresholds: dict) -> float:
    total = 0.0
    if similarity >= thresholds["name_similarity"]:
        total += weights["name"] * similarity / 100
    if date_of_birth is not None and other.date_of_birth == date_of_birth:
        total += weights["date_of_birth"]
    elif (date_of_birth is not None and other.date_of_birth
          and other.date_of_birth.year == date_of_birth.year):
        total += weights["date_of_birth"] / 3
    if sex and other.sex == sex:
        total += weights["sex"]
    if district and other.district == district:
        total += weights["district"]
    return round(total, 3)


def scores(forms: NameForms, date_of_birth: date | None, sex: str, district: str,
           others: list, *, weights: dict | None = None,
           thresholds: dict | None = None) -> list[float]:
    """0..1 for each of ``others`` (people or rows of their fields): the weighted agreement of
    the fields with it, the names compared together (``name_similarities``). ``weights`` and
    ``thresholds``: the settings, read once by a caller that scores many."""
    weights = weights or _weights()
    thresholds = thresholds or _thresholds()
    similarities = name_similarities(forms, others, cutoff=thresholds["name_similarity"])
    return [_weighted(similarity, date_of_birth, sex, district, other, weights, thresholds)
            for similarity, other in zip(similarities, others, strict=True)]


def active_people() -> QuerySet[Person]:
    return Person.objects.filter(merged_into__isnull=True)


def find_matches(*, name_zh: str, name_latin: str = "", date_of_birth: date | None = None,
                 sex: str = "", district: str = "", document_numbers: tuple[str, ...] = (),
                 exclude_pk=None, people: QuerySet[Person] | None = None,
                 forms: NameForms | None = None) -> list[Match]:
    """Every person among ``people`` (default: all active people, whatever the caller may see)
    who may be the one described, best first. ``document_numbers`` are canonical numbers;
    ``forms``: the name's, when its keys are already stored (else computed from the name)."""
    people = active_people() if people is None else people.filter(merged_into__isnull=True)
    if forms is None:
        forms = name_forms(names.person_keys(name_zh or "", name_latin or ""))
    matches: dict[int, Match] = {}
    if document_numbers:
        indexes = [IdentityDocument.index_of(number) for number in document_numbers]
        certain = (people.filter(documents__number_index__in=indexes)
                   .exclude(pk=exclude_pk).distinct())
        for person in certain[:CANDIDATES]:
            matches[person.pk] = Match(person, 1.0, True)
    condition = Q()
    if date_of_birth is not None:
        condition |= Q(date_of_birth=date_of_birth)
    if forms.simplified:
        condition |= Q(name_simplified=forms.simplified)
    if not condition:
        return list(matches.values())
    threshold = _thresholds()["possible"]
    candidates = list(people.filter(condition).exclude(pk=exclude_pk)
                      .exclude(pk__in=list(matches)).order_by("-id")[:CANDIDATES])
    for person, value in zip(candidates, scores(forms, date_of_birth, sex, district,
                                                candidates), strict=True):
        if value >= threshold:
            matches[person.pk] = Match(person, value)
    return sorted(matches.values(), key=lambda match: (not match.is_certain, -match.score,
                                                       -match.person.pk))


def matches_for_person(person: Person, *, numbers=None, people=None) -> list[Match]:
    """Who may be the same as a registered person, compared by the name keys stored on it: a
    person's page computes no romanisation (whose dictionaries, 128 MB, a web worker would
    otherwise load for the first page it draws)."""
    if numbers is None:
        numbers = IdentityDocument.objects.filter(person=person).values_list("number", flat=True)
    numbers = tuple(numbers)
    return find_matches(name_zh=person.name_zh, name_latin=person.name_latin,
                        date_of_birth=person.date_of_birth, sex=person.sex,
                        district=person.district, document_numbers=numbers,
                        exclude_pk=person.pk, people=people, forms=forms_of(person))


def possible_duplicate_pairs(people: QuerySet[Person]) -> list[tuple]:
    """Pairs ``(older, newer, score)`` among the active ``people`` at or above the threshold,
    best first, over the whole register. Blocked as record linkage does: only people who share
    a birth date and the first character of their simplified name (the surname, whichever
    script it was typed in) are compared. One query finds them, by a window count over those
    blocks; each block is scored in Python."""
    weights, thresholds = _weights(), _thresholds()
    threshold = thresholds["possible"]
    surname = Substr("name_simplified", 1, 1)
    blocked = (people.filter(merged_into__isnull=True, date_of_birth__isnull=False)
               .annotate(block_size=Window(Count("id"), partition_by=[F("date_of_birth"),
                                                                     surname]))
               .filter(block_size__gt=1).order_by("date_of_birth", "name_simplified", "id"))
    blocks: dict = {}
    for person in blocked:
        blocks.setdefault((person.date_of_birth, person.name_simplified[:1]), []).append(person)
    pairs = []
    for group in blocks.values():
        group.sort(key=lambda person: person.pk)
        for index, first in enumerate(group):
            later = group[index + 1:]
            for second, value in zip(later, scores(
                    forms_of(first), first.date_of_birth, first.sex, first.district, later,
                    weights=weights, thresholds=thresholds), strict=True):
                if value >= threshold:
                    pairs.append((first, second, value))
    pairs.sort(key=lambda pair: (-pair[2], -pair[1].pk))
    return pairs


def possible_duplicates_refresh() -> int:
    """Scan the whole register and replace the stored pairs that the city officers' list reads
    (beat, nightly: ``cases.scan_possible_duplicates``). Returns how many pairs were found."""
    pairs = possible_duplicate_pairs(active_people().only(
        "id", "date_of_birth", "sex", "district", *KEY_FIELDS))
    with transaction.atomic():
        PossibleDuplicate.objects.all().delete()
        PossibleDuplicate.objects.bulk_create(
            [PossibleDuplicate(first=first, second=second, score=round(value, 3))
             for first, second, value in pairs], batch_size=1000)
    return len(pairs)


def remember_matches(person: Person, matches: list[Match]) -> None:
    """Store ``person``'s probable matches as pairs for the list, between two scans."""
    rows = [PossibleDuplicate(first_id=min(person.pk, match.person.pk),
                              second_id=max(person.pk, match.person.pk),
                              score=round(match.score, 3))
            for match in matches if match.person.pk != person.pk]
    PossibleDuplicate.objects.bulk_create(rows, update_conflicts=True,
                                          unique_fields=["first", "second"],
                                          update_fields=["score", "found_at"])


def match_many(entries: list[dict], *, chunk: int = 500) -> list[list[tuple[int, float]]]:
    """For each entry (``name_zh``, ``date_of_birth``, ``sex``, ``district``), the ids and
    scores of the people it may duplicate. For imports of thousands of rows: one query per
    ``chunk`` birth dates, scored in Python."""
    weights, thresholds = _weights(), _thresholds()
    threshold = thresholds["possible"]
    dates = sorted({entry["date_of_birth"] for entry in entries if entry.get("date_of_birth")})
    by_birth: dict = {}
    for start in range(0, len(dates), chunk):
        # rows, not model instances: at a million people the dates of an import's 20,000
        # rows are those of 500,000 people, and building each as a Person took longer than
        # scoring it
        for person in active_people().filter(date_of_birth__in=dates[start:start + chunk]) \
                .values_list("id", "date_of_birth", "sex", "district", *KEY_FIELDS, named=True):
            by_birth.setdefault(person.date_of_birth, []).append(person)
    found = []
    for entry in entries:
        people = by_birth.get(entry.get("date_of_birth"), [])
        if not people:
            found.append([])
            continue
        forms = name_forms(names.person_keys(entry.get("name_zh", ""), entry.get("name_latin", "")))
        hits = [(person.id, value) for person, value in zip(people, scores(
            forms, entry["date_of_birth"], entry.get("sex", ""), entry.get("district", ""),
            people, weights=weights, thresholds=thresholds), strict=True)
            if value >= threshold]
        found.append(sorted(hits, key=lambda hit: -hit[1]))
    return found
