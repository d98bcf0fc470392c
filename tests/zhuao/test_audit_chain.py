"""The audit trail as evidence (``core.audit_chain``): each row sealed into a chain of keyed
hashes; an edited, removed or re-sealed row is found at the first broken link; rows leave the
database only past at least 180 days, through an archive file with its manifest."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core import audit_chain
from core.audit import audit_record
from core.checks import audit_trail_settings
from core.models import AuditArchive, AuditEvent, AuditSeal

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def base(db) -> int:
    """The chain starts empty in each test (the rows the database set-up wrote are emptied
    inside the test's transaction, which rolls back): the position the test starts after."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE zhuao_auditseal, zhuao_auditevent, zhuao_auditarchive")
    return 0


def write(count: int, *, days_ago: int = 0) -> list[AuditEvent]:
    when = timezone.now() - timedelta(days=days_ago)
    return [AuditEvent.objects.create(occurred_at=when, action="thing.view",
                                      object_type="test.thing", object_id=str(index),
                                      summary="查看", changes={"n": index})
            for index in range(count)]


def tamper(sql: str, params=None) -> None:
    """What only the tables' owner can do: switch the trigger off and change the rows."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE zhuao_auditevent DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE zhuao_auditseal DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE zhuao_auditevent ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE zhuao_auditseal ENABLE TRIGGER USER")


@pytest.mark.django_db
@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_every_row_is_sealed_once_and_the_chain_verifies(settings, algorithm, base):
    settings.AUDIT_CHAIN_HASH = algorithm
    events = write(5)
    audit_record(actor=None, action="case.view", object_type="cases.case", object_id="7")
    assert audit_chain.seal_pending() == 6
    assert audit_chain.seal_pending() == 0
    seals = list(AuditSeal.objects.filter(position__gt=base).order_by("position"))
    assert [seal.event_id for seal in seals[:5]] == [event.pk for event in events]
    assert [seal.position for seal in seals] == list(range(base + 1, base + 7))
    assert all(len(seal.digest) == 64 for seal in seals)
    result = audit_chain.verify()
    assert result.intact and result.checked == base + 6


@pytest.mark.django_db
def test_the_key_matters(settings, base):
    write(2)
    audit_chain.seal_pending()
    settings.AUDIT_CHAIN_KEY = "another-key-entirely"
    result = audit_chain.verify()
    assert not result.intact and result.broken_at == 1 and result.checked == 0


@pytest.mark.django_db
def test_an_edited_row_is_found(base):
    events = write(4)
    audit_chain.seal_pending()
    tamper("UPDATE zhuao_auditevent SET summary = 'nothing happened' WHERE id = %s",
           [events[2].pk])
    result = audit_chain.verify()
    assert (result.broken_at, result.event_id, result.checked) == (base + 3, events[2].pk,
                                                                    base + 2)
    assert "changed" in result.reason
    with pytest.raises(CommandError, match=f"BROKEN at seal {base + 3}"):
        call_command("audit_verify", stdout=open("/dev/null", "w"))


@pytest.mark.django_db
def test_a_removed_row_is_found(base):
    events = write(4)
    audit_chain.seal_pending()
    tamper("DELETE FROM zhuao_auditevent WHERE id = %s", [events[1].pk])
    result = audit_chain.verify()
    assert (result.broken_at, result.event_id) == (base + 2, events[1].pk)
    assert "removed" in result.reason


@pytest.mark.django_db
def test_a_row_removed_with_its_seal_is_found(base):
    events = write(4)
    audit_chain.seal_pending()
    tamper("DELETE FROM zhuao_auditseal WHERE event_id = %s", [events[1].pk])
    tamper("DELETE FROM zhuao_auditevent WHERE id = %s", [events[1].pk])
    assert audit_chain.verify().broken_at == base + 2
    # and re-numbering the later seals to hide the gap does not help: the hashes follow
    tamper("UPDATE zhuao_auditseal SET position = position - 1 WHERE position > %s",
           [base + 2])
    result = audit_chain.verify()
    assert result.broken_at == base + 2 and result.event_id == events[2].pk


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_remove_seals_and_young_rows(base):
    events = write(1)
    audit_chain.seal_pending()
    for statement in ("UPDATE zhuao_auditseal SET digest = 'x'",
                      "DELETE FROM zhuao_auditseal",
                      "UPDATE zhuao_auditevent SET summary = 'x'",
                      "DELETE FROM zhuao_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(statement)
    # even as the archive job: a row younger than 180 days stays
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL zhuao.audit_archive = 'on'")
            cursor.execute("DELETE FROM zhuao_auditevent WHERE id = %s", [events[0].pk])
    assert AuditEvent.objects.filter(pk=events[0].pk).exists()


@pytest.mark.django_db
def test_an_old_row_leaves_only_as_the_archive_job(base):
    old = write(1, days_ago=400)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute("DELETE FROM zhuao_auditevent WHERE id = %s", [old.pk])
    assert AuditEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_archive_moves_old_rows_to_a_file_and_the_chain_stays_verifiable(
        settings, tmp_path, base):
    settings.AUDIT_RETENTION_DAYS = 365
    old = write(3, days_ago=400)
    middle = write(2, days_ago=200)  # past 180 days but inside the configured 365: they stay
    young = write(2)
    record = audit_chain.archive(folder=tmp_path)
    assert record.rows == 3 and (record.first_position, record.last_position) == (1, 3)
    assert not AuditEvent.objects.filter(pk__in=[event.pk for event in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in middle + young]).count() == 4
    assert AuditSeal.objects.order_by("position").first().position == 4
    archived = (tmp_path / record.file_name).read_bytes()
    assert hashlib.sha256(archived).hexdigest() == record.file_sha256
    lines = [json.loads(line) for line in gzip.decompress(archived).decode().splitlines()]
    assert [line["row"][0] for line in lines] == [event.pk for event in old]
    manifest = (tmp_path / f"{record.file_name}.sha256").read_text().splitlines()
    assert manifest[-1] == f"{record.file_sha256}  {record.file_name}"
    assert [line.split()[0] for line in manifest[:-1]] == [line["digest"] for line in lines]
    # the chain left in the database starts from the archive's anchor and still verifies
    write(1)
    assert audit_chain.verify().intact
    assert audit_chain.archive(folder=tmp_path) is None  # nothing more is due


@pytest.mark.django_db
def test_retention_is_never_shorter_than_180_days(settings, tmp_path, base):
    settings.AUDIT_RETENTION_DAYS = 30
    before = AuditEvent.objects.count()
    write(2, days_ago=100)
    assert audit_chain.retention_days() == 180
    assert audit_chain.archive(folder=tmp_path) is None
    assert AuditEvent.objects.count() == before + 2
    assert [error.id for error in audit_trail_settings(None)] == ["zhuao.E001"]


@pytest.mark.django_db
def test_a_broken_chain_is_not_archived(tmp_path, base):
    events = write(2, days_ago=400)
    audit_chain.seal_pending()
    tamper("UPDATE zhuao_auditevent SET summary = 'x' WHERE id = %s", [events[0].pk])
    before = AuditEvent.objects.count()
    with pytest.raises(Exception, match=f"broken at seal {base + 1}"):
        audit_chain.archive(folder=tmp_path)
    assert AuditEvent.objects.count() == before and not AuditArchive.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rows_written_and_sealed_in_parallel_are_each_sealed_once():
    """Eight threads write audit rows while two sealers run: every row gets exactly one seal,
    the positions have no gap and the chain verifies."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(index):
        try:
            for number in range(15):
                with transaction.atomic():
                    audit_record(actor=None, action="thing.view", object_type="test.thing",
                                 object_id=f"{index}-{number}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def sealer():
        try:
            while not stop.is_set():
                audit_chain.seal_pending()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    sealers = [threading.Thread(target=sealer) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(index,)) for index in range(8)]
    for thread in sealers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in sealers:
        thread.join()
    assert not errors, errors
    audit_chain.seal_pending()
    total = AuditEvent.objects.count()
    assert total >= 120
    positions = list(AuditSeal.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, total + 1))
    assert AuditSeal.objects.values("event_id").distinct().count() == total
    assert audit_chain.verify().intact


@pytest.mark.django_db
def test_verify_command_reports_an_intact_chain(base):
    write(3)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert f"intact: {base + 3} link(s)" in out.getvalue()
