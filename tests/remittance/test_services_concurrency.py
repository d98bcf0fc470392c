"""Batches at the same moment, on PostgreSQL with real threads: two creations for the same
month (the unique constraint on (recipient, period) lets exactly one pay); a creation carrying
failed payments over while the bank's results of their batch are being recorded, and two
creations carrying the same failures (the batches' tallies stay equal to their payments)."""
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from remittance import services
from remittance.models import Batch, Payment
from remittance.selectors import batch_reconciliation
from core.errors import ApplicationError

from remittance_factories import activated, checker, result_file, row, tallied

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_batches_cannot_pay_anyone_twice(users, monkeypatch):
    activated(users["finwork"], [row(n) for n in range(1, 21)])
    both_read = threading.Barrier(2, timeout=20)
    original = services.payable_recipients

    def slow_payable(period):
        # Both transactions have read "nobody is paid for July" before either inserts.
        result = list(original(period).values_list("pk", "monthly_amount_mop",
                                                   "card_account_no").order_by("ias_case_no"))
        both_read.wait()
        return _Rows(result)

    monkeypatch.setattr(services, "payable_recipients", slow_payable)
    outcomes: list[object] = []

    def run(user):
        try:
            batch = services.batch_prepare(actor=user, period=date(2022, 7, 1),
                                           rate=Decimal("0.87"), rate_date=date(2022, 6, 30),
                                           rate_source="test")
            outcomes.append(batch.pk)
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    makers = [users["city"], checker()]  # two civil-affairs officers, each may prepare
    threads = [threading.Thread(target=run, args=(user,)) for user in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes))[-1] == "double_payment"
    assert len([o for o in outcomes if isinstance(o, int)]) == 1
    assert Batch.objects.count() == 1
    assert Payment.objects.filter(period=date(2022, 7, 1)).count() == 20


def _exported_july(users, size=5):
    """A July batch sent to the bank, its first payment recorded as failed."""
    activated(users["finwork"], [row(n) for n in range(1, size + 1)])
    july = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1),
                                  rate=Decimal("0.87"), rate_date=date(2022, 6, 30),
                                  rate_source="test")
    services.batch_approve(actor=checker(), batch=july)
    july = services.batch_export(actor=users["finwork"], batch=july)
    references = list(july.payments.order_by("reference").values_list("reference", flat=True))
    services.batch_result_import(actor=users["finwork"], batch=july, uploaded_file=result_file(
        [(references[0], "FAILED", "", "销户")], "first.csv"))
    return july, references


def _prepare(user, month):
    return services.batch_prepare(actor=user, period=date(2022, month, 1), rate=Decimal("0.88"),
                                  rate_date=date(2022, 6, 30), rate_source="test")


def _run_all(*targets) -> list:
    """Run each callable in its own thread (its own connection); their results or errors."""
    outcomes: list[object] = [None] * len(targets)

    def run(index, target):
        try:
            outcomes[index] = target()
        except Exception as error:  # noqa: BLE001 - the test reports what each thread met
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, target))
               for index, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _wait_for_a_lock_wait(timeout=20.0) -> None:
    """Until another session of this database waits on a lock. The activity view is read
    afresh each time (within a transaction, PostgreSQL keeps its first reading)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no session came to wait on the lock")


def test_a_batch_prepared_while_results_are_recorded_carries_them_and_tallies_agree(
        users, monkeypatch):
    """The maker prepares August while the bank's results for July are being recorded: the
    preparation waits for them and carries over every July failure, the one just recorded
    too; July's and August's tallies equal their payments."""
    july, references = _exported_july(users)
    holding, original = threading.Event(), services._parse_result_file

    def parse_while_holding_july(data):
        holding.set()  # July is locked by the import: hold it until August waits for it
        _wait_for_a_lock_wait()
        return original(data)

    monkeypatch.setattr(services, "_parse_result_file", parse_while_holding_july)

    def import_results():
        return services.batch_result_import(
            actor=users["finwork"], batch=july, uploaded_file=result_file(
                [(references[1], "FAILED", "", "账户冻结"),
                 *[(reference, "PAID", "", "") for reference in references[2:]]], "rest.csv"))

    def prepare_august():
        assert holding.wait(20)
        return _prepare(users["city"], 8)

    imported, august = _run_all(import_results, prepare_august)
    assert not isinstance(imported, Exception), imported
    assert isinstance(august, Batch), august
    assert august.carried_in_count == 2
    assert tallied(july, august)
    report = {line["status"]: line["count"] for line in batch_reconciliation(
        Batch.objects.get(pk=july.pk))["lines"]}
    assert report == {"pending": 0, "paid": 3, "failed": 0, "carried_over": 2}


def test_two_batches_prepared_at_once_carry_each_failure_once(users, monkeypatch):
    """August and September prepared at the same moment both find July's failure: one
    carries it, the other waits and does not; every batch's tallies equal its payments."""
    july, _references = _exported_july(users)
    both_ready, original = threading.Barrier(2, timeout=20), services._locked_batches

    def lock_together(pks):
        both_ready.wait()
        return original(pks)

    monkeypatch.setattr(services, "_locked_batches", lock_together)
    august, september = _run_all(lambda: _prepare(users["city"], 8),
                                 lambda: _prepare(checker(), 9))
    assert isinstance(august, Batch) and isinstance(september, Batch), (august, september)
    assert august.carried_in_count + september.carried_in_count == 1
    assert tallied(july, august, september)
    assert Payment.objects.filter(carried_from__isnull=False).count() == 1


class _Rows(list):
    def values_list(self, *args, **kwargs):
        return self

    def order_by(self, *args):
        return self
