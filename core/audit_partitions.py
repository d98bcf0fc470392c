"""The audit trail partitioned by month on PostgreSQL (migration 0013).

At a hundred officers the audit table gains millions of rows a year. ``zhuao_auditevent`` is a
range-partitioned table on ``occurred_at``: one partition a month, ``zhuao_auditevent_pYYYYMM``,
plus ``zhuao_auditevent_default`` for a row no month partition takes (a date before the
partitions begin, or one further ahead than they were made). The append-only trigger is
declared on the partitioned table, so PostgreSQL puts it on every partition, those made later
included.

- **Ahead**: ``zhuao_audit_partitions_ahead(months)`` is a database function owned by the owner
  (``SECURITY DEFINER``): the application's role, which may create nothing, may call it, and it
  can only add the coming months' partitions, never remove one. A daily beat task calls it
  (``ensure_partitions``). A month whose rows already went to the default partition keeps them
  there (PostgreSQL would refuse the new partition) and is reported.
- **Behind**: ``drop_archived_partitions`` removes a month's partition only when it is empty
  (``manage.py audit_archive`` has moved its rows to an archive file, which deletes only rows
  older than 180 days and their retention) and its whole month lies before the retention cutoff;
  it runs with the archive, as the owner.

SQLite (the embedded run) has no partitions; both functions do nothing there."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

TABLE = "zhuao_auditevent"
DEFAULT_PARTITION = f"{TABLE}_default"
PREFIX = f"{TABLE}_p"


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime.datetime | None  # None: the default partition
    end: datetime.datetime | None


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.relname = %s AND pg_table_is_visible(c.oid)", [TABLE])
        return cursor.fetchone() is not None


def partitions() -> list[Partition]:
    """The audit table's partitions, months in order, the default partition last."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = %s AND pg_table_is_visible(p.oid)", [TABLE])
        rows = cursor.fetchall()
    months, default = [], []
    for name, bound in rows:
        if name.startswith(PREFIX):
            start = datetime.datetime.strptime(name.removeprefix(PREFIX), "%Y%m").replace(
                tzinfo=datetime.timezone.utc)
            months.append(Partition(name, start, _next_month(start)))
        else:
            default.append(Partition(name, None, None))
    return sorted(months, key=lambda partition: partition.start) + default


def _next_month(moment: datetime.datetime) -> datetime.datetime:
    return (moment.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def ensure_partitions(months_ahead: int | None = None) -> int:
    """Make this month's and the next ``months_ahead`` months' partitions (those missing);
    returns how many were made."""
    if not is_partitioned():
        return 0
    months = settings.AUDIT_PARTITIONS_AHEAD if months_ahead is None else months_ahead
    with connection.cursor() as cursor:
        cursor.execute("SELECT zhuao_audit_partitions_ahead(%s)", [months])
        return cursor.fetchone()[0]


def drop_archived_partitions(cutoff: datetime.datetime) -> list[str]:
    """Drop each month partition that ends before ``cutoff`` and holds no row (its rows were
    archived). ``cutoff`` is never later than 180 days ago: a younger month stays, empty or not.
    Run as the owner (the archive job): the application's role may not drop tables."""
    floor = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=180)
    cutoff = min(cutoff, floor)
    dropped = []
    quote = connection.ops.quote_name
    for partition in partitions():
        if partition.end is None or partition.end > cutoff:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(partition.name)})")
            if cursor.fetchone()[0]:
                continue
            cursor.execute(f"ALTER TABLE {quote(TABLE)} DETACH PARTITION {quote(partition.name)}")
            cursor.execute(f"DROP TABLE {quote(partition.name)}")
        dropped.append(partition.name)
    return dropped
