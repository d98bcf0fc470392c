from datetime import timedelta
from decimal import Decimal

import pytest

from partners import services
from partners.metrics import figures
from partners_factories import make_case, make_referral

pytestmark = pytest.mark.django_db


def _records(users, referral, worker, today, count):
    for index in range(count):
        services.service_record_create(actor=users["ngo"], contract=referral.contract,
                                       worker=worker, service_date=today - timedelta(days=index % 3),
                                       service_type="home_visit", duration_minutes=30,
                                       referral=referral)


def test_figures_are_aggregates(users, referrals, workers, today):
    referral = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])
    _records(users, referral, workers["kaifong"], today, 4)
    result = figures(start=today - timedelta(days=30), end=today)
    assert result["organisations_total"] == 2
    assert result["social_workers_active"] == 3  # the expired one does not count
    assert result["macau_social_workers_active"] == 1
    assert result["referrals_total"] == 2 and result["referrals_accepted"] == 1
    assert result["service_hours"] == Decimal("2.00")
    assert result["contracts_active"] == 2
    hours = [row for row in result["kpi_furthest"] if row["kpi"] == "服务时数"]
    assert {(row["contract"], row["actual"], row["share"]) for row in hours} == {
        ("社区关怀服务", Decimal("2.00"), Decimal("0.2")), ("职工帮扶服务", Decimal("0.00"), 0)}
    assert set(result["kpi_furthest"][0]) == {"contract", "kpi", "target", "actual", "share"}
    shares = [row["share"] for row in result["kpi_furthest"]]
    assert shares == sorted(shares)
    assert result["kpi_total"] == len(result["kpi_furthest"])
    assert result["kpi_below_target"] == sum(1 for share in shares if share < 1)

    doumen = figures(start=today - timedelta(days=30), end=today, district="doumen")
    assert doumen["referrals_total"] == 1 and doumen["referrals_accepted"] == 0
    assert doumen["service_hours"] == 0


def test_figures_use_a_fixed_number_of_queries(users, referrals, workers, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    referral = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])

    def count():
        with CaptureQueriesContext(connection) as context:
            figures(start=today - timedelta(days=30), end=today)
        return len(context)

    _records(users, referral, workers["kaifong"], today, 2)
    few = count()
    _records(users, referral, workers["kaifong"], today, 20)
    for _ in range(3):
        make_referral(users, "district", make_case(users, "district"), referral.contract)
    assert count() == few <= 10


def test_figures_keep_the_kpis_furthest_from_target_not_every_kpi(users, contracts, today):
    """The cached figures are read whole by every dashboard request: with more KPIs than the
    panel shows, they keep the furthest ``KPI_FURTHEST`` and count the rest."""
    from partners.metrics import KPI_FURTHEST
    from partners.models import ContractKpi, KpiMeasure

    contract = contracts["kaifong"]
    for number in range(KPI_FURTHEST * 3):
        ContractKpi.objects.create(contract=contract, name=f"指标{number}",
                                   measure=KpiMeasure.SERVICE_SESSIONS, target=number + 1)
    result = figures(start=today - timedelta(days=30), end=today)
    total = ContractKpi.objects.filter(contract__status__in=["active", "closing"]).count()
    assert result["kpi_total"] == total > KPI_FURTHEST * 3
    assert len(result["kpi_furthest"]) == KPI_FURTHEST
    # no sessions are recorded: every KPI is below its target
    assert result["kpi_below_target"] == total
    assert all(row["share"] == 0 for row in result["kpi_furthest"])
