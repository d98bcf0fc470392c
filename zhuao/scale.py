"""Helpers for ``manage.py seed_scale``: valid identity numbers in bulk and a sizes object.

Each app's ``scale.py`` provides ``generate(base, sizes, stdout)``, run in workstream order
after the agencies and users exist; it must use bulk operations (no per-row services) and be
safe to run on an empty database only (seed_scale refuses a database that already has cases)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.cn import ric

BATCH = 5000


@dataclass
class Sizes:
    people: int = 100_000
    households: int = 60_000
    cases: int = 100_000
    verification_requests: int = 5_000
    bulletin_months: int = 24
    recipients: int = 20_000
    batch_months: int = 12
    applications: int = 10_000
    organisations: int = 300
    service_records: int = 50_000
    meetings: int = 500

    def scaled(self, factor: float) -> "Sizes":
        values = {name: max(1, int(getattr(self, name) * factor))
                  for name in self.__dataclass_fields__ if name not in {"bulletin_months", "batch_months"}}
        return Sizes(**values, bulletin_months=self.bulletin_months, batch_months=self.batch_months)


def mainland_id(serial: int, *, region: str = "440402", first_birth: date = date(1940, 1, 1)) -> str:
    """The ``serial``-th valid mainland ID: distinct serials give distinct numbers."""
    birth = first_birth + timedelta(days=serial // 999)
    body = f"{region}{birth:%Y%m%d}{serial % 999 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit


def residence_permit(serial: int) -> str:
    """The ``serial``-th valid residence permit for Macau residents (820000…)."""
    birth = date(1940, 1, 1) + timedelta(days=serial // 999)
    body = f"820000{birth:%Y%m%d}{serial % 999 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")  # the same ISO 7064 MOD 11-2 rule


def macau_id(serial: int) -> str:
    """The ``serial``-th Macau BIR number in the stored form ``1234567(8)``."""
    first = "157"[serial % 3]
    digits = f"{first}{serial // 3 % 1_000_000:06d}"
    check = (serial * 7 + 3) % 10  # no published check digit: any digit is valid
    return f"{digits}({check})"


def birth_date_of_mainland(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def chunks(items, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rng(seed: int = 2021) -> random.Random:
    return random.Random(seed)
