"""Roster files and ready-made recipients for the remittance tests."""
from __future__ import annotations

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from remittance import services
from remittance.models import BankBranch, Batch, OnboardingStatus, Recipient
from remittance.roster_import import COLUMNS

HEADER_ZH = [chinese for _key, chinese, _label in COLUMNS]
HEADER_EN = [key for key, _chinese, _label in COLUMNS]


def macau_id(n: int, first: str = "1") -> str:
    return f"{first}{n:06d}({n % 10})"


def row(n: int, **overrides) -> dict:
    values = {
        "ias_case_no": f"IAS-{n:05d}", "name": f"陈{n}号", "macau_id": macau_id(n),
        "travel_permit_no": f"M{n:08d}", "date_of_birth": "1950-03-04", "sex": "男",
        "address": f"香洲区测试路{n}号", "district": "香洲区", "phone": "13800000000",
        "aid_type": "定期援助", "monthly_amount_mop": "3450.50", "effective_from": "2021-01-01",
    }
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict], *, header=HEADER_ZH, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(key, "") for key, _c, _l in COLUMNS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, header=HEADER_ZH) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(key, "") for key, _c, _l in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_rows(actor, rows: list[dict]):
    run = services.roster_import_preview(actor=actor, uploaded_file=upload(csv_bytes(rows)))
    assert run.error_count == 0, run.preview["errors"]
    return services.roster_import_commit(actor=actor, import_run=run)


def branch(actor, name="拱北支行", priority=True) -> BankBranch:
    existing = BankBranch.objects.filter(name=name).first()
    return existing or services.bank_branch_create(
        actor=actor, bank_name="中国银行", name=name, district="xiangzhou",
        has_priority_window=priority, priority_hours="周一至周五 9:00-12:00")


def activated(actor, rows: list[dict]) -> list[Recipient]:
    """Import ``rows`` and take every recipient to an activated card."""
    import_rows(actor, rows)
    bank = branch(actor)
    result = []
    for recipient in Recipient.objects.filter(
            ias_case_no__in=[r["ias_case_no"] for r in rows]).order_by("ias_case_no"):
        recipient = services.onboarding_card_opened(
            actor=actor, recipient=recipient, on_date=date(2022, 1, 5),
            account_no=f"6217{recipient.pk:012d}", bank_branch=bank)
        recipient = services.onboarding_activate(actor=actor, recipient=recipient,
                                                 on_date=date(2022, 1, 6))
        assert recipient.onboarding_status == OnboardingStatus.ACTIVATED
        result.append(recipient)
    return result


def checker():
    """A second city civil-affairs officer: the checker of batches the demo's ``city`` makes."""
    from remittance.demo import second_city_officer
    from core.models import Agency

    return second_city_officer({"zh-civil-affairs": Agency.objects.get(code="zh-civil-affairs")})


def tallied(*batches) -> bool:
    """Every batch's stored tallies and carried-in count equal a count of its payments."""
    return all(services.recount_tallies(Batch.objects.get(pk=batch.pk)) for batch in batches)


def result_file(rows, name="result.csv") -> SimpleUploadedFile:
    """A bank result file of ``(reference, status, bank_reference, reason)`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["payment_reference", "status", "bank_reference", "reason"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))
