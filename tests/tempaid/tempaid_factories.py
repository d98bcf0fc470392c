"""Builders for temporary-relief tests."""
from __future__ import annotations

import itertools
from datetime import date

from cases.models import CaseCategory, ResidenceStatus, Sex
from cases.services import case_open, person_register
from tempaid import services
from tempaid.models import EmergencyKind
from devtools.demo import ensure_user
from core.roles import Role

_counter = itertools.count(1)


def macau_id() -> str:
    return f"5{next(_counter) % 1000000:06d}(1)"


def person(actor, *, name="梁小明", residence=ResidenceStatus.MACAU_RESIDENT):
    return person_register(actor=actor, name_zh=name, sex=Sex.MALE, date_of_birth=date(1975, 3, 2),
                           residence_status=residence, document_type="macau_id",
                           document_number=macau_id())


def case(actor, subject=None, **kwargs):
    return case_open(actor=actor, subject=subject or person(actor, **kwargs),
                     category=CaseCategory.TEMPORARY_RELIEF)


def policy(city, *, effective_from=date(2021, 12, 1), standard="1000", **kwargs):
    return services.policy_version_create(actor=city, effective_from=effective_from,
                                          standard_amount=standard, **kwargs)


def fund(finance, *, amount="100000", threshold="0"):
    fund = services.fund_create(actor=finance, code="special", name="临时救助专项基金",
                                low_balance_threshold=threshold)
    if amount:
        services.fund_allocate(actor=finance, fund=fund, amount=amount,
                               allocated_on=date(2022, 1, 10), document_reference="珠财〔2022〕1号")
    return fund


def second_district_officer(agencies):
    return ensure_user("district_b", agencies["zh-xiangzhou"], Role.DISTRICT, "香洲区 赵专员")


def application(actor, case, *, amount="500", submit=True, review=True, fast_track=False,
                kind=EmergencyKind.ILLNESS, override=""):
    application = services.application_create(
        actor=actor, case=case, kind=kind, description="突发疾病住院", amount_requested=amount,
        household_situation="独居", is_fast_track=fast_track)
    if submit:
        application = services.application_submit(actor=actor, application=application,
                                                  frequency_override_reason=override)
        if review and application.status == "submitted":
            application = services.application_review_start(actor=actor, application=application)
    return application
