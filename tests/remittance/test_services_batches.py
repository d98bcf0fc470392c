"""Batches: maker–checker, rounding, bank file, result import, carry-over of failures."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from remittance import services
from remittance.models import Batch, BatchStatus, Payment, PaymentStatus
from remittance.selectors import batch_failed_payments, batch_reconciliation
from core.errors import ApplicationError
from core.models import AuditEvent
from core.money import mop_to_cny

from remittance_factories import activated, checker, result_file, row, tallied

pytestmark = pytest.mark.django_db
JULY = date(2022, 7, 1)


@pytest.fixture
def recipients(users):
    return activated(users["finwork"], [
        row(1, monthly_amount_mop="3450.50"), row(2, monthly_amount_mop="1000.05"),
        row(3, monthly_amount_mop="2222.22", district="斗门区")])


def prepare(user, period=JULY, rate="0.873215", confirmed=False):
    return services.batch_prepare(actor=user, period=period, rate=Decimal(rate),
                                  rate_date=date(2022, 6, 30), rate_source="中国银行牌价",
                                  rate_confirmed=confirmed)


def test_prepare_rounds_each_payment_and_totals_are_sums(users, recipients):
    batch = prepare(users["city"])
    payments = list(batch.payments.order_by("reference"))
    assert [p.amount_cny for p in payments] == [
        mop_to_cny(Decimal("3450.50"), Decimal("0.873215")),
        mop_to_cny(Decimal("1000.05"), Decimal("0.873215")),
        mop_to_cny(Decimal("2222.22"), Decimal("0.873215"))]
    assert payments[0].amount_cny == Decimal("3013.03")  # 3013.028357... half-up
    assert batch.total_cny == sum(p.amount_cny for p in payments)
    assert batch.total_mop == Decimal("6672.77")
    assert batch.payment_count == 3 and batch.status == BatchStatus.PREPARED
    assert batch_reconciliation(batch)["matches"]


def test_maker_cannot_approve_and_checker_roles_are_enforced(users, recipients):
    """The seed's division of labour (二（三）): civil affairs leads the remittance and a second
    civil-affairs officer checks the batch; the Finance bureau takes no part in it."""
    batch = prepare(users["city"])
    for username in ("city", "finance", "finwork", "district", "macau", "leader"):
        with pytest.raises(ApplicationError) as refused:
            services.batch_approve(actor=users[username], batch=batch)
        assert refused.value.code in {"maker_checker", "forbidden"}
        with pytest.raises(ApplicationError):
            services.batch_reject(actor=users[username], batch=batch, reason="x")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED and batch.approved_by is None
    second = checker()
    batch = services.batch_approve(actor=second, batch=batch)
    assert batch.status == BatchStatus.APPROVED and batch.approved_by == second
    with pytest.raises(ApplicationError):
        services.batch_approve(actor=second, batch=batch)


def test_city_maker_cannot_check_own_batch_but_another_city_officer_can(users, recipients, agencies):
    from devtools.demo import ensure_user
    from core.roles import Role

    batch = prepare(users["city"])
    with pytest.raises(ApplicationError) as refused:
        services.batch_approve(actor=users["city"], batch=batch)
    assert refused.value.code == "maker_checker"
    colleague = ensure_user("city2", agencies["zh-civil-affairs"], Role.CITY)
    assert services.batch_approve(actor=colleague, batch=batch).status == BatchStatus.APPROVED


def test_database_refuses_approver_equal_to_preparer(users, recipients):
    batch = prepare(users["city"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(approved_by=users["city"])


def test_roles_that_may_not_prepare(users, recipients):
    for username in ("finance", "finwork", "district", "macau", "leader"):
        with pytest.raises(ApplicationError):
            prepare(users[username])
    assert Batch.objects.count() == 0


def test_no_recipient_paid_twice_for_a_month(users, recipients):
    prepare(users["city"])
    with pytest.raises(ApplicationError):  # nobody left for July
        prepare(users["city"])
    assert Payment.objects.filter(period=JULY).count() == 3
    first = Payment.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(batch=first.batch, recipient=first.recipient, period=JULY,
                               reference="X-1", amount_mop=Decimal("1.00"),
                               amount_cny=Decimal("0.87"), account_no="1")


def test_rejected_batch_frees_the_month(users, recipients):
    batch = prepare(users["city"])
    services.batch_reject(actor=checker(), batch=batch, reason="汇率有误")
    assert Payment.objects.count() == 0
    assert prepare(users["city"], rate="0.870000").payment_count == 3


def bank_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def export(users, batch):
    services.batch_approve(actor=checker(), batch=batch)
    batch = services.batch_export(actor=users["finwork"], batch=batch)
    with batch.export_file.open("rb") as handle:
        return batch, handle.read()


def test_bank_file_has_header_details_and_control_line(users, recipients):
    batch, data = export(users, prepare(users["city"]))
    rows = bank_rows(data)
    assert rows[0] == services.BANK_FILE_HEADER
    details = [r for r in rows if r[0] == "D"]
    control = rows[-1]
    assert len(details) == 3 and control[0] == "T"
    assert control[1] == batch.number and control[2] == "3"
    assert Decimal(control[5]) == sum(Decimal(r[5]) for r in details) == batch.total_cny
    assert Decimal(control[6]) == batch.total_mop
    assert batch.status == BatchStatus.EXPORTED
    again = services.batch_export(actor=users["city"], batch=batch)
    assert again.export_sha256 == batch.export_sha256  # the same file every time
    for username in ("finance", "district", "macau"):
        with pytest.raises(ApplicationError) as refused:
            services.batch_export(actor=users[username], batch=batch)
        assert refused.value.code == "forbidden"


def test_result_import_is_idempotent_and_failures_carry_over(users, recipients):
    batch, _data = export(users, prepare(users["city"]))
    refs = list(batch.payments.order_by("reference").values_list("reference", flat=True))
    lines = [(refs[0], "PAID", "B1", ""), (refs[1], "FAILED", "B2", "账户已冻结"),
             (refs[2], "PAID", "B3", "")]
    result, created = services.batch_result_import(actor=users["finwork"], batch=batch,
                                                   uploaded_file=result_file(lines))
    assert created and (result.paid_count, result.failed_count) == (2, 1)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED
    snapshot = list(Payment.objects.values_list("reference", "status", "settled_at"))
    again, created = services.batch_result_import(actor=users["finwork"], batch=batch,
                                                  uploaded_file=result_file(lines))
    assert not created and again.pk == result.pk
    # a different file with the same results: nothing changes either
    other, created = services.batch_result_import(actor=users["finwork"], batch=batch,
                                                  uploaded_file=result_file(lines[:2], "b.csv"))
    assert created and other.unchanged_count == 2 and other.paid_count == 0
    assert list(Payment.objects.values_list("reference", "status", "settled_at")) == snapshot
    # contradicting a recorded result refuses the whole file
    with pytest.raises(ApplicationError):
        services.batch_result_import(actor=users["finwork"], batch=batch, uploaded_file=result_file(
            [(refs[0], "FAILED", "", "x")], "c.csv"))
    assert batch_reconciliation(batch)["matches"]
    assert [payment.reference for payment in batch_failed_payments(batch)] == [refs[1]]

    august = prepare(users["city"], period=date(2022, 8, 1), rate="0.880000")
    assert august.payment_count == 4  # three for August, one carried from July
    carried = august.payments.get(carried_from__isnull=False)
    assert carried.period == JULY and carried.amount_cny == mop_to_cny(Decimal("1000.05"),
                                                                      Decimal("0.880000"))
    assert Payment.objects.get(reference=refs[1]).status == PaymentStatus.CARRIED_OVER
    assert batch_reconciliation(batch)["matches"]  # July's report still adds up
    assert batch_reconciliation(batch)["carried_in"] == 0
    assert batch_reconciliation(august)["carried_in"] == 1


def test_result_file_with_unknown_reference_is_refused(users, recipients):
    batch, _data = export(users, prepare(users["city"]))
    with pytest.raises(ApplicationError, match="NOPE"):
        services.batch_result_import(actor=users["finwork"], batch=batch,
                                     uploaded_file=result_file([("NOPE", "PAID", "", "")]))
    assert not Payment.objects.exclude(status=PaymentStatus.PENDING).exists()


def test_bad_rate_is_refused(users, recipients):
    for rate in ("0", "-1", "0.1234567", "abc"):
        with pytest.raises(ApplicationError):
            services.batch_prepare(actor=users["city"], period=JULY,
                                   rate=services.parse_rate(rate) if rate != "abc" else rate,
                                   rate_date=date(2022, 6, 30), rate_source="x")
    assert Batch.objects.count() == 0


# --- a rate far from the previous batch's needs a confirmation ---------------------------

def _paid_july(users):
    batch = prepare(users["city"])
    services.batch_approve(actor=checker(), batch=batch)
    return batch


def test_a_rate_ten_times_the_previous_is_refused_unless_confirmed(users, recipients):
    from core.models import AuditEvent, AuditOutcome

    july = _paid_july(users)
    with pytest.raises(ApplicationError) as refused:
        prepare(users["city"], period=date(2022, 8, 1), rate="8.73215")  # a slipped point
    assert refused.value.code == "rate_unconfirmed" and refused.value.field == "rate_confirmed"
    assert july.number in str(refused.value) and "0.873215" in str(refused.value)
    assert Batch.objects.count() == 1 and not Payment.objects.filter(
        period=date(2022, 8, 1)).exists()
    denied = AuditEvent.objects.get(action="batch.rate_unconfirmed")
    assert denied.outcome == AuditOutcome.DENIED and denied.actor_username == "city"
    assert denied.changes["previous_rate"] == "0.873215" and denied.changes["rate"] == "8.73215"

    august = services.batch_prepare(actor=users["city"], period=date(2022, 8, 1),
                                    rate=Decimal("8.73215"), rate_date=date(2022, 7, 29),
                                    rate_source="中国银行牌价", rate_confirmed=True)
    confirmed = AuditEvent.objects.get(action="batch.rate_confirm")
    assert confirmed.object_id == str(august.pk) and confirmed.actor_username == "city"
    assert confirmed.changes["previous_batch"] == july.number


def test_a_rate_within_ten_per_cent_needs_no_confirmation(users, recipients):
    from core.models import AuditEvent

    _paid_july(users)
    august = prepare(users["city"], period=date(2022, 8, 1), rate="0.950000")  # +8.8 %
    assert august.payment_count == 3
    assert not AuditEvent.objects.filter(action__startswith="batch.rate_").exists()
    with pytest.raises(ApplicationError):  # compared with August now: −10.5 %
        prepare(users["city"], period=date(2022, 9, 1), rate="0.850000")


def test_a_rejected_batch_is_not_the_previous_rate(users, recipients):
    _paid_july(users)
    typo = prepare(users["city"], period=date(2022, 8, 1), rate="0.083215", confirmed=True)
    services.batch_reject(actor=checker(), batch=typo, reason="汇率有误")
    with pytest.raises(ApplicationError) as refused:
        prepare(users["city"], period=date(2022, 8, 1), rate="0.083215")
    assert refused.value.code == "rate_unconfirmed"
    assert prepare(users["city"], period=date(2022, 8, 1), rate="0.870000").payment_count == 3


def lines(batch) -> dict[str, tuple[int, Decimal]]:
    return {line["status"]: (line["count"], line["cny"])
            for line in batch_reconciliation(Batch.objects.get(pk=batch.pk))["lines"]}


def test_the_tallies_follow_every_payment_through_prepare_results_carry_and_reject(
        users, recipients):
    july, _data = export(users, prepare(users["city"]))
    assert tallied(july) and lines(july)["pending"] == (3, july.total_cny)
    refs = list(july.payments.order_by("reference").values_list("reference", flat=True))
    services.batch_result_import(actor=users["finwork"], batch=july, uploaded_file=result_file(
        [(refs[0], "PAID", "B1", ""), (refs[1], "FAILED", "", "销户")]))
    failed = Payment.objects.get(reference=refs[1])
    assert tallied(july)
    assert lines(july)["failed"] == (1, failed.amount_cny)
    assert lines(july)["pending"][0] == 1  # refs[2] still awaits the bank

    august = prepare(users["city"], period=date(2022, 8, 1), rate="0.880000")
    assert tallied(july, august) and august.carried_in_count == 1
    assert lines(july)["failed"][0] == 0 and lines(july)["carried_over"] == (1, failed.amount_cny)
    services.batch_reject(actor=checker(), batch=august, reason="汇率有误")
    assert tallied(july, august)
    assert lines(july)["failed"] == (1, failed.amount_cny)
    assert not batch_reconciliation(Batch.objects.get(pk=august.pk))["matches"]  # nothing left

    again = prepare(users["city"], period=date(2022, 8, 1), rate="0.880000")
    again, _data = export(users, again)
    services.batch_result_import(actor=users["finwork"], batch=again, uploaded_file=result_file(
        [(ref, "PAID", "", "") for ref in again.payments.values_list("reference", flat=True)]))
    assert tallied(july, august, again)
    assert lines(again)["paid"] == (4, again.total_cny)
    assert batch_reconciliation(Batch.objects.get(pk=again.pk))["matches"]


def test_batch_recount_reports_and_mends_tallies_that_differ_from_the_payments(
        users, recipients):
    batch = prepare(users["city"])
    call_command("batch_recount", stdout=io.StringIO())  # all agree: exit 0
    batch.tallies.filter(status=PaymentStatus.PENDING).update(count=2)
    batch.tallies.filter(status=PaymentStatus.PAID).delete()
    assert not batch_reconciliation(batch)["matches"]
    with pytest.raises(CommandError, match=batch.number):
        call_command("batch_recount", stdout=io.StringIO())
    assert batch.tallies.count() == len(PaymentStatus.values) - 1  # reported, not written
    call_command("batch_recount", "--fix", stdout=io.StringIO())
    assert batch_reconciliation(batch)["matches"] and tallied(batch)
    assert batch.tallies.count() == len(PaymentStatus.values)
    recount = AuditEvent.objects.get(action="batch.recount", object_id=str(batch.pk))
    assert recount.changes == {  # what was stored → what the payments add up to
        "pending": f"2 / {batch.total_mop} / {batch.total_cny} → 3 / {batch.total_mop} / "
                   f"{batch.total_cny}",
        "paid": "— → 0 / 0.00 / 0.00"}
    call_command("batch_recount", stdout=io.StringIO())
