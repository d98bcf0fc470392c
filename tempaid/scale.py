"""Bulk data at scale for temporary relief (``manage.py seed_scale``): the policy, the special
fund (Macau residents) and the ordinary budget (Cooperation Zone residents) with their
allocations, ``applications`` applications in every state and each fund's ledger.

Invariants kept: the ledger, replayed in booking order, never takes the balance or the
available balance below zero (an allocation tops the fund up before an entry would); the sums
of the entries' deltas equal the fund's balance and available balance; reserved = approved
but unpaid; routes follow the policy's limits; the decider is not the payer."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils import timezone

from cases.models import Case
from devtools.scale import chunks, padded_id, rng

from . import services
from .models import (
    FUND_KIND_FOR_RESIDENCE, Application, EmergencyKind, EntryKind, Fund, FundAllocation,
    FundKind, LedgerEntry, PolicyVersion, Route, Status,
)

#: (status, weight): most applications are settled.
STATUSES = ([Status.CLOSED] * 30 + [Status.PAID] * 30 + [Status.APPROVED] * 5
            + [Status.REJECTED] * 8 + [Status.WITHDRAWN] * 4 + [Status.DRAFT] * 6
            + [Status.SUBMITTED] * 6 + [Status.DISTRICT_REVIEW] * 6 + [Status.CITY_REVIEW] * 5)
DESCRIPTIONS = {
    EmergencyKind.ILLNESS: "突发重病住院，医疗费用负担沉重",
    EmergencyKind.ACCIDENT: "交通意外受伤，暂时无法工作",
    EmergencyKind.DISASTER: "住所火灾，生活用品损毁",
    EmergencyKind.STRANDED: "证件遗失，滞留珠海，生活无着",
    EmergencyKind.BEREAVEMENT: "家庭主要劳动力去世，生活陷入困境",
    EmergencyKind.OTHER: "其他突发性困难",
}
#: kind -> (code, name) of the funds made when none of that kind exists.
DEFAULT_FUNDS = {FundKind.MACAU_SPECIAL: ("scale-special-fund", "澳门居民临时救助专项基金"),
                 FundKind.ORDINARY: ("scale-ordinary-budget", "临时救助资金（合作区居民）")}


def _policy(city) -> PolicyVersion:
    policy = PolicyVersion.objects.order_by("effective_from").first()
    if policy is None:
        policy = services.policy_version_create(
            actor=city, effective_from=date(2021, 12, 1), standard_amount="1000",
            note="珠海市临时救助标准：区级3倍、市级6倍、先行救助1倍")
    return policy


def generate(base, sizes, stdout) -> None:
    random = rng(21)
    users = base["users"]
    city, district_user, finance = users["city"], users["district"], users["finance"]
    now = timezone.now()
    policy = _policy(city)
    funds = {}
    for kind, (code, name) in DEFAULT_FUNDS.items():
        funds[kind] = Fund.objects.filter(kind=kind).first() or Fund.objects.create(
            code=code, name=name, kind=kind, low_balance_threshold=Decimal("20000.00"))

    cases = list(Case.objects.order_by("id").values_list("id", "subject_id", "owner_agency_id",
                                                           "district", "opened_at",
                                                           "subject__residence_status"))
    step = max(1, len(cases) // max(1, sizes.applications))
    kinds = list(EmergencyKind.values)
    applications, events = [], []  # events: (when, kind, amount, application index)
    for index in range(sizes.applications):
        case_id, person_id, agency_id, district, opened, residence = \
            cases[(index * step) % len(cases)]
        fund = funds[FUND_KIND_FOR_RESIDENCE.get(residence, FundKind.MACAU_SPECIAL)]
        status = STATUSES[index % len(STATUSES)]
        fast = index % 11 == 0
        requested = Decimal(random.choice((800, 1000, 1500, 2000, 2500, 3000, 4500, 6000, 8000)))
        if fast:
            requested = min(requested, policy.fast_track_limit)
        route = services.route_for(policy, requested, is_fast_track=fast)
        created = max(opened, now - timedelta(days=700)) + timedelta(days=random.randint(0, 20))
        created = min(created, now - timedelta(days=1))
        submitted = created + timedelta(hours=2) if status != Status.DRAFT else None
        decided = submitted + timedelta(days=random.randint(1, 10)) if status in (
            Status.APPROVED, Status.PAID, Status.CLOSED, Status.REJECTED) else None
        decided = min(decided, now) if decided else None
        paid = min(decided + timedelta(days=random.randint(1, 5)), now) if status in (
            Status.PAID, Status.CLOSED) else None
        approved = (requested if index % 4 else (requested * Decimal("0.8")).quantize(
            Decimal("0.01"))) if status in (Status.APPROVED, Status.PAID, Status.CLOSED) else None
        decider = city if route in (Route.CITY, Route.KEY_CASE) else district_user
        applications.append(Application(
            number=f"tmp-{index}", person_id=person_id, case_id=case_id, owner_agency_id=agency_id,
            district=district, kind=kinds[index % len(kinds)],
            description=DESCRIPTIONS[kinds[index % len(kinds)]],
            household_situation="三口之家，主要收入来源中断" if index % 2 else "",
            amount_requested=requested, amount_approved=approved, is_fast_track=fast,
            status=status, route=route if submitted else "", policy=policy if submitted else None,
            fund=fund if approved else None,
            district_note="情况属实，建议批准" if decided else "",
            decision_note="同意救助" if approved else "",
            rejection_reason="家庭收入超过标准" if status == Status.REJECTED else "",
            withdrawal_reason="申请人已获其他救助" if status == Status.WITHDRAWN else "",
            paperwork_due=(submitted.date() + timedelta(days=policy.fast_track_paperwork_days)
                           if fast and submitted else None),
            paperwork_completed_at=(submitted + timedelta(days=3)
                                    if fast and submitted and status == Status.CLOSED else None),
            payment_reference=f"ZF{index + 1:08d}" if paid else "",
            created_by=district_user, submitted_at=submitted,
            decided_by=decider if decided else None, decided_at=decided,
            paid_by=finance if paid else None, paid_at=paid,
            closed_at=min(paid + timedelta(days=10), now) if status == Status.CLOSED else None,
            created_at=created, updated_at=paid or decided or submitted or created))
        if approved:
            events.append((decided, EntryKind.RESERVATION, approved, index, fund))
        if paid:
            events.append((paid, EntryKind.DISBURSEMENT, approved, index, fund))
    for batch in chunks(applications):
        Application.objects.bulk_create(batch)
    Application.objects.filter(number__startswith="tmp-").update(number=Concat(
        Value("TA-"), Cast(ExtractYear("created_at"), CharField()), Value("-"),
        padded_id(), output_field=CharField()))

    # Each fund's ledger, in booking order, with allocations when the fund would run short.
    events.sort(key=lambda event: event[0])
    held = {fund.pk: [fund.balance, fund.reserved] for fund in funds.values()}
    entries, allocations = [], []
    top_up = Decimal("500000.00")

    def book(fund, kind, amount, when, application=None, allocation=None, reference=""):
        balance_sign, reserved_sign = services._EFFECTS[kind]
        money = held[fund.pk]
        money[0] += balance_sign * amount
        money[1] += reserved_sign * amount
        balance, reserved = money
        assert balance >= 0 and balance - reserved >= 0 and reserved >= 0
        entries.append(LedgerEntry(
            fund=fund, kind=kind, amount=amount, balance_delta=balance_sign * amount,
            available_delta=balance_sign * amount - reserved_sign * amount,
            balance_after=balance, available_after=balance - reserved,
            application=application, allocation=allocation, reference=reference[:120],
            booked_at=when, created_by=finance if kind != EntryKind.RESERVATION else city))

    for when, kind, amount, index, fund in events:
        balance, reserved = held[fund.pk]
        if balance - reserved - (amount if kind == EntryKind.RESERVATION else 0) < 0:
            allocation = FundAllocation(fund=fund, amount=top_up, allocated_on=when.date(),
                                        document_reference=f"珠财〔{when.year}〕{len(allocations) + 1}号",
                                        created_by=finance)
            allocations.append(allocation)
            book(fund, EntryKind.ALLOCATION, top_up, when - timedelta(minutes=1),
                 allocation=allocation, reference=allocation.document_reference)
        application = applications[index]
        book(fund, kind, amount, when, application=application,
             reference=application.payment_reference if kind == EntryKind.DISBURSEMENT else "")
    FundAllocation.objects.bulk_create(allocations)
    for entry in entries:
        if entry.allocation is not None:
            entry.allocation_id = entry.allocation.pk
        if entry.application is not None:
            entry.application_id = entry.application.pk
            entry.reference = entry.reference or f"TA-{entry.application.pk:06d}"
    for batch in chunks(entries):
        LedgerEntry.objects.bulk_create(batch)
    for fund in funds.values():
        balance, reserved = held[fund.pk]
        Fund.objects.filter(pk=fund.pk).update(balance=balance, reserved=reserved,
                                               available=balance - reserved, updated_at=now)
    stdout.write(f"    {len(applications)} applications, {len(entries)} ledger entries, "
                 f"{len(allocations)} allocations, fund balances "
                 f"{', '.join(str(money[0]) for money in held.values())}")
