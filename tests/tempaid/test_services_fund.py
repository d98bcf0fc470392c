"""The special fund: ledger entries keep the fund row in step, no overdraft (also under
concurrency on PostgreSQL), payments by a different user, low-balance alerts."""
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

import tempaid_factories as factories
from tempaid import services
from tempaid.models import Application, EntryKind, Fund, LedgerEntry, Route, Status
from tempaid.selectors import fund_statement
from devtools.demo import ensure_user
from core.errors import ApplicationError
from core.models import AuditEvent, Notification
from core.roles import Role

pytestmark = pytest.mark.django_db


def assert_ledger_matches(fund):
    fund.refresh_from_db()
    sums = LedgerEntry.objects.filter(fund=fund).aggregate(balance=Sum("balance_delta"),
                                                           available=Sum("available_delta"))
    assert sums["balance"] == fund.balance
    assert sums["available"] == fund.available
    assert fund.available == fund.balance - fund.reserved
    assert fund.balance >= 0 and fund.available >= 0


def test_the_whole_money_path(users, reviewer, fund, make_application):
    application = make_application("2000")
    services.application_approve(actor=reviewer, application=application)
    paid = services.application_payment_record(actor=users["finance"], application=application,
                                               payment_reference="GK-1")
    assert paid.status == Status.PAID and paid.paid_by == users["finance"]
    fund.refresh_from_db()
    assert (fund.balance, fund.reserved, fund.available) == (
        Decimal("98000.00"), Decimal("0.00"), Decimal("98000.00"))
    reversed_ = services.application_payment_reverse(actor=users["finance"], application=paid,
                                                     reason="银行退回")
    assert reversed_.status == Status.APPROVED
    fund.refresh_from_db()
    assert (fund.balance, fund.reserved) == (Decimal("100000.00"), Decimal("2000.00"))
    withdrawn = services.application_withdraw(actor=users["district"], application=reversed_,
                                              reason="申请人已离境")
    assert withdrawn.status == Status.WITHDRAWN
    kinds = list(LedgerEntry.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == [EntryKind.RESERVATION, EntryKind.DISBURSEMENT, EntryKind.REVERSAL,
                     EntryKind.RESERVATION, EntryKind.RELEASE]
    assert_ledger_matches(fund)
    assert fund.available == Decimal("100000.00")


def test_close_after_payment(users, reviewer, make_application):
    application = services.application_approve(actor=reviewer, application=make_application())
    with pytest.raises(ApplicationError):
        services.application_close(actor=users["district"], application=application)
    services.application_payment_record(actor=users["finance"], application=application,
                                        payment_reference="GK-2")
    closed = services.application_close(actor=users["district"], application=application)
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    with pytest.raises(ApplicationError):
        services.application_withdraw(actor=users["district"], application=closed, reason="x")


def test_approval_beyond_the_available_balance_is_refused(users, reviewer, fund,
                                                         make_application):
    with transaction.atomic():  # promise all but 2,000 elsewhere
        services._book(fund=services._lock_fund(fund), kind=EntryKind.RESERVATION,
                       amount=Decimal("98000.00"), actor=None)
    first = make_application("3000")
    with pytest.raises(ApplicationError) as error:
        services.application_approve(actor=reviewer, application=first)
    assert error.value.code == "insufficient_funds" and "¥2,000.00" in str(error.value)
    first.refresh_from_db()
    assert first.status == Status.DISTRICT_REVIEW and first.amount_approved is None
    assert not LedgerEntry.objects.filter(application=first).exists()
    services.application_approve(actor=reviewer, application=first, amount="2000")
    assert_ledger_matches(fund)
    assert fund.available == Decimal("0.00")


def test_the_database_refuses_a_negative_available_balance(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(reserved=fund.balance + 1,
                                               available=-1)


def test_ledger_entries_are_append_only(fund):
    entry = LedgerEntry.objects.get()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_payment_needs_a_different_user_from_the_approver(users, agencies, make_application):
    both = ensure_user("city_finance", agencies["zh-finance"], Role.CITY)
    both.groups.add(*[g for g in users["finance"].groups.filter(name=Role.FINANCE)])
    application = make_application("4000")
    services.application_forward(actor=users["district"], application=application)
    services.application_approve(actor=both, application=application)
    with pytest.raises(ApplicationError) as error:
        services.application_payment_record(actor=both, application=application,
                                            payment_reference="GK-3")
    assert error.value.code == "same_user"
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.paid_by is None
    assert not LedgerEntry.objects.filter(application=application,
                                          kind=EntryKind.DISBURSEMENT).exists()


def test_only_finance_records_payments(users, reviewer, make_application):
    application = services.application_approve(actor=reviewer, application=make_application())
    for username in ("city", "district", "macau"):
        with pytest.raises(ApplicationError):
            services.application_payment_record(actor=users[username], application=application,
                                                payment_reference="x")
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_low_balance_alert_goes_to_city_and_finance_once(users, reviewer, fund, make_application,
                                                         mailoutbox,
                                                         django_capture_on_commit_callbacks):
    services.fund_threshold_set(actor=users["finance"], fund=fund, low_balance_threshold="98000")
    with django_capture_on_commit_callbacks() as callbacks:
        services.application_approve(actor=reviewer, application=make_application("2500"))
    assert len(callbacks) == 1  # the alert task was enqueued after commit
    assert services.fund_low_balance_alert_send(fund_id=fund.pk) is True
    assert services.fund_low_balance_alert_send(fund_id=fund.pk) is False
    recipients = set(Notification.objects.filter(kind="tempaid.fund_low")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"city", "finance"}
    assert AuditEvent.objects.filter(action="fund.low_balance_alert").count() == 1
    # A top-up above the threshold re-arms the alert.
    services.fund_allocate(actor=users["finance"], fund=fund, amount="10000",
                           allocated_on=date.today(), document_reference="追加")
    fund.refresh_from_db()
    assert fund.low_balance_alerted_at is None


def test_low_balance_alert_task_sends_mail(users, fund, mailoutbox,
                                           django_capture_on_commit_callbacks):
    from tempaid.tasks import fund_low_balance_alert

    Fund.objects.filter(pk=fund.pk).update(low_balance_threshold=Decimal("200000"))
    with django_capture_on_commit_callbacks(execute=True):
        assert fund_low_balance_alert(fund.pk) is True
    assert {message.to[0] for message in mailoutbox} == {users["city"].email,
                                                         users["finance"].email}


def test_allocation_bad_input_saves_nothing(users, fund):
    before = LedgerEntry.objects.count()
    for raw in ("-5", "abc", "12.345", "", "0"):
        with pytest.raises(ApplicationError):
            services.fund_allocate(actor=users["finance"], fund=fund, amount=raw,
                                   allocated_on=date.today(), document_reference="x")
    with pytest.raises(ApplicationError):
        services.fund_allocate(actor=users["city"], fund=fund, amount="10",
                               allocated_on=date.today(), document_reference="x")
    assert LedgerEntry.objects.count() == before


def test_statement_opening_movements_closing(users, reviewer, fund, make_application):
    LedgerEntry.objects.filter(fund=fund).update(booked_at=timezone.now() - timedelta(days=40))
    application = services.application_approve(actor=reviewer, application=make_application("1500"))
    services.application_payment_record(actor=users["finance"], application=application,
                                        payment_reference="GK-9")
    today = timezone.localdate()
    statement = fund_statement(fund, today - timedelta(days=7), today)
    assert statement.opening_balance == Decimal("100000.00")
    assert [entry.kind for entry in statement.entries] == [EntryKind.RESERVATION,
                                                          EntryKind.DISBURSEMENT]
    assert statement.closing_balance == Decimal("98500.00")
    assert statement.closing_available == Decimal("98500.00")
    earlier = fund_statement(fund, today - timedelta(days=60), today - timedelta(days=30))
    assert earlier.opening_balance == 0 and earlier.closing_balance == Decimal("100000.00")


# --- concurrency ---------------------------------------------------------------------------

@pytest.mark.postgres
def test_fifty_concurrent_approvals_against_a_fund_for_ten(transactional_db, users, reviewer):
    policy = factories.policy(users["city"], frequency_limit=100)
    fund = factories.fund(users["finance"], amount="10000")
    case = factories.case(users["district"])
    applications = [Application.objects.create(
        number=f"TA-T-{index:04d}", person=case.subject, case=case,
        owner_agency=users["district"].staff.agency, district="xiangzhou", kind="illness",
        description="并发", amount_requested=Decimal("1000.00"), status=Status.DISTRICT_REVIEW,
        route=Route.DISTRICT, policy=policy, created_by=users["district"]) for index in range(50)]
    barrier = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(application):
        try:
            barrier.wait(timeout=30)
            services.application_approve(actor=reviewer, application=application)
            result = "ok"
        except ApplicationError as error:
            result = error.code
        except Exception as error:  # pragma: no cover - reported in the assertion
            result = f"crash: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(set(outcomes)) == ["insufficient_funds", "ok"], outcomes
    assert outcomes.count("ok") == 10 and outcomes.count("insufficient_funds") == 40
    assert Application.objects.filter(status=Status.APPROVED).count() == 10
    assert_ledger_matches(fund)
    assert fund.available == Decimal("0.00") and fund.reserved == Decimal("10000.00")
