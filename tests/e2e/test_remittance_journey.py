"""The remittance workstream in the browser: the Financial Work bureau imports the IAS roster,
a district officer schedules the home visit and records the card, the bureau prepares the
month's batch, the finance bureau approves it (a second user), exports the bank file and
imports the bank's result file."""
import csv
import io
import sys
from pathlib import Path

import pytest

from remittance.models import Batch, BatchStatus, OnboardingStatus, PaymentStatus, Recipient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "remittance"))
from remittance_factories import csv_bytes, row  # noqa: E402


def _go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _submit(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")


def test_import_onboard_batch_approve_export_results(page, live_server, login, users, agencies):
    from remittance.demo import second_city_officer
    from remittance.services import bank_branch_create

    second_city_officer(agencies)  # city_b: the civil-affairs officer who checks the batch

    bank_branch_create(actor=users["finwork"], bank_name="中国银行", name="拱北支行",
                       district="xiangzhou", has_priority_window=True, priority_hours="9:00-12:00")
    base = f"{live_server.url}/remittance"

    # 1. The Financial Work bureau imports the roster: preview, then commit.
    login(page, "finwork")
    _go(page, f"{base}/imports/")
    page.set_input_files("#id_file", files=[{
        "name": "社工局名单.csv", "mimeType": "text/csv",
        "buffer": csv_bytes([row(1, name="陈大文"), row(2, name="李美玲")])}])
    page.check("#id_roster_0")  # a partial roster: nobody missing from it is suspended
    _submit(page, "#import-form button[type=submit]")
    assert page.locator("[data-count=added]").inner_text() == "2"
    _submit(page, "#commit-import")
    assert page.locator("#import-status").inner_text() == "已导入"
    assert Recipient.objects.count() == 2
    page.context.clear_cookies()

    # 2. The Xiangzhou district officer schedules the visit, records the card, activates it.
    recipient = Recipient.objects.get(ias_case_no="IAS-00001")
    login(page, "district")
    _go(page, f"{base}/recipients/{recipient.pk}/")
    assert not page.locator("#id_visit-visit_date").is_visible()  # behind its button
    page.click("#visit-step > summary")
    page.fill("#id_visit-visit_date", "2022-06-10")
    page.fill("#id_visit-officers", "李专员、银行 张经理")
    _submit(page, "#visit-form button[type=submit]")
    assert page.locator("#card-status").inner_text() == "已预约上门"
    page.click("#card-step > summary")
    page.fill("#id_card-on_date", "2022-06-10")
    page.fill("#id_card-account_no", "6217 8500 0000 0001")
    page.select_option("#id_card-bank_branch", label="中国银行 拱北支行")
    _submit(page, "#card-form button[type=submit]")
    assert page.locator("#card-status").inner_text() == "已开卡"
    page.click("#activate-step > summary")
    page.fill("#id_activate-on_date", "2022-06-11")
    _submit(page, "#activate-form button[type=submit]")
    assert page.locator("#card-status").inner_text() == "已激活"
    recipient.refresh_from_db()
    assert recipient.onboarding_status == OnboardingStatus.ACTIVATED
    page.context.clear_cookies()

    # 3. The city civil-affairs bureau prepares July's batch (maker)...
    login(page, "city")
    _go(page, f"{base}/batches/")
    page.fill("#id_period", "2022-07")
    page.fill("#id_rate", "0.873215")
    page.fill("#id_rate_date", "2022-06-30")
    page.fill("#id_rate_source", "中国银行澳门元现汇买入价")
    _submit(page, "#prepare-form button[type=submit]")
    batch = Batch.objects.get()
    assert page.url.endswith(f"/remittance/batches/{batch.pk}/")
    assert page.locator("#approve-batch").count() == 0  # the maker cannot approve
    page.context.clear_cookies()

    # 4. ...a second civil-affairs officer approves it (checker), exports the bank file...
    login(page, "city_b")
    _go(page, f"{base}/batches/{batch.pk}/")
    _submit(page, "#approve-batch")  # the check page first
    assert page.locator("[data-check=count]").inner_text() == "1"
    assert page.locator("[data-check=no-previous]").is_visible()  # the first batch
    _submit(page, "#confirm-batch")
    assert page.locator("[data-confirmation]").first.is_visible()
    _submit(page, "#back-to-batch")
    assert page.locator("#batch-status").inner_text() == "已复核"
    with page.expect_download() as download_info:
        page.click("#export-batch")
    data = Path(download_info.value.path()).read_text(encoding="utf-8")
    lines = list(csv.reader(io.StringIO(data)))
    details = [line for line in lines if line[0] == "D"]
    assert len(details) == 1 and lines[-1][0] == "T" and lines[-1][2] == "1"
    assert details[0][5] == "3013.03"  # 3450.50 MOP × 0.873215, rounded half-up

    # 5. ...and imports the bank's result file.
    _go(page, f"{base}/batches/{batch.pk}/")
    result = io.StringIO()
    writer = csv.writer(result)
    writer.writerow(["payment_reference", "status", "bank_reference", "reason"])
    writer.writerow([details[0][1], "PAID", "BOC0001", ""])
    page.set_input_files("#result-form input[type=file]", files=[{
        "name": "回盘.csv", "mimeType": "text/csv", "buffer": result.getvalue().encode("utf-8")}])
    _submit(page, "#result-form button[type=submit]")
    assert page.locator("#batch-status").inner_text() == "已对账"
    assert page.locator("#reconciliation").inner_text() == "笔数与金额相符"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED
    assert batch.payments.get().status == PaymentStatus.PAID
    pytest.importorskip("playwright")
