"""Aggregates for the pilot dashboard and report: no personal data, a fixed number of queries
(whatever the number of rows)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from core.cache import figures_source

from .kpis import KpiProgress, kpi_actuals
from .models import (
    Organisation,
    OrganisationStatus,
    Referral,
    ReferralStatus,
    ServiceRecord,
    SocialWorker,
)
from .selectors import running_contract_kpis, running_contracts

ACCEPTED = [ReferralStatus.ACCEPTED, ReferralStatus.CLOSED]
#: How many of the KPIs furthest from their target the figures keep (the dashboard's panel).
KPI_FURTHEST = 10


def kpi_rows(progress: list[KpiProgress]) -> list[dict]:
    return [{"contract": item.kpi.contract.title, "kpi": item.kpi.name,
             "target": item.kpi.target, "actual": item.actual, "share": item.share}
            for item in progress]


@figures_source
def figures(*, start: date, end: date, district: str | None = None) -> dict:
    """Partners' figures for ``start``..``end`` (dates inclusive), optionally one district.

    - organisations_total: active organisations (serving the district)
    - social_workers_active / macau_social_workers_active: active workers whose registrations
      are valid on ``end``
    - referrals_total / referrals_accepted: referrals sent in the period / of them accepted
    - service_hours: hours of service recorded in the period (Decimal, 2 places)
    - contracts_active: contracts active or closing whose period overlaps
    - kpi_total / kpi_below_target: KPIs of those contracts / of them under their target
    - kpi_furthest: the ``KPI_FURTHEST`` KPIs with the smallest share of their target, each
      {contract, kpi, target, actual in the period, share 0..1}

    Not every KPI is kept: running contracts have several each, tens of thousands at a million
    people, and the cached figures are read whole by every dashboard request. The figures page
    reads its page of KPIs (``running_contract_kpis``, ``kpi_rows``).
    """
    organisations = Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
    if district:
        organisations = organisations.filter(districts_served__contains=district)
    organisations_total = organisations.count()

    workers = SocialWorker.objects.filter(
        is_active=True, organisation__status=OrganisationStatus.ACTIVE,
        practice_valid_from__lte=end, practice_valid_until__gte=end,
    ).filter(Q(is_macau_social_worker=False) | Q(macau_registration_valid_until__gte=end))
    if district:
        workers = workers.filter(organisation__districts_served__contains=district)
    worker_counts = workers.aggregate(
        total=Count("id"), macau=Count("id", filter=Q(is_macau_social_worker=True)))

    referrals = Referral.objects.filter(sent_at__date__gte=start, sent_at__date__lte=end)
    if district:
        referrals = referrals.filter(district=district)
    referral_counts = referrals.aggregate(
        total=Count("id"), accepted=Count("id", filter=Q(status__in=ACCEPTED)))

    records = ServiceRecord.objects.filter(service_date__gte=start, service_date__lte=end)
    if district:
        records = records.filter(district=district)
    minutes = records.aggregate(total=Sum("duration_minutes"))["total"] or 0

    contracts = running_contracts(start=start, end=end, district=district)
    rows = kpi_rows(kpi_actuals(running_contract_kpis(start=start, end=end, district=district),
                                start=start, end=end, district=district))
    return {
        "organisations_total": organisations_total,
        "social_workers_active": worker_counts["total"],
        "macau_social_workers_active": worker_counts["macau"],
        "referrals_total": referral_counts["total"],
        "referrals_accepted": referral_counts["accepted"],
        "service_hours": (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01")),
        "contracts_active": contracts.count(),
        "kpi_total": len(rows),
        "kpi_below_target": sum(1 for row in rows if row["share"] < 1),
        "kpi_furthest": sorted(rows, key=lambda row: row["share"])[:KPI_FURTHEST],
    }
