"""Roster import: good files (CSV, XLSX, GB18030, English and traditional headers), a file with
every kind of bad row, re-import as a no-op, a newer file's differences, limits."""
from datetime import date, timedelta

import pytest

from cases.models import IdentityDocument, Person, ResidenceStatus, Sex
from cases.services import person_register
from remittance import services
from remittance.models import ImportRun, ImportStatus, Recipient
from core.errors import ApplicationError
from core.models import AuditEvent

from remittance_factories import HEADER_EN, csv_bytes, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

TRADITIONAL_HEADER = ["社工局個案編號", "姓名", "澳門身份證號碼", "回鄉證號碼", "出生日期", "性別",
                      "在珠居住地址", "所屬區", "聯繫電話", "援助類別", "每月援助金額（澳門元）",
                      "生效日期"]


def preview(actor, data, name="roster.csv"):
    return services.roster_import_preview(actor=actor, uploaded_file=upload(data, name))


def test_good_csv_preview_then_commit(users):
    rows = [row(n) for n in range(1, 6)]
    run = preview(users["finwork"], csv_bytes(rows))
    assert run.error_count == 0 and run.row_count == 5
    assert len(run.preview["diff"]["added"]) == 5
    assert Recipient.objects.count() == 0  # preview saves nothing
    run = services.roster_import_commit(actor=users["finwork"], import_run=run)
    assert run.status == ImportStatus.COMMITTED and run.summary["added"] == 5
    recipient = Recipient.objects.get(ias_case_no="IAS-00001")
    assert recipient.monthly_amount_mop == __import__("decimal").Decimal("3450.50")
    assert recipient.person.documents.count() == 2
    assert recipient.district == "xiangzhou"
    assert AuditEvent.objects.filter(action="person.create").count() == 5
    assert AuditEvent.objects.filter(action="roster_import.commit", actor_username="finwork").exists()
    # imported people carry the name keys the global search looks them up by
    assert "|" + recipient.person.name_traditional + "|" in recipient.person.name_keys
    assert recipient.person.name_pinyin


@pytest.mark.parametrize("make", [
    lambda rows: (csv_bytes(rows, encoding="utf-8"), "r.csv"),
    lambda rows: (csv_bytes(rows, encoding="gb18030"), "r.csv"),
    lambda rows: (csv_bytes(rows, header=HEADER_EN), "r.csv"),
    lambda rows: (csv_bytes(rows, header=TRADITIONAL_HEADER), "r.csv"),
    lambda rows: (xlsx_bytes(rows), "r.xlsx"),
], ids=["utf8-no-bom", "gb18030", "english-header", "traditional-header", "xlsx"])
def test_encodings_headers_and_formats(users, make):
    rows = [row(1), row(2, district="斗門區", aid_type="特別補助", sex="女",
                        monthly_amount_mop="１，２００.００", macau_id="5/000002/2")]
    data, name = make(rows)
    run = preview(users["city"], data, name)
    assert run.preview["errors"] == [] and run.row_count == 2
    services.roster_import_commit(actor=users["city"], import_run=run)
    second = Recipient.objects.get(ias_case_no="IAS-00002")
    assert (second.district, second.aid_type, str(second.monthly_amount_mop)) == \
        ("doumen", "special", "1200.00")
    assert second.person.documents.get(document_type="macau_id").number == "5000002(2)"


def test_xlsx_formula_is_not_evaluated_and_number_cells_are_exact(users):
    from io import BytesIO

    from openpyxl import load_workbook

    data = xlsx_bytes([row(1)])
    workbook = load_workbook(BytesIO(data))
    sheet = workbook.active
    sheet["K2"] = 3450.1  # a number cell (a float inside openpyxl) -> exactly 3450.10
    sheet["G2"] = '=HYPERLINK("http://evil.invalid","x")'  # no cached value: read as empty
    buffer = BytesIO()
    workbook.save(buffer)
    run = preview(users["finwork"], buffer.getvalue(), "r.xlsx")
    assert run.error_count == 0
    parsed = run.preview["rows"][0]
    assert parsed["monthly_amount_mop"] == "3450.10"
    assert parsed["address"] == ""  # the formula was neither evaluated nor taken as text


