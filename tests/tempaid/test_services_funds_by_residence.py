"""Which money pays (seed 二（四）): the special fund in the hardship-assistance fund is for
Macau residents; Cooperation Zone (Hengqin) residents are paid from the ordinary temporary-relief
budget. Each fund keeps its own ledger; statement and dashboard figures keep them apart."""
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

import tempaid_factories as factories
from cases.models import ResidenceStatus
from tempaid import metrics, services
from tempaid.models import EntryKind, Fund, FundKind, LedgerEntry, Status
from tempaid.selectors import fund_statement
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(users):
    budget = services.fund_create(actor=users["finance"], code="ordinary", kind=FundKind.ORDINARY,
                                  name="临时救助资金")
    services.fund_allocate(actor=users["finance"], fund=budget, amount="50000",
                           allocated_on=date(2022, 3, 1), document_reference="珠财〔2022〕9号")
    return budget


@pytest.fixture
def hengqin_case(users):
    return factories.case(users["district"], name="陈合作", residence=ResidenceStatus.HENGQIN_RESIDENT)


def _ledger_matches(fund):
    fund.refresh_from_db()
    sums = LedgerEntry.objects.filter(fund=fund).aggregate(balance=Sum("balance_delta"),
                                                           available=Sum("available_delta"))
    return (sums["balance"], sums["available"]) == (fund.balance, fund.available)


def test_a_hengqin_resident_is_paid_from_the_ordinary_budget(users, reviewer, fund, budget,
                                                            hengqin_case, make_application):
    application = make_application("2000", on_case=hengqin_case)
    approved = services.application_approve(actor=reviewer, application=application)
    assert approved.fund == budget
    paid = services.application_payment_record(actor=users["finance"], application=approved,
                                               payment_reference="GK-HQ-1")
    fund.refresh_from_db()
    budget.refresh_from_db()
    assert (fund.balance, fund.reserved) == (Decimal("100000.00"), Decimal("0.00"))
    assert (budget.balance, budget.reserved) == (Decimal("48000.00"), Decimal("0.00"))
    assert set(LedgerEntry.objects.filter(application=paid).values_list("fund", flat=True)) == {
        budget.pk}
    assert _ledger_matches(fund) and _ledger_matches(budget)
    event = AuditEvent.objects.get(action="application.approve", object_id=str(application.pk))
    assert event.changes["fund"] == "ordinary"


def test_a_macau_resident_is_paid_from_the_special_fund(users, reviewer, fund, budget,
                                                       make_application):
    approved = services.application_approve(actor=reviewer, application=make_application("700"))
    assert approved.fund == fund
    budget.refresh_from_db()
    assert budget.reserved == Decimal("0.00") and budget.available == Decimal("50000.00")


def test_a_fast_track_for_a_hengqin_resident_reserves_on_the_ordinary_budget(
        users, fund, budget, hengqin_case, make_application):
    application = make_application("800", on_case=hengqin_case, fast_track=True)
    assert application.status == Status.APPROVED and application.fund == budget
    fund.refresh_from_db()
    assert fund.reserved == Decimal("0.00")


def test_without_an_ordinary_budget_a_hengqin_grant_is_refused_and_nothing_moves(
        users, reviewer, fund, hengqin_case, make_application):
    from django.utils import translation

    application = make_application("500", on_case=hengqin_case)
    # the message is in the active language, which an earlier request may have left as another
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as error:
        services.application_approve(actor=reviewer, application=application)
    assert error.value.code == "no_fund" and "普通临时救助资金" in str(error.value)
    application.refresh_from_db()
    assert application.status == Status.DISTRICT_REVIEW and application.fund_id is None
    fund.refresh_from_db()
    assert fund.reserved == Decimal("0.00")


def test_one_fund_of_each_kind(users, fund, budget):
    with pytest.raises(ApplicationError) as error:
        services.fund_create(actor=users["finance"], code="another", name="另一个",
                             kind=FundKind.ORDINARY)
    assert "已存在" in str(error.value)
    with pytest.raises(ApplicationError):
        services.fund_create(actor=users["finance"], code="x", name="x", kind="nonsense")
    assert Fund.objects.count() == 2


def test_statements_and_figures_keep_the_funds_apart(users, reviewer, fund, budget, hengqin_case,
                                                     make_application, today):
    services.application_approve(actor=reviewer, application=make_application("300"))
    services.application_approve(actor=reviewer,
                                 application=make_application("400", on_case=hengqin_case))
    special = fund_statement(fund, date(2022, 1, 1), today)
    ordinary = fund_statement(budget, date(2022, 1, 1), today)
    assert special.totals == {EntryKind.ALLOCATION: Decimal("100000.00"),
                              EntryKind.RESERVATION: Decimal("300.00")}
    assert ordinary.totals == {EntryKind.ALLOCATION: Decimal("50000.00"),
                               EntryKind.RESERVATION: Decimal("400.00")}
    figures = metrics.figures(start=today, end=today)
    assert str(figures["fund_available_cny"]) == "99700.00"
    assert str(figures["budget_available_cny"]) == "49600.00"
    assert str(figures["amount_approved_cny"]) == "700.00"


def test_the_fund_pages_show_each_fund(users, fund, budget, client_for, today):
    client = client_for("finance")
    page = client.get("/tempaid/fund/", {"fund": budget.pk})
    assert page.status_code == 200 and "临时救助资金" in page.content.decode()
    assert f'value="{budget.pk}"' in page.content.decode()  # the statement keeps the fund
    statement = client.get("/tempaid/fund/statement/", {"fund": budget.pk, "start": "2022-01-01",
                                                         "end": today.isoformat()})
    assert statement.status_code == 200 and "¥50,000.00" in statement.content.decode()
    posted = client.post(f"/tempaid/fund/?fund={budget.pk}", {
        "allocate": "1", "allocation-amount": "1000", "allocation-allocated_on": "2022-05-01",
        "allocation-document_reference": "珠财〔2022〕30号"})
    assert posted.status_code == 302 and posted["Location"].endswith(f"?fund={budget.pk}")
    budget.refresh_from_db()
    fund.refresh_from_db()
    assert budget.balance == Decimal("51000.00") and fund.balance == Decimal("100000.00")
    assert client.get("/tempaid/fund/", {"fund": "999999"}).status_code == 404
    assert client.get("/tempaid/fund/", {"fund": "x\x00"}).status_code == 400  # NUL: refused
