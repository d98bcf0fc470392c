"""Small builders for cases' tests: valid identity numbers and registered people/cases."""
from __future__ import annotations

import itertools
from datetime import date

from cases.models import CaseCategory, ResidenceStatus, Sex
from cases.services import case_open, person_register

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_counter = itertools.count(1)


def mainland_id(region: str | None = None, birth: str = "19800101", seq: int | None = None) -> str:
    """A valid 18-digit mainland resident ID number (ISO 7064 MOD 11-2). Numbers a test writes
    or asks for by ``seq`` are of region 440402; the ones counted here are of another region,
    so that the counter (which wraps at 1,000) never meets them."""
    if seq is None:
        region, seq = region or "440403", next(_counter) % 1000
    first17 = f"{region or '440402'}{birth}{seq:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS))
    return first17 + _CHECK[total % 11]


def macau_id(seq: int | None = None) -> str:
    seq = next(_counter) if seq is None else seq
    return f"1{seq % 1000000:06d}(3)"


def person(actor, *, name="陈大文", district="", document_type="mainland_id", number=None,
           residence=ResidenceStatus.ZHUHAI_HOUSEHOLD, born=date(1980, 1, 1)):
    if number is None:
        number = mainland_id() if document_type == "mainland_id" else macau_id()
    return person_register(actor=actor, name_zh=name, sex=Sex.MALE, date_of_birth=born,
                           residence_status=residence, document_type=document_type,
                           document_number=number, district=district)


def case(actor, subject=None, *, category=CaseCategory.TEMPORARY_RELIEF, **kwargs):
    subject = subject or person(actor)
    return case_open(actor=actor, subject=subject, category=category, **kwargs)