def test_every_kind_of_bad_row_is_reported_and_nothing_saved(users):
    existing = person_register(actor=users["district"], name_zh="李四", sex=Sex.MALE,
                               date_of_birth=date(1940, 1, 1),
                               residence_status=ResidenceStatus.MACAU_RESIDENT,
                               document_type="macau_id", document_number="7000099(9)")
    people_before = Person.objects.count()
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    rows = [
        row(1),                                                    # good
        row(2, macau_id="1234567(8"),                              # bad ID format
        row(3, macau_id="2000003(3)"),                             # bad first digit
        row(4, district="澳门半岛"),                                # unknown district
        row(5, monthly_amount_mop="-100"),                         # negative
        row(6, monthly_amount_mop="12.345"),                       # 3 decimals
        row(7, monthly_amount_mop="abc"),                          # not a number
        row(8, date_of_birth=tomorrow),                            # future
        row(9, date_of_birth="2001-02-30"),                        # not a date
        row(10, ias_case_no="IAS-00001", macau_id=__import__("remittance_factories",
            fromlist=["macau_id"]).macau_id(10)),                  # duplicate case no
        row(11, macau_id="7000099(9)", name="王五"),               # conflicting identity
        row(12, name="", sex="X"),                                 # missing name, bad sex
        row(13, macau_id="", travel_permit_no=""),                 # no document
        row(14, aid_type="低保"),                                   # unknown aid type
        row(15, travel_permit_no="X1234"),                         # bad travel permit
    ]
    run = preview(users["finwork"], csv_bytes(rows))
    errors = {(error["row"], error["column"]) for error in run.preview["errors"]}
    expected = {(3, "macau_id"), (4, "macau_id"), (5, "district"), (6, "monthly_amount_mop"),
                (7, "monthly_amount_mop"), (8, "monthly_amount_mop"), (9, "date_of_birth"),
                (10, "date_of_birth"), (11, "ias_case_no"), (12, "macau_id"), (13, "name"),
                (13, "sex"), (14, "macau_id"), (15, "aid_type"), (16, "travel_permit_no")}
    assert errors == expected
    messages = {(e["row"], e["column"]): e["message"] for e in run.preview["errors"]}
    assert "第 2 行" in messages[(11, "ias_case_no")] or "2" in messages[(11, "ias_case_no")]
    assert "身份" in messages[(12, "macau_id")]  # conflicting identity, in Chinese
    assert run.error_count == len(expected)
    with pytest.raises(ApplicationError):
        services.roster_import_commit(actor=users["finwork"], import_run=run)
    assert Recipient.objects.count() == 0 and Person.objects.count() == people_before
    assert existing.documents.count() == 1


def test_existing_person_is_found_by_macau_id_and_gets_the_travel_permit(users):
    person = person_register(actor=users["district"], name_zh="陈1号", sex=Sex.MALE,
                             date_of_birth=date(1950, 3, 4),
                             residence_status=ResidenceStatus.MACAU_RESIDENT,
                             document_type="macau_id", document_number="1000001(1)")
    run = preview(users["finwork"], csv_bytes([row(1)]))
    assert run.error_count == 0
    services.roster_import_commit(actor=users["finwork"], import_run=run)
    assert Recipient.objects.get().person == person
    assert IdentityDocument.objects.filter(person=person, document_type="travel_permit").exists()


def test_reimport_is_a_no_op_and_newer_file_reports_differences(users):
    rows = [row(n) for n in range(1, 5)]
    run = preview(users["finwork"], csv_bytes(rows))
    services.roster_import_commit(actor=users["finwork"], import_run=run)
    stamps = dict(Recipient.objects.values_list("ias_case_no", "updated_at"))
    again = preview(users["finwork"], csv_bytes(rows))
    assert again.preview["diff"] == {"added": [], "changed": [], "disappeared": [], "unchanged": 4}
    again = services.roster_import_commit(actor=users["finwork"], import_run=again)
    assert again.summary["added"] == again.summary["changed"] == 0
    assert dict(Recipient.objects.values_list("ias_case_no", "updated_at")) == stamps
    assert Person.objects.count() == 4

    newer = [row(1, monthly_amount_mop="3600"), row(2), row(3, district="金湾区"), row(5)]
    run = preview(users["finwork"], csv_bytes(newer))
    diff = run.preview["diff"]
    assert diff["added"] == ["IAS-00005"]
    assert diff["disappeared"] == ["IAS-00004"]
    assert {c["ias_case_no"]: c["fields"] for c in diff["changed"]} == {
        "IAS-00001": ["monthly_amount_mop"], "IAS-00003": ["district"]}
    services.roster_import_commit(actor=users["finwork"], import_run=run)
    assert str(Recipient.objects.get(ias_case_no="IAS-00001").monthly_amount_mop) == "3600.00"
    assert Recipient.objects.get(ias_case_no="IAS-00003").district == "jinwan"
    assert Recipient.objects.count() == 5


