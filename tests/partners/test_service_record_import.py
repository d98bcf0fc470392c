"""Service records import by a provider's staff: a good file through the service's rules, bad
rows, formulas, header languages, the template round trip, role refusals and nothing
half-saved."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners import services
from partners.models import Contract, ContractStatus, ServiceRecord
from core.errors import ApplicationError
from core.models import AuditEvent, SpreadsheetImportStatus

pytestmark = pytest.mark.django_db

HEADER = ["服务日期", "合同编号", "转介编号", "社工", "服务类型", "时长（分钟）", "备注"]
HEADER_EN = ["Service date", "Contract number", "Referral number", "Social worker",
             "Service type", "Duration (minutes)", "Notes"]
HEADER_HANT = ["服務日期", "合同編號", "轉介編號", "社工", "服務類型", "時長（分鐘）", "備註"]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def accepted(users, referrals):
    return services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])


def good_rows(contract, referral, today):
    day = (today - timedelta(days=2)).isoformat()
    return [[day, contract.number, "", "梁嘉欣", "家访", "60", "良好"],
            [day, "", referral.number, "ZH-梁嘉欣", "个案辅导", "45", ""]]


def preview(actor, data, name="records.csv"):
    return services.service_record_import_preview(
        actor=actor, uploaded_file=SimpleUploadedFile(name, data))


def test_good_file_preview_then_commit(users, contracts, workers, accepted, today):
    run = preview(users["ngo"], csv_bytes(good_rows(contracts["kaifong"], accepted, today)))
    assert run.preview["errors"] == [] and run.valid_count == 2
    assert not ServiceRecord.objects.exists()  # the trial run was rolled back
    assert not AuditEvent.objects.filter(action="servicerecord.create").exists()
    services.service_record_import_commit(actor=users["ngo"], import_run=run)
    run.refresh_from_db()
    assert run.status == SpreadsheetImportStatus.COMMITTED
    assert ServiceRecord.objects.count() == 2
    assert ServiceRecord.objects.filter(referral=accepted, duration_minutes=45).exists()
    assert AuditEvent.objects.filter(action="servicerecord.create").count() == 2


@pytest.mark.parametrize("header,encoding", [(HEADER_EN, "utf-8"), (HEADER_HANT, "utf-8-sig"),
                                             (HEADER, "gb18030")],
                         ids=["english", "traditional", "gb18030"])
def test_header_languages_and_encodings(users, contracts, workers, accepted, today, header,
                                        encoding):
    data = csv_bytes(good_rows(contracts["kaifong"], accepted, today), header, encoding)
    run = preview(users["ngo"], data)
    assert run.preview["errors"] == [] and run.valid_count == 2


def test_bad_rows_are_reported(users, contracts, workers, accepted, today):
    contract = contracts["kaifong"]
    day = (today - timedelta(days=2)).isoformat()
    future = (today + timedelta(days=2)).isoformat()
    rows = [
        [future, contract.number, "", "梁嘉欣", "家访", "60", ""],          # 2: future date
        [day, "HT-NOPE", "", "梁嘉欣", "家访", "60", ""],                  # 3: unknown contract
        [day, contract.number, "", "", "家访", "60", ""],                  # 4: missing worker
        [day, contract.number, "", "何志强", "家访", "60", ""],             # 5: expired worker
        [day, contracts["faom"].number, "", "梁嘉欣", "家访", "60", ""],    # 6: not theirs
        [day, contract.number, "", "梁嘉欣", "家访", "90", "=cmd|' /C calc'!A0"],  # 7: formula
        [day, contract.number, "", "梁嘉欣", "家访", "60", "良好"],          # 8: good
    ]
    run = preview(users["ngo"], csv_bytes(rows))
    found = {(error["row"], error["column"]) for error in run.preview["errors"]}
    assert (2, "service_date") in found
    assert (3, "contract") in found
    assert (4, "worker") in found
    assert (5, "worker") in found
    assert (6, "contract") in found
    assert (7, "outcome") in found
    assert run.valid_count == 1


def test_nothing_half_saved_when_a_row_is_refused_at_the_confirm(users, contracts, workers,
                                                                 accepted, today):
    run = preview(users["ngo"], csv_bytes(good_rows(contracts["kaifong"], accepted, today)))
    # the referral closes between the preview and the confirm: its contract is suspended
    Contract.objects.filter(pk=contracts["kaifong"].pk).update(status=ContractStatus.CLOSED)
    with pytest.raises(ApplicationError) as caught:
        services.service_record_import_commit(actor=users["ngo"], import_run=run)
    assert caught.value.code == "stale_preview"
    assert not ServiceRecord.objects.exists()


def test_not_a_spreadsheet_is_refused(users, contracts):
    with pytest.raises(ApplicationError) as caught:
        preview(users["ngo"], b"\x89PNG\r\n\x1a\nnot a table", "records.csv")
    assert caught.value.code == "bad_file"


def test_template_round_trip(users, client_for, contracts, workers, accepted, today):
    from openpyxl import load_workbook

    from partners.service_import import COLUMNS

    response = client_for("ngo").get("/partners/service-records/import/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)
    keys = ["service_date", "contract", "referral", "worker", "service_type",
            "duration_minutes", "outcome"]
    for values in good_rows(contracts["kaifong"], accepted, today):
        by_key = dict(zip(keys, values))
        sheet.append([by_key.get(column.key, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = preview(users["ngo"], buffer.getvalue(), "filled.xlsx")
    assert run.preview["errors"] == [] and run.valid_count == 2


def test_pages(users, client_for, contracts, workers, accepted, today):
    client = client_for("ngo")
    assert client.get("/partners/service-records/import/").status_code == 200
    response = client.post("/partners/service-records/import/", {"file": SimpleUploadedFile(
        "r.csv", csv_bytes(good_rows(contracts["kaifong"], accepted, today)))})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client_for("ngo2").get(response["Location"]).status_code == 404
    client.post(response["Location"], {"action": "commit"})
    assert ServiceRecord.objects.count() == 2


@pytest.mark.parametrize("username", ["city", "district", "macau", "finance", "leader"])
def test_other_roles_are_refused(users, client_for, contracts, username):
    assert client_for(username).get("/partners/service-records/import/").status_code in (403,
                                                                                          404)
    with pytest.raises(ApplicationError):
        preview(users[username], csv_bytes([]))
