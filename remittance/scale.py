"""Bulk data at scale for the remittance roster (``manage.py seed_scale``): recipients linked to
Macau residents of the register, bank branches, card onboarding, and ``batch_months`` monthly
batches (reconciled, the last one approved) with one payment per recipient and month.

Invariants kept: CNY = ``mop_to_cny(MOP, rate)`` per payment; one live payment per (recipient,
period); batch totals are sums of their payments; maker ≠ checker."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cases.models import Person, ResidenceStatus
from core.db import bulk_insert
from core.models import District
from core.money import mop_to_cny
from devtools.scale import rng

from .demo import second_city_officer
from .services import recount_tallies
from .models import (
    AidType,
    BankBranch,
    Batch,
    BatchStatus,
    OnboardingEvent,
    OnboardingStatus,
    Payment,
    PaymentStatus,
    Recipient,
    RecipientStatus,
)

AMOUNTS = [Decimal(value) for value in ("1650.00", "2200.00", "3240.00", "3630.00", "4350.00",
                                         "5070.00", "1185.50", "2715.00")]
BANKS = [("中国银行", ["拱北支行", "吉大支行", "香洲支行", "斗门支行", "金湾支行", "横琴分行"]),
         ("工商银行", ["前山支行", "湾仔支行", "井岸支行"]),
         ("建设银行", ["拱北口岸支行", "唐家支行", "红旗支行"])]
NOT_PAYABLE = [OnboardingStatus.NOT_STARTED, OnboardingStatus.VISIT_SCHEDULED,
               OnboardingStatus.CARD_OPENED, OnboardingStatus.FAILED, OnboardingStatus.DECLINED]


def month_add(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods(count: int, today: date | None = None) -> list[date]:
    """``count`` months ending with the month before ``today``'s."""
    first = month_add((today or timezone.localdate()).replace(day=1), -count)
    return [month_add(first, n) for n in range(count)]


def generate(base, sizes, stdout) -> None:
    random = rng(11)
    users = base["users"]

    maker, checker = users["city"], second_city_officer(base["agencies"])
    card_officer = users["finwork"]
    now = timezone.now()
    months = periods(sizes.batch_months)

    districts = list(District.values)
    branches = [BankBranch(bank_name=bank, name=name, address=f"珠海市{name[:2]}路{n + 1}号",
                           district=districts[n % len(districts)], phone="0756-0000000",
                           has_priority_window=n % 2 == 0,
                           priority_hours="工作日 9:00-12:00 澳门居民专窗" if n % 2 == 0 else "")
                for bank, names in BANKS for n, name in enumerate(names)]
    BankBranch.objects.bulk_create(branches)

    extra = max(1, sizes.recipients // 20)  # 5 % not (yet) payable: onboarding or suspended
    people = list(Person.objects.filter(residence_status=ResidenceStatus.MACAU_RESIDENT)
                  .order_by("id").values_list("id", "district", "address", "phone")
                  [:sizes.recipients + extra])
    recipients = []
    for index, (person_id, district, address, phone) in enumerate(people):
        payable = index < sizes.recipients
        onboarding = (OnboardingStatus.ACTIVATED if payable
                      else NOT_PAYABLE[index % len(NOT_PAYABLE)])
        status = RecipientStatus.ACTIVE if payable or index % 3 else RecipientStatus.SUSPENDED
        has_card = onboarding in (OnboardingStatus.ACTIVATED, OnboardingStatus.CARD_OPENED)
        recipients.append(Recipient(
            person_id=person_id, ias_case_no=f"IAS-2019-{index + 1:06d}",
            aid_type=AidType.REGULAR if index % 7 else AidType.SPECIAL,
            monthly_amount_mop=AMOUNTS[index % len(AMOUNTS)],
            effective_from=month_add(months[0], -random.randint(0, 24)), district=district,
            address=address, phone=phone, status=status, onboarding_status=onboarding,
            onboarding_changed_on=months[0] - timedelta(days=random.randint(1, 300)),
            bank_branch=branches[index % len(branches)] if has_card else None,
            visit_date=months[0] - timedelta(days=random.randint(301, 400)),
            visit_officers="社工局 梁聯絡員、金融工作局 吴科员",
            card_account_no=f"6217{index + 1:012d}" if has_card else "",
            onboarding_reason="本人暂不需要" if onboarding == OnboardingStatus.DECLINED else ""))
    bulk_insert(Recipient, recipients, set_pks=True)
    events = []
    for recipient in recipients:
        if recipient.onboarding_status in (OnboardingStatus.ACTIVATED, OnboardingStatus.CARD_OPENED):
            events.append(OnboardingEvent(
                recipient=recipient, from_status=OnboardingStatus.NOT_STARTED,
                to_status=OnboardingStatus.CARD_OPENED, actor=card_officer,
                on_date=recipient.onboarding_changed_on - timedelta(days=7)))
        if recipient.onboarding_status != OnboardingStatus.NOT_STARTED:
            events.append(OnboardingEvent(
                recipient=recipient, actor=card_officer, on_date=recipient.onboarding_changed_on,
                from_status=(OnboardingStatus.CARD_OPENED
                             if recipient.onboarding_status == OnboardingStatus.ACTIVATED
                             else OnboardingStatus.NOT_STARTED),
                to_status=recipient.onboarding_status))
    bulk_insert(OnboardingEvent, events)
    stdout.write(f"    {len(recipients)} recipients ({sizes.recipients} payable), "
                 f"{len(branches)} branches")

    payable = recipients[:sizes.recipients]
    total_payments = 0
    for number, period in enumerate(months):
        last = number == len(months) - 1
        rate = Decimal("0.870000") + Decimal(random.randint(0, 9000)) / Decimal("1000000")
        prepared = timezone.make_aware(datetime.combine(period + timedelta(days=20), time(10)))
        batch = Batch.objects.create(
            number=f"tmp-{number}", period=period, rate=rate, rate_date=period + timedelta(days=19),
            rate_source="中国人民银行公布的澳门元汇率中间价",
            status=BatchStatus.APPROVED if last else BatchStatus.RECONCILED,
            prepared_by=maker, prepared_at=min(prepared, now), approved_by=checker,
            approved_at=min(prepared + timedelta(hours=3), now),
            exported_by=None if last else maker,
            exported_at=None if last else min(prepared + timedelta(days=1), now))
        batch.number = f"PB{period:%Y%m}-{batch.pk:04d}"
        payments, total_mop, total_cny = [], Decimal("0.00"), Decimal("0.00")
        settled = None if last else min(prepared + timedelta(days=5), now)
        for index, recipient in enumerate(payable):
            cny = mop_to_cny(recipient.monthly_amount_mop, rate)
            payments.append(Payment(
                batch=batch, recipient_id=recipient.pk, period=period,
                reference=f"{batch.number}-{index + 1:06d}",
                amount_mop=recipient.monthly_amount_mop, amount_cny=cny,
                account_no=recipient.card_account_no,
                status=PaymentStatus.PENDING if last else PaymentStatus.PAID,
                bank_reference="" if last else f"BK{period:%Y%m}{index + 1:07d}",
                settled_at=settled))
            total_mop += recipient.monthly_amount_mop
            total_cny += cny
        bulk_insert(Payment, payments)
        batch.payment_count, batch.total_mop, batch.total_cny = len(payments), total_mop, total_cny
        batch.save(update_fields=["number", "payment_count", "total_mop", "total_cny"])
        recount_tallies(batch)
        total_payments += len(payments)
    stdout.write(f"    {len(months)} batches, {total_payments} payments")