def test_an_import_reads_the_recipients_of_its_file_not_the_whole_roster(users):
    """At a million people the roster holds 200,000 recipients: an import reads the full rows of
    those its file names (by case number or person) and only the case numbers of the rest
    (to list those that disappeared), whatever the roster's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from remittance.models import Recipient as RecipientModel

    run = preview(users["finwork"], csv_bytes([row(n) for n in range(1, 9)]))
    services.roster_import_commit(actor=users["finwork"], import_run=run)
    table = connection.ops.quote_name(RecipientModel._meta.db_table)
    with CaptureQueriesContext(connection) as context:
        again = preview(users["finwork"], csv_bytes([row(1, monthly_amount_mop="3600"), row(2),
                                                     row(9)]))
    assert again.preview["diff"]["disappeared"] == [f"IAS-{n:05d}" for n in range(3, 9)]
    assert [change["ias_case_no"] for change in again.preview["diff"]["changed"]] == ["IAS-00001"]
    full_reads = [query["sql"] for query in context.captured_queries
                  if f"FROM {table}" in query["sql"] and '"phone"' in query["sql"]]
    assert full_reads and all(" IN (" in sql for sql in full_reads), full_reads


def test_commit_twice_and_stale_preview_refused(users):
    run = preview(users["finwork"], csv_bytes([row(1)]))
    other = preview(users["finwork"], csv_bytes([row(1)]))
    services.roster_import_commit(actor=users["finwork"], import_run=run)
    with pytest.raises(ApplicationError):
        services.roster_import_commit(actor=users["finwork"], import_run=run)
    # the other preview still matches (same person, same case): committing it changes nothing
    other = services.roster_import_commit(actor=users["finwork"], import_run=other)
    assert other.summary["added"] == 0


def test_file_limits_and_wrong_files(users, settings):
    settings.REMITTANCE_IMPORT_MAX_ROWS = 3
    with pytest.raises(ApplicationError, match="3"):
        preview(users["finwork"], csv_bytes([row(n) for n in range(1, 5)]))
    settings.REMITTANCE_IMPORT_MAX_BYTES = 100
    with pytest.raises(ApplicationError):
        preview(users["finwork"], csv_bytes([row(1)]))
    settings.REMITTANCE_IMPORT_MAX_BYTES = 10_000_000
    with pytest.raises(ApplicationError):
        preview(users["finwork"], b"%PDF-1.4 fake", "roster.csv")
    with pytest.raises(ApplicationError, match="姓名|Name"):
        preview(users["finwork"], "社工局个案编号,澳门身份证号码\nIAS-1,1000001(1)\n".encode())
    assert Recipient.objects.count() == 0


def test_only_importing_roles_may_preview(users):
    for username in ("district", "finance", "hengqin", "leader", "ngo"):
        with pytest.raises(ApplicationError):
            preview(users[username], csv_bytes([row(1)]))


def _with_part_rewritten(data: bytes, name: str, rewrite) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            target.writestr(info, rewrite(part) if info.filename == name else part)
    return buffer.getvalue()


@pytest.mark.parametrize("declaration", [
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
    b'<!doctype x [<!entity e SYSTEM "file:///etc/passwd">]>',
])
def test_a_spreadsheet_declaring_xml_entities_is_refused_with_a_message(users, declaration):
    """Issue 23, finding 7: openpyxl met the DOCTYPE while reading rows and the import was a
    500; the upload check refuses it first, and nothing is saved."""
    data = _with_part_rewritten(
        xlsx_bytes([row(1)]), "xl/worksheets/sheet1.xml",
        lambda part: (part.replace(b"?>", b"?>" + declaration, 1) if part.startswith(b"<?xml")
                      else declaration + part))
    imports_before = ImportRun.objects.count()
    with pytest.raises(ApplicationError) as refused:
        preview(users["finwork"], data, "r.xlsx")
    assert "DOCTYPE" in str(refused.value)
    assert ImportRun.objects.count() == imports_before


def test_invisible_characters_are_removed_from_imported_cells(users):
    run = preview(users["finwork"], csv_bytes([row(1, name="陈\u202e大\u200b文",
                                                      address="香洲区\u2066测试路\ufeff1号")]))
    parsed = run.preview["rows"][0]
    assert parsed["name"] == "陈大文" and parsed["address"] == "香洲区测试路1号"
