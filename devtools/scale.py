"""Helpers for ``manage.py seed_scale``: valid identity numbers in bulk and a sizes object.

Each app's ``scale.py`` provides ``generate(base, sizes, stdout)``, run in workstream order
after the agencies and users exist; it must use bulk operations (no per-row services) and be
safe to run on an empty database only (seed_scale refuses a database that already has cases)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Greatest, Length, LPad
from django.utils import timezone
from stdnum.cn import ric

from core.models import AuditEvent

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
    audit_events: int = 1_000_000

    def scaled(self, factor: float) -> "Sizes":
        values = {name: max(1, int(getattr(self, name) * factor))
                  for name in self.__dataclass_fields__ if name not in {"bulletin_months", "batch_months"}}
        return Sizes(**values, bulletin_months=self.bulletin_months, batch_months=self.batch_months)


def padded_id(field: str = "id", width: int = 6):
    """The row's ``field`` (its id) as at least ``width`` digits, as ``f"{pk:06d}"`` writes it in the services'
    record numbers (``LPad`` alone would cut a seven-digit id to six, and numbers repeat past a
    million rows)."""
    text = Cast(field, CharField())
    return LPad(text, Greatest(Length(text), Value(width)), Value("0"))


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


#: What the audit trail of a year of work holds, most often reads (views, searches), then steps.
AUDIT_ACTIONS = ["case.view", "person.view", "case.view", "person.search", "case.update",
                 "verificationrequest.view", "verificationrequest.send", "recipient.view",
                 "payment.view", "application.view", "application.approve", "referral.view",
                 "servicerecord.create", "auth.login", "auth.logout", "export.download",
                 "case.view", "person.view", "bulletin.view", "access.denied"]


def generate_audit(base, sizes: Sizes, stdout) -> None:
    """``sizes.audit_events`` rows over the last 365 days from the demo users, in chunks of a
    million: one ``INSERT … SELECT generate_series`` each on PostgreSQL (a Python loop would take
    longer than all the workstreams together), bulk inserts elsewhere. Left unsealed: the seal
    task chains new rows as they come, and no page reads the chain."""
    users = list(base["users"].values())
    actors = [(user.pk, user.username, user.staff.agency.code) for user in users]
    now = timezone.now()
    total = sizes.audit_events
    if connection.vendor != "postgresql":
        rng = random.Random(7)
        rows = []
        for index in range(total):
            actor_id, username, agency = actors[index % len(actors)]
            action = AUDIT_ACTIONS[index % len(AUDIT_ACTIONS)]
            rows.append(AuditEvent(
                occurred_at=now - timedelta(seconds=rng.randrange(365 * 86400)),
                actor_id=actor_id, actor_username=username, agency_code=agency, action=action,
                object_type=action.split(".")[0], object_id=str(index % 100_000 + 1),
                outcome="denied" if action == "access.denied" else "success"))
        AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
        stdout.write(f"    {total} audit events")
        return
    table = AuditEvent._meta.db_table
    ids = "ARRAY[%s]" % ",".join(str(actor[0]) for actor in actors)
    names = "ARRAY[%s]" % ",".join(f"'{actor[1]}'" for actor in actors)
    codes = "ARRAY[%s]" % ",".join(f"'{actor[2]}'" for actor in actors)
    actions = "ARRAY[%s]" % ",".join(f"'{action}'" for action in AUDIT_ACTIONS)
    with connection.cursor() as cursor:
        for start in range(0, total, 1_000_000):
            end = min(total, start + 1_000_000)
            cursor.execute(f"""
                INSERT INTO {table} (occurred_at, actor_id, actor_username, agency_code, action,
                                     object_type, object_id, summary, changes, ip_address,
                                     request_id, outcome)
                SELECT %s - make_interval(secs => (n * 7919) %% (365 * 86400)),
                       ({ids})[1 + n %% {len(actors)}], ({names})[1 + n %% {len(actors)}],
                       ({codes})[1 + n %% {len(actors)}], a.action, split_part(a.action, '.', 1),
                       (1 + n %% 100000)::text, '', '{{}}'::jsonb,
                       ('10.' || (n %% 200) || '.' || (n / 200 %% 250) || '.7')::inet,
                       md5(n::text)::uuid,
                       CASE WHEN a.action = 'access.denied' THEN 'denied' ELSE 'success' END
                FROM generate_series(%s::bigint, %s::bigint) AS n,
                     LATERAL (SELECT ({actions})[1 + n %% {len(AUDIT_ACTIONS)}] AS action) a
            """, [now, start, end - 1])
    stdout.write(f"    {total} audit events")
