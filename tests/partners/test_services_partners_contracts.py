from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from partners import services
from partners.models import Contract, ContractStatus, MilestoneStatus
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _draft(users, orgs, today, budget="1000.00"):
    return services.contract_create(actor=users["city"], title="关怀服务", provider=orgs["kaifong"],
                                    budget=budget, period_start=today - timedelta(days=10),
                                    period_end=today + timedelta(days=100))


def test_negative_budget_is_refused_with_a_clear_message_and_nothing_saved(users, orgs, today):
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        _draft(users, orgs, today, budget="-5000")
    assert caught.value.field == "budget"
    assert "负" in str(caught.value)
    assert not Contract.objects.exists()
    assert not AuditEvent.objects.filter(action="contract.create").exists()


def test_budget_is_a_decimal_in_cny(users, orgs, today):
    contract = _draft(users, orgs, today, budget="1,234,567.80")
    contract.refresh_from_db()
    assert contract.budget == Decimal("1234567.80")
    assert contract.number.startswith("GM-")


def test_lifecycle_needs_finance_check_before_city_approval(users, orgs, today):
    contract = _draft(users, orgs, today)
    services.contract_kpi_add(actor=users["city"], contract=contract, name="时数",
                              measure="service_hours", target="10")
    with pytest.raises(ApplicationError) as caught:
        services.contract_approve(actor=users["city"], contract=contract)
    assert caught.value.code == "finance_check"
    with pytest.raises(ApplicationError):  # the city may not do the finance check
        services.contract_finance_check(actor=users["city"], contract=contract)
    with pytest.raises(ApplicationError):  # finance may not approve
        services.contract_approve(actor=users["finance"], contract=contract)
    services.contract_finance_check(actor=users["finance"], contract=contract)
    services.contract_approve(actor=users["city"], contract=contract)
    services.contract_activate(actor=users["city"], contract=contract)
    services.contract_begin_closing(actor=users["city"], contract=contract)
    services.contract_close(actor=users["city"], contract=contract)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CLOSED
    actions = set(AuditEvent.objects.filter(object_id=str(contract.pk), object_type="partners.contract")
                  .values_list("action", flat=True))
    assert {"contract.finance_check", "contract.approve", "contract.activate",
            "contract.close"} <= actions


def test_approval_needs_a_kpi(users, orgs, today):
    contract = _draft(users, orgs, today)
    services.contract_finance_check(actor=users["finance"], contract=contract)
    with pytest.raises(ApplicationError) as caught:
        services.contract_approve(actor=users["city"], contract=contract)
    assert caught.value.code == "no_kpi"


def test_milestones_cannot_exceed_the_budget(users, orgs, today):
    contract = _draft(users, orgs, today, budget="1000")
    services.milestone_add(actor=users["city"], contract=contract, title="一", amount="600",
                           period_start=today - timedelta(days=10), period_end=today)
    with pytest.raises(ApplicationError):
        services.milestone_add(actor=users["city"], contract=contract, title="二", amount="500",
                               period_start=today, period_end=today + timedelta(days=5))
    with pytest.raises(ApplicationError):
        services.milestone_add(actor=users["city"], contract=contract, title="三", amount="-1",
                               period_start=today, period_end=today + timedelta(days=5))
    assert contract.milestones.count() == 1


def test_milestone_payment_released_only_after_the_evaluation_is_approved(users, contracts, today):
    contract = contracts["kaifong"]
    contract.status = ContractStatus.DRAFT
    contract.save(update_fields=["status"])
    milestone = services.milestone_add(actor=users["city"], contract=contract, title="上半年",
                                       amount="500", period_start=contract.period_start,
                                       period_end=today)
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status"])
    with pytest.raises(ApplicationError) as caught:
        services.milestone_release(actor=users["finance"], milestone=milestone)
    assert caught.value.code == "no_evaluation"
    evaluation = services.evaluation_create(actor=users["city"], contract=contract,
                                            period_start=contract.period_start, period_end=today,
                                            score="80", milestone=milestone)
    with pytest.raises(ApplicationError):  # draft evaluation is not enough
        services.milestone_release(actor=users["finance"], milestone=milestone)
    services.evaluation_approve(actor=users["city"], evaluation=evaluation)
    with pytest.raises(ApplicationError):  # only the finance bureau releases
        services.milestone_release(actor=users["city"], milestone=milestone)
    services.milestone_release(actor=users["finance"], milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.RELEASED
    with pytest.raises(ApplicationError):
        services.milestone_release(actor=users["finance"], milestone=milestone)


def test_the_budget_cannot_be_lowered_below_the_milestones(users, orgs, today):
    """The budget is the limit the milestone payments are checked against: lowering it after
    the milestones were planned would let them exceed it."""
    contract = _draft(users, orgs, today, budget="1000")
    services.milestone_add(actor=users["city"], contract=contract, title="一", amount="600",
                           period_start=today - timedelta(days=10), period_end=today)
    with pytest.raises(ApplicationError) as caught:
        services.contract_update(actor=users["city"], contract=contract, title="关怀服务",
                                 budget="500", period_start=contract.period_start,
                                 period_end=contract.period_end)
    assert caught.value.field == "budget"
    contract.refresh_from_db()
    assert contract.budget == Decimal("1000.00")
    services.contract_update(actor=users["city"], contract=contract, title="关怀服务",
                             budget="600", period_start=contract.period_start,
                             period_end=contract.period_end)
    contract.refresh_from_db()
    assert contract.budget == Decimal("600.00")
