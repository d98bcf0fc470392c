"""The audit trail partitioned by month (issue 30; core.audit_partitions, migration 0013):
partitions made ahead by the application's role through the owner's function, the append-only
trigger on every partition (new ones included), and old partitions dropped only when archived
and older than 180 days."""
from datetime import datetime, timedelta, timezone

import pytest
from django.db import DatabaseError, connection, transaction

from tests.zhuao.conftest import ActingAs
from core.audit import audit_record
from core.audit_partitions import (
    DEFAULT_PARTITION,
    PREFIX,
    drop_archived_partitions,
    ensure_partitions,
    partitions,
)
from core.models import AuditEvent
from core.tasks import audit_partitions

pytestmark = pytest.mark.postgres


def _month(offset: int) -> datetime:
    now = datetime.now(timezone.utc)
    year, month = divmod(now.year * 12 + now.month - 1 + offset, 12)
    return datetime(year, month + 1, 1, tzinfo=timezone.utc)


def _name(moment: datetime) -> str:
    return f"{PREFIX}{moment:%Y%m}"


def _partition_of(event) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM zhuao_auditevent WHERE id = %s",
                       [event.pk])
        return cursor.fetchone()[0]


def _has_trigger(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
                       "AND tgname = 'zhuao_auditevent_append_only'", [table])
        row = cursor.fetchone()
    return row is not None and row[0] == "O"


def _create_partition(moment: datetime) -> str:
    name = _name(moment)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {name} PARTITION OF zhuao_auditevent FOR VALUES "
                       f"FROM (%s) TO (%s)", [moment, _month_after(moment)])
    return name


def _month_after(moment: datetime) -> datetime:
    return (moment.replace(day=28) + timedelta(days=4)).replace(day=1)


def test_the_audit_table_has_this_months_and_the_coming_months_partitions(db, users):
    names = [partition.name for partition in partitions()]
    assert names[-1] == DEFAULT_PARTITION
    assert {_name(_month(offset)) for offset in range(-12, 4)} <= set(names)
    assert all(_has_trigger(name) for name in names)
    assert audit_partitions() == 0  # the beat task: nothing missing
    event = audit_record(actor=users["city"], action="thing.view")
    assert _partition_of(event) == _name(_month(0))


def test_a_partition_made_ahead_by_the_application_role_is_append_only(app_role, users):
    far = _month(7)
    assert _name(far) not in {partition.name for partition in partitions()}
    with ActingAs(app_role):
        assert ensure_partitions(8) >= 1  # the role that may create no table adds months
        with pytest.raises(DatabaseError, match="permission denied"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("CREATE TABLE zhuao_auditevent_p209901 PARTITION OF "
                               "zhuao_auditevent FOR VALUES FROM ('2099-01-01') TO ('2099-02-01')")
    assert _has_trigger(_name(far))
    event = AuditEvent.objects.create(action="thing.far", occurred_at=far + timedelta(days=3))
    assert _partition_of(event) == _name(far)
    for statement in (f"UPDATE {_name(far)} SET summary = 'x' WHERE id = %s",
                      f"DELETE FROM {_name(far)} WHERE id = %s",
                      "UPDATE zhuao_auditevent SET summary = 'x' WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    with ActingAs(app_role):
        for statement in (f"UPDATE {_name(far)} SET summary = 'x' WHERE id = %s",
                          f"DELETE FROM {_name(far)} WHERE id = %s",
                          f"TRUNCATE {_name(far)}", f"DROP TABLE {_name(far)}"):
            with pytest.raises(DatabaseError, match="permission denied|must be owner"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement.replace("%s", str(event.pk)))
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_a_month_whose_rows_went_to_the_default_partition_keeps_them_there(db):
    later = _month(10)
    event = AuditEvent.objects.create(action="thing.early", occurred_at=later + timedelta(days=1))
    assert _partition_of(event) == DEFAULT_PARTITION
    ensure_partitions(12)
    names = {partition.name for partition in partitions()}
    assert _name(later) not in names and _name(_month(11)) in names
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_only_empty_partitions_older_than_180_days_are_dropped(db):
    archived = _create_partition(_month(-20))
    holding = _create_partition(_month(-19))
    AuditEvent.objects.create(action="thing.old", occurred_at=_month(-19) + timedelta(days=2))
    recent_empty = _name(_month(-2))  # made by the migration (a year back), empty
    # asked to drop up to now: the 180-day floor still keeps the recent month
    floor = datetime.now(timezone.utc) - timedelta(days=180)
    dropped = drop_archived_partitions(datetime.now(timezone.utc))
    assert archived in dropped
    assert all(_month_after(datetime.strptime(name.removeprefix(PREFIX), "%Y%m").replace(
        tzinfo=timezone.utc)) <= floor for name in dropped)
    names = {partition.name for partition in partitions()}
    assert archived not in names and {holding, recent_empty, DEFAULT_PARTITION} <= names
