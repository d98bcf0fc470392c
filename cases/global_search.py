"""The header's one search box: people (``cases.search.find_people``) and the records of every
workstream by number — cases, verification requests, relief applications, referrals and payment
batches.

Each kind of record is looked up through its workstream's visibility door, so a number the user
may not see answers exactly as a number that does not exist. A search costs a fixed number of
queries whatever the data: one for the kind of record whose letters the query starts with (none
for a name, an ID or a phone number), plus the people search's own bounded few. The query itself
is never written down: the audit row names the kinds matched and the count.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.roles import has_role
from infosharing.selectors import verification_request_visible_to
from partners.selectors import referral_visible_to
from remittance.selectors import batch_visible_to
from tempaid.selectors import application_visible_to

from .permissions import PEOPLE_ROLES
from .search import PersonHit, find_people
from .selectors import case_visible_to

#: Longest query accepted (the longest record number is 24 characters; names are shorter).
QUERY_MAX_LENGTH = 100
#: Records shown per kind; a number names one record, a prefix a few.
RECORDS_PER_KIND = 10
#: People shown.
PEOPLE_LIMIT = 20
#: The shortest number prefix looked up (shorter ones would match every record of a year).
PREFIX_MIN_LENGTH = 4


@dataclass
class RecordHit:
    kind: str
    number: str
    label: str
    status: str
    url: str
    exact: bool


@dataclass
class Results:
    query: str
    people: list[PersonHit] = field(default_factory=list)
    records: dict[str, list[RecordHit]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.people) + sum(len(hits) for hits in self.records.values())

    @property
    def kinds(self) -> list[str]:
        return (["person"] if self.people else []) + [kind for kind, hits in self.records.items()
                                                      if hits]

    def groups(self) -> list[tuple[str, str, list[RecordHit]]]:
        """(kind, heading, hits) of the record kinds that matched, in the order of KINDS."""
        return [(kind.key, kind.label, self.records[kind.key]) for kind in KINDS
                if self.records.get(kind.key)]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    #: the letters every number of this kind starts with (its service writes them: ZH-2026-…)
    letters: str

    def visible(self, user):
        raise NotImplementedError

    def describe(self, record) -> str:
        raise NotImplementedError

    def url(self, record) -> str:
        raise NotImplementedError


class CaseKind(Kind):
    def visible(self, user):
        return case_visible_to(user).select_related("subject")

    def describe(self, record):
        return record.subject.name_zh

    def url(self, record):
        return reverse("cases:case_detail", args=[record.pk])


class RequestKind(Kind):
    def visible(self, user):
        return verification_request_visible_to(user)

    def describe(self, record):
        return record.person.name_zh

    def url(self, record):
        return reverse("infosharing:request_detail", args=[record.pk])


class ApplicationKind(Kind):
    def visible(self, user):
        return application_visible_to(user).select_related("person")

    def describe(self, record):
        return record.person.name_zh

    def url(self, record):
        return reverse("tempaid:detail", args=[record.pk])


class ReferralKind(Kind):
    def visible(self, user):
        return referral_visible_to(user)

    def describe(self, record):
        # the copied name: a provider never sees the case file
        return f"{record.person_name} · {record.organisation}"

    def url(self, record):
        return reverse("partners:referral_detail", args=[record.pk])


class BatchKind(Kind):
    def visible(self, user):
        return batch_visible_to(user)

    def describe(self, record):
        return f"{record.period:%Y-%m}"

    def url(self, record):
        return reverse("remittance:batch_detail", args=[record.pk])


KINDS: tuple[Kind, ...] = (
    CaseKind("case", _("Cases"), "ZH"),
    RequestKind("verification_request", _("Verification requests"), "XC"),
    ApplicationKind("relief_application", _("Relief applications"), "TA"),
    ReferralKind("referral", _("Referrals"), "ZJ"),
    BatchKind("payment_batch", _("Payment batches"), "PB"),
)


def _number_forms(query: str) -> tuple[str, str]:
    """(the number as stored, the prefix to look up or ""): record numbers are upper case
    without spaces, e.g. ZH-2026-000123, PB202601-0001."""
    number = "".join(query.split()).upper()
    prefix = number if len(number) >= PREFIX_MIN_LENGTH else ""
    return number, prefix


def _leading_letters(number: str) -> str:
    letters = ""
    for ch in number:
        if not ch.isalpha():
            break
        letters += ch
    return letters


def find_records(user, query: str) -> dict[str, list[RecordHit]]:
    """The records of each kind ``user`` may see whose number is, or starts with, ``query``.
    Only the kinds whose numbers start with the query's letters are looked up (one query
    each): "ZH-2026-0001" reads cases only, and a query that starts with a digit or holds
    none (an ID or phone number, a name) reads no record table at all."""
    number, prefix = _number_forms(query)
    letters = _leading_letters(number)
    if not letters or not any(ch.isdigit() for ch in number) or len(number) > 24:
        return {}
    found = {}
    for kind in KINDS:
        if not (kind.letters.startswith(letters) or letters.startswith(kind.letters)):
            continue
        visible = kind.visible(user)
        matching = visible.filter(number__startswith=prefix) if prefix \
            else visible.filter(number=number)
        records = list(matching.order_by("number")[:RECORDS_PER_KIND])
        hits = [RecordHit(kind=kind.key, number=record.number, label=kind.describe(record),
                          status=record.get_status_display(), url=kind.url(record),
                          exact=record.number == number) for record in records]
        hits.sort(key=lambda hit: (not hit.exact, hit.number))
        found[kind.key] = hits
    return found


def global_search(user, query: str, *, channel: str = "web") -> Results:
    """Everything ``user`` may see that ``query`` names, audited as one row that says which
    kinds matched and how many — never the query, which may be a name or an ID number."""
    query = " ".join((query or "").split())[:QUERY_MAX_LENGTH]
    results = Results(query=query)
    if query:
        results.records = find_records(user, query)
        if has_role(user, *PEOPLE_ROLES):
            results.people = find_people(user, query, limit=PEOPLE_LIMIT)
    per_kind = {"person": len(results.people),
                **{key: len(hits) for key, hits in results.records.items()}}
    audit_record(actor=user, action="search.global", object_type="search",
                 summary=f"global search: {results.count} found",
                 changes={"kinds": ",".join(results.kinds), "count": results.count,
                          "channel": channel,
                          **{f"found_{key}": count for key, count in per_kind.items() if count}})
    return results
