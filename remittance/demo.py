"""Demo roster: a few hundred recipients imported from a generated IAS file, onboarding in
every state, two bank branches with priority windows, appointments, and three monthly batches
with bank results (one failure carried into the next month). Idempotent."""
from __future__ import annotations

import csv
import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.roles import Role
from devtools.demo import ensure_user

from . import services
from .models import (
    AppointmentPurpose,
    AppointmentStatus,
    BankBranch,
    Batch,
    Recipient,
)
from .roster_import import COLUMNS

SURNAMES = "陈李黄梁何林吴郑罗周冯邓何叶苏卢蔡许杨曾"
GIVEN = ["嘉欣", "志明", "美玲", "伟强", "丽华", "国华", "秀英", "家豪", "惠芳", "少华", "月娥",
         "锦荣", "淑仪", "永康", "宝珠", "德明"]
DISTRICTS = ["香洲区"] * 5 + ["斗门区"] * 2 + ["金湾区"] * 2 + ["高新区", "横琴", "万山区"]
AMOUNTS = ["3450.00", "2760.00", "1810.00", "4140.50", "2070.00", "690.00"]
SIZE = 300


def roster_csv(size: int = SIZE, *, seed: int = 2022, id_base: int = 200_000) -> bytes:
    """A roster file like the one IAS sends: ``size`` people with valid Macau IDs, numbered from
    ``id_base`` + 1 (the six digits after the first must hold ``id_base + size``)."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([chinese for _key, chinese, _label in COLUMNS])
    for n in range(1, size + 1):
        first = "157"[n % 3]
        district = DISTRICTS[n % len(DISTRICTS)]
        if district == "横琴":
            district = "香洲区"
        birth = datetime.date(1935 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28))
        writer.writerow([
            f"IAS-2022-{n:05d}", rng.choice(SURNAMES) + rng.choice(GIVEN),
            f"{first}{id_base + n:06d}({n % 10})", f"M{60000000 + n:08d}", birth.isoformat(),
            "男" if n % 2 else "女", f"珠海市{district}示例路{n}号", district,
            f"138{n:08d}", "定期援助" if n % 7 else "特別補助", AMOUNTS[n % len(AMOUNTS)],
            "2021-12-01" if n % 4 else "2022-03-01"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def second_city_officer(agencies):
    """The checker of batches: a second civil-affairs officer of the city bureau (the maker is
    the demo's ``city``), as the seed's division of labour has it (二（三）)."""
    return ensure_user("city_b", agencies["zh-civil-affairs"], Role.CITY, "市民政局 赵科员")


def seed(base) -> None:
    users = base["users"]
    finwork, city, district = users["finwork"], users["city"], users["district"]
    checker = second_city_officer(base["agencies"])
    bank = base["agencies"]["bank-demo"]
    if Recipient.objects.filter(ias_case_no__startswith="IAS-2022-").exists():
        return
    run = services.roster_import_preview(actor=finwork,
                                         uploaded_file=_upload(roster_csv(SIZE), "社工局名单-2022-05.csv"))
    services.roster_import_commit(actor=finwork, import_run=run)

    branches = []
    for name, address, hours in (
            ("拱北支行", "珠海市香洲区拱北迎宾南路1号", "工作日 9:00-12:00 澳门居民专窗"),
            ("横琴分行", "珠海市横琴新区环岛东路3000号", "周一、三、五 14:00-17:00")):
        branch = BankBranch.objects.filter(name=name).first() or services.bank_branch_create(
            actor=finwork, bank_name="中国银行珠海分行", name=name, address=address,
            district="xiangzhou", phone="0756-0000000", has_priority_window=True,
            priority_hours=hours)
        branches.append(branch)
    # The demo bank user (``bank``) works for this bank: its branches name the bank's agency.
    BankBranch.objects.filter(pk__in=[branch.pk for branch in branches]).update(bank_agency=bank)
    # A second bank, whose appointments the demo bank user never sees.
    other_bank = BankBranch.objects.filter(name="湾仔支行").first() or services.bank_branch_create(
        actor=finwork, bank_name="工商银行珠海分行", name="湾仔支行",
        address="珠海市香洲区湾仔示例路8号", district="xiangzhou", phone="0756-0000001",
        has_priority_window=True, priority_hours="工作日 14:00-16:00")

    rng = random.Random(7)
    recipients = list(Recipient.objects.filter(ias_case_no__startswith="IAS-2022-")
                      .order_by("ias_case_no"))
    opened_on = datetime.date(2022, 5, 20)
    for index, recipient in enumerate(recipients):
        bucket = index % 20
        actor = district if recipient.district == "xiangzhou" else finwork
        bank = branches[index % 2]
        if bucket < 2:
            continue  # not started
        services.onboarding_schedule_visit(actor=actor, recipient=recipient,
                                           visit_date=opened_on - datetime.timedelta(days=3),
                                           officers="李专员、中国银行 张经理", bank_branch=bank)
        if bucket < 4:
            continue  # visit scheduled
        if bucket == 4:
            services.onboarding_fail(actor=actor, recipient=recipient, on_date=opened_on,
                                     reason="长期卧床，需亲属代办手续")
            continue
        if bucket == 5:
            services.onboarding_fail(actor=actor, recipient=recipient, on_date=opened_on,
                                     reason="本人不愿在内地开户", declined=True)
            continue
        recipient = services.onboarding_card_opened(
            actor=actor, recipient=recipient, on_date=opened_on,
            account_no=f"6217{850000000000 + recipient.pk:012d}", bank_branch=bank)
        if bucket == 6:
            continue  # card opened, not activated
        services.onboarding_activate(actor=actor, recipient=recipient,
                                     on_date=opened_on + datetime.timedelta(days=rng.randrange(5)))

    now = timezone.now()
    services.appointment_book(
        actor=finwork, recipient=recipients[20], branch=other_bank,
        scheduled_at=now + datetime.timedelta(days=2), purpose=AppointmentPurpose.OPEN_CARD)
    bank_user = base["users"].get("bank")
    for index, recipient in enumerate(recipients[:12]):
        appointment = services.appointment_book(
            actor=finwork, recipient=recipient, branch=branches[index % 2],
            scheduled_at=now + datetime.timedelta(days=1 + index, hours=index % 3),
            purpose=AppointmentPurpose.OPEN_CARD if index % 2 else AppointmentPurpose.ACTIVATE)
        if index < 4:
            services.appointment_record_outcome(
                actor=bank_user if index == 1 and bank_user else finwork,
                appointment=appointment,
                status=AppointmentStatus.SERVED if index % 2 else AppointmentStatus.NO_SHOW,
                outcome="已办理" if index % 2 else "")
    active_ids = [r.pk for r in recipients]
    if len(active_ids) > 10:
        services.recipient_set_status(actor=finwork, recipient=recipients[-1],
                                      status="moved_away", note="迁回澳门居住")

    if not Batch.objects.exists():
        _seed_batches(city, checker, finwork)
    # IAS hands over the next month's full roster; the recipient missing from it is suspended
    # until a civil-affairs officer reinstates them (the import run page lists them).
    full = services.roster_import_preview(
        actor=users["macau"], uploaded_file=_upload(roster_csv(SIZE - 2), "社工局名单-全量.csv"),
        is_full_roster=True)
    services.roster_import_commit(actor=users["macau"], import_run=full)


def _seed_batches(city, checker, finwork) -> None:
    today = timezone.localdate()
    months = [(today.replace(day=1) - datetime.timedelta(days=32 * back)).replace(day=1)
              for back in (3, 2, 1)]
    rates = ["0.873215", "0.869840", "0.871102"]
    for month, rate in zip(months, rates):
        batch = services.batch_prepare(actor=city, period=month, rate=services.parse_rate(rate),
                                       rate_date=month - datetime.timedelta(days=1),
                                       rate_source="中国银行澳门元现汇买入价")
        services.batch_approve(actor=checker, batch=batch)
        batch = services.batch_export(actor=finwork, batch=batch)
        lines = ["payment_reference,status,bank_reference,reason"]
        for position, reference in enumerate(batch.payments.order_by("reference")
                                             .values_list("reference", flat=True)):
            if position == 3 and month != months[-1]:
                lines.append(f"{reference},FAILED,,账户状态异常")
            else:
                lines.append(f"{reference},PAID,BOC{position:06d},")
        services.batch_result_import(actor=finwork, batch=batch, uploaded_file=_upload(
            ("\r\n".join(lines) + "\r\n").encode("utf-8"), f"{batch.number}-result.csv"))
