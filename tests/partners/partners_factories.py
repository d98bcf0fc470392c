"""Fixtures for the partners tests: two provider organisations linked to the demo NGO agencies,
their workers, an active contract each, and a sent referral each (Xiangzhou → Kaifong,
Doumen → FAOM)."""
from datetime import date, timedelta

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from partners import services
from partners.models import KpiMeasure, OrganisationKind, RegistrationPlace, ServiceType


def make_uscc(base17: str) -> str:
    return base17 + uscc.calc_check_digit(base17 + "0")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def orgs(users, agencies):
    def organisation(name, code, number):
        return services.organisation_create(
            actor=users["city"], name=name, kind=OrganisationKind.MACAU_NGO_OFFICE,
            registered_in=RegistrationPlace.MACAU, macau_registration_number=number,
            agency=agencies[code], districts_served=["xiangzhou", "doumen"])

    return {"kaifong": organisation("澳门街坊会联合总会广东办事处", "ngo-kaifong", "DSI-1"),
            "faom": organisation("澳门工会联合总会广东办事处", "ngo-faom", "DSI-2")}


@pytest.fixture
def workers(users, orgs, today):
    def worker(name, organisation, valid_until, is_macau=False):
        return services.social_worker_create(
            actor=users["city"], organisation=organisation, name=name,
            is_macau_social_worker=is_macau,
            macau_registration_number="TS-1" if is_macau else "",
            macau_registration_valid_until=today + timedelta(days=900) if is_macau else None,
            practice_registration_number=f"ZH-{name}", practice_valid_from=today - timedelta(days=400),
            practice_valid_until=valid_until)

    return {"kaifong": worker("梁嘉欣", orgs["kaifong"], today + timedelta(days=300), True),
            "kaifong_expired": worker("何志强", orgs["kaifong"], today - timedelta(days=3), True),
            "kaifong_expiring": worker("陈浩然", orgs["kaifong"], today + timedelta(days=20)),
            "faom": worker("罗家豪", orgs["faom"], today + timedelta(days=300))}


def make_active_contract(users, provider, today, *, title="社区关怀服务", budget="100000"):
    contract = services.contract_create(
        actor=users["city"], title=title, provider=provider, budget=budget,
        period_start=today - timedelta(days=100), period_end=today + timedelta(days=200))
    services.contract_kpi_add(actor=users["city"], contract=contract, name="服务时数",
                              measure=KpiMeasure.SERVICE_HOURS, target="10")
    services.contract_kpi_add(actor=users["city"], contract=contract, name="家访次数",
                              measure=KpiMeasure.SERVICE_SESSIONS, target="4",
                              service_type=ServiceType.HOME_VISIT)
    services.contract_kpi_add(actor=users["city"], contract=contract, name="服务人数",
                              measure=KpiMeasure.PEOPLE_SERVED, target="2")
    services.contract_kpi_add(actor=users["city"], contract=contract, name="接收转介",
                              measure=KpiMeasure.REFERRALS_ACCEPTED, target="2")
    services.contract_finance_check(actor=users["finance"], contract=contract)
    services.contract_approve(actor=users["city"], contract=contract)
    services.contract_activate(actor=users["city"], contract=contract)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def contracts(users, orgs, today):
    return {"kaifong": make_active_contract(users, orgs["kaifong"], today),
            "faom": make_active_contract(users, orgs["faom"], today, title="职工帮扶服务")}


_NUMBERS = iter(f"{first}{n:06d}({n % 10})" for n in range(100000, 999999)
                for first in "157")


def make_case(users, username, *, name="陈大文"):
    from cases.models import CaseCategory, ResidenceStatus, Sex
    from cases.services import case_open, person_register

    person = person_register(
        actor=users[username], name_zh=name, sex=Sex.MALE, date_of_birth=date(1950, 1, 1),
        residence_status=ResidenceStatus.MACAU_RESIDENT, document_type="macau_id",
        document_number=next(_NUMBERS), phone="13800000000", address="拱北夏湾路 1 号")
    return case_open(actor=users[username], subject=person, category=CaseCategory.OTHER,
                     summary="机密个案摘要")


def make_referral(users, username, case, contract, *, send=True, consent=True):
    referral = services.referral_create(
        actor=users[username], case=case, contract=contract, reason="需要家访",
        needs="每月两次家访", consent_given=consent,
        consent_date=timezone.localdate() if consent else None)
    if send:
        referral = services.referral_send(actor=users[username], referral=referral)
    return referral


@pytest.fixture
def referrals(users, contracts):
    xiangzhou_case = make_case(users, "district", name="区丽华")
    doumen_case = make_case(users, "district2", name="冯国强")
    return {"kaifong": make_referral(users, "district", xiangzhou_case, contracts["kaifong"]),
            "faom": make_referral(users, "district2", doumen_case, contracts["faom"])}
