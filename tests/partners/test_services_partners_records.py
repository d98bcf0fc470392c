from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from partners import services
from partners.kpis import kpi_actuals
from partners.models import EvaluationResult, ServiceRecord
from partners_factories import make_case, make_referral
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _record(users, contract, worker, today, *, username="ngo", days_ago=1, minutes=60,
            service_type="home_visit", referral=None):
    return services.service_record_create(
        actor=users[username], contract=contract, worker=worker,
        service_date=today - timedelta(days=days_ago), service_type=service_type,
        duration_minutes=minutes, outcome="良好", referral=referral)


def test_expired_registration_cannot_be_used_for_a_new_service_record(users, contracts, workers,
                                                                       today):
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        _record(users, contracts["kaifong"], workers["kaifong_expired"], today, days_ago=10)
    assert caught.value.code == "registration_expired" and caught.value.field == "worker"
    assert "何志强" in str(caught.value) and "过期" in str(caught.value)
    assert not ServiceRecord.objects.exists()


def test_expired_macau_registration_also_counts(users, contracts, workers, today):
    worker = workers["kaifong"]
    worker.macau_registration_valid_until = today - timedelta(days=1)
    worker.save(update_fields=["macau_registration_valid_until"])
    with pytest.raises(ApplicationError):
        _record(users, contracts["kaifong"], worker, today)
    assert not ServiceRecord.objects.exists()


def test_records_only_by_the_providers_staff_with_its_workers(users, contracts, workers, today):
    with pytest.raises(ApplicationError):
        _record(users, contracts["kaifong"], workers["kaifong"], today, username="ngo2")
    with pytest.raises(ApplicationError):
        _record(users, contracts["kaifong"], workers["faom"], today)
    with pytest.raises(ApplicationError):
        _record(users, contracts["kaifong"], workers["kaifong"], today, days_ago=-1)
    with pytest.raises(ApplicationError):
        _record(users, contracts["kaifong"], workers["kaifong"], today, minutes=0)
    assert not ServiceRecord.objects.exists()


def test_kpi_actuals_are_computed_from_service_records(users, contracts, workers, referrals,
                                                       today):
    contract = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"]).contract
    referral = referrals["kaifong"]
    second_case = make_case(users, "district", name="谭月英")
    second = make_referral(users, "district", second_case, contract)
    services.referral_accept(actor=users["ngo"], referral=second)
    worker = workers["kaifong"]
    _record(users, contract, worker, today, minutes=90, referral=referral)
    _record(users, contract, worker, today, minutes=60, referral=referral, days_ago=3)
    _record(users, contract, worker, today, minutes=30, service_type="counselling",
            referral=second)
    _record(users, contract, worker, today, minutes=120, service_type="group_activity",
            days_ago=50)
    # another provider's records never count
    _record(users, contracts["faom"], workers["faom"], today, username="ngo2", minutes=600)

    progress = {item.kpi.name: item for item in kpi_actuals(contract.kpis.all())}
    assert progress["服务时数"].actual == Decimal("5.00")          # 300 minutes
    assert progress["服务时数"].share == Decimal("0.5")
    assert progress["家访次数"].actual == 2                          # home visits only
    assert progress["服务人数"].actual == 2                          # distinct people
    assert progress["接收转介"].actual == 2
    assert progress["接收转介"].share == 1

    recent = {item.kpi.name: item.actual for item in
              kpi_actuals(contract.kpis.all(), start=today - timedelta(days=10), end=today)}
    assert recent["服务时数"] == Decimal("3.00")

    evaluation = services.evaluation_create(actor=users["city"], contract=contract,
                                            period_start=today - timedelta(days=10),
                                            period_end=today, score="90")
    stored = {result.kpi.name: result.actual for result in
              EvaluationResult.objects.filter(evaluation=evaluation).select_related("kpi")}
    assert stored == {"服务时数": Decimal("3.00"), "家访次数": 2, "服务人数": 2, "接收转介": 2}


def test_kpi_actuals_use_a_fixed_number_of_queries(users, contracts, workers, today,
                                                   django_assert_max_num_queries):
    contract = contracts["kaifong"]
    for index in range(12):
        _record(users, contract, workers["kaifong"], today, days_ago=index % 5)
    kpis = list(contract.kpis.all())
    with django_assert_max_num_queries(3):
        kpi_actuals(kpis)


def test_evaluation_score_must_be_0_to_100(users, contracts, today):
    with pytest.raises(ApplicationError):
        services.evaluation_create(actor=users["city"], contract=contracts["kaifong"],
                                   period_start=today, period_end=today, score="120")
