"""KPI actuals, computed in the database from service records and referrals.

One function for contract pages, evaluations and the pilot figures: at most three queries
whatever the number of contracts, KPIs or records."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from .models import ContractKpi, KpiMeasure, Referral, ReferralStatus, ServiceRecord

SIXTY = Decimal(60)
CENT = Decimal("0.01")


@dataclass
class KpiProgress:
    kpi: ContractKpi
    actual: Decimal

    @property
    def target(self) -> Decimal:
        return self.kpi.target

    @property
    def share(self) -> Decimal:
        """Attainment 0..1 (capped at 1)."""
        if not self.kpi.target:
            return Decimal(0)
        return min(Decimal(1), self.actual / self.kpi.target).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> int:
        return int((self.share * 100).to_integral_value())


def kpi_actuals(kpis: Iterable[ContractKpi], *, start: date | None = None,
                end: date | None = None, district: str | None = None) -> list[KpiProgress]:
    kpis = list(kpis)
    if not kpis:
        return []
    contract_ids = {kpi.contract_id for kpi in kpis}
    measures = {kpi.measure for kpi in kpis}
    records = ServiceRecord.objects.filter(contract_id__in=contract_ids)
    if start:
        records = records.filter(service_date__gte=start)
    if end:
        records = records.filter(service_date__lte=end)
    if district:
        records = records.filter(district=district)

    # (contract, service type) -> minutes, sessions
    minutes: dict[tuple[int, str], int] = defaultdict(int)
    sessions: dict[tuple[int, str], int] = defaultdict(int)
    if measures & {KpiMeasure.SERVICE_HOURS, KpiMeasure.SERVICE_SESSIONS}:
        for row in (records.order_by().values("contract_id", "service_type")
                    .annotate(minutes=Sum("duration_minutes"), sessions=Count("id"))):
            key = (row["contract_id"], row["service_type"])
            minutes[key] = row["minutes"] or 0
            sessions[key] = row["sessions"]
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    if KpiMeasure.PEOPLE_SERVED in measures:
        for contract_id, service_type, person_id in (
                records.filter(referral__isnull=False).order_by()
                .values_list("contract_id", "service_type", "referral__person_id")
                .distinct()):
            people[(contract_id, service_type)].add(person_id)
    accepted: dict[int, int] = {}
    if KpiMeasure.REFERRALS_ACCEPTED in measures:
        referrals = Referral.objects.filter(
            contract_id__in=contract_ids,
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.CLOSED])
        if start:
            referrals = referrals.filter(responded_at__date__gte=start)
        if end:
            referrals = referrals.filter(responded_at__date__lte=end)
        if district:
            referrals = referrals.filter(district=district)
        accepted = dict(referrals.order_by().values("contract_id")
                        .annotate(n=Count("id")).values_list("contract_id", "n"))

    def by_contract(table):
        grouped: dict[int, list[tuple[str, object]]] = defaultdict(list)
        for (contract_id, service_type), value in table.items():
            grouped[contract_id].append((service_type, value))
        return grouped

    grouped = {id(table): by_contract(table) for table in (minutes, sessions, people)}

    def matching(table, kpi):
        """The table's values for the KPI's contract (and service type, if it names one)."""
        return [value for service_type, value in grouped[id(table)].get(kpi.contract_id, ())
                if not kpi.service_type or service_type == kpi.service_type]

    results = []
    for kpi in kpis:
        if kpi.measure == KpiMeasure.SERVICE_HOURS:
            actual = (Decimal(sum(matching(minutes, kpi))) / SIXTY).quantize(CENT)
        elif kpi.measure == KpiMeasure.SERVICE_SESSIONS:
            actual = Decimal(sum(matching(sessions, kpi)))
        elif kpi.measure == KpiMeasure.PEOPLE_SERVED:
            persons: set[int] = set()
            for group in matching(people, kpi):
                persons |= group
            actual = Decimal(len(persons))
        else:
            actual = Decimal(accepted.get(kpi.contract_id, 0))
        results.append(KpiProgress(kpi=kpi, actual=actual))
    return results
