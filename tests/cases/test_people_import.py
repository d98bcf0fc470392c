"""People and households import: a good file, each kind of bad row, duplicates against the
register, hostile files, encodings and header languages, the template round trip, and
nothing half-saved."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from cases import services
from cases.models import Household, HouseholdMember, IdentityDocument, Person
from cases_factories import macau_id, mainland_id, person
from core.errors import ApplicationError
from core.models import AuditEvent, SpreadsheetImportStatus

pytestmark = pytest.mark.django_db

HEADER = ["户号", "与户主关系", "中文姓名", "外文姓名", "出生日期", "性别", "证件类型", "证件号码",
          "电话", "地址"]
HEADER_EN = ["Household reference", "Relationship to the head", "Name in Chinese",
             "Name in Portuguese or English", "Date of birth", "Sex", "Identity document type",
             "Identity document number", "Phone", "Address"]
HEADER_HANT = ["戶號", "與戶主關係", "中文姓名", "外文姓名", "出生日期", "性別", "證件類別",
               "證件號碼", "電話", "地址"]


def good_rows():
    return [
        ["H1", "户主", "陈大文", "CHAN TAI MAN", "1950-05-01", "男", "澳门居民身份证", macau_id(),
         "13800000001", "香洲区示例路1号"],
        ["H1", "配偶", "李小梅", "", "1952-02-03", "女", "澳门居民身份证", macau_id(), "", ""],
        ["H2", "户主", "黄志明", "", "1980-01-01", "男", "内地居民身份证",
         mainland_id(birth="19800101"), "", ""],
    ]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, sheets_before=0):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for n in range(sheets_before):
        sheet.title = f"说明{n}"
        sheet.append(["请先阅读"])
        sheet = workbook.create_sheet("data")
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview(actor, data, name="people.csv"):
    return services.person_import_preview(
        actor=actor, uploaded_file=SimpleUploadedFile(name, data))


def errors_of(run):
    return {(error["row"], error["column"]) for error in run.preview["errors"]}


def test_good_file_preview_then_commit(users):
    run = preview(users["district"], csv_bytes(good_rows()))
    assert run.preview["errors"] == [] and run.valid_count == 3
    assert not Person.objects.filter(name_zh="陈大文").exists()  # the preview saves nothing
    services.person_import_commit(actor=users["district"], import_run=run)
    run.refresh_from_db()
    assert run.status == SpreadsheetImportStatus.COMMITTED
    assert run.summary == {"people": 3, "households": 2, "members": 1}
    head = Person.objects.get(name_zh="陈大文")
    assert head.owner_agency == users["district"].staff.agency and head.district == "xiangzhou"
    household = Household.objects.get(head=head)
    spouse = HouseholdMember.objects.get(household=household, relationship="spouse")
    assert spouse.person.name_zh == "李小梅"
    assert AuditEvent.objects.filter(action="person.create", actor_username="district").count() == 3
    assert AuditEvent.objects.filter(action="household.create").count() == 2
    assert AuditEvent.objects.filter(action="people_import.commit").exists()


@pytest.mark.parametrize("make", [
    lambda rows: (csv_bytes(rows, encoding="gb18030"), "p.csv"),
    lambda rows: (csv_bytes(rows, encoding="utf-8"), "p.csv"),
    lambda rows: (csv_bytes(rows, header=HEADER_EN), "p.csv"),
    lambda rows: (csv_bytes(rows, header=HEADER_HANT), "p.csv"),
    lambda rows: (xlsx_bytes(rows), "p.xlsx"),
    lambda rows: (xlsx_bytes(rows, sheets_before=1), "p.xlsx"),
], ids=["gb18030", "utf8-no-bom", "english", "traditional", "xlsx", "xlsx-second-sheet"])
def test_encodings_header_languages_and_sheets(users, make):
    data, name = make(good_rows())
    run = preview(users["city"], data, name)
    assert run.preview["errors"] == [] and run.valid_count == 3


def test_each_kind_of_bad_row_is_reported_and_the_rest_imported(users):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    rows = good_rows() + [
        ["H3", "户主", "错号码", "", "1960-01-01", "男", "内地居民身份证", "440402196001010000",
         "", ""],                                                     # row 5: bad ID number
        ["H9", "子女", "无户主", "", "1990-01-01", "女", "澳门居民身份证", macau_id(), "", ""],  # 6
        ["H4", "户主", "未来人", "", future, "男", "澳门居民身份证", macau_id(), "", ""],      # 7
        ["H5", "户主", "", "", "1960-01-01", "男", "澳门居民身份证", macau_id(), "", ""],       # 8
        ["H4", "子女", "跟随户主", "", "1990-01-01", "女", "澳门居民身份证", macau_id(), "", ""],  # 9
        ["H6", "户主", "=cmd|' /C calc'!A0", "", "1960-01-01", "男", "澳门居民身份证",
         macau_id(), "", ""],                                         # row 10: formula
    ]
    run = preview(users["district"], csv_bytes(rows))
    found = errors_of(run)
    assert (5, "document_number") in found
    assert (6, "household_ref") in found
    assert (7, "date_of_birth") in found
    assert (8, "name_zh") in found
    assert (9, "household_ref") in found  # its head (row 7) cannot be imported
    assert (10, "name_zh") in found
    assert run.valid_count == 3 and run.error_count == 6
    services.person_import_commit(actor=users["district"], import_run=run)
    assert not Person.objects.filter(name_zh__in=["错号码", "无户主", "未来人", "跟随户主"]).exists()
    assert Person.objects.filter(name_zh__in=["陈大文", "李小梅", "黄志明"]).count() == 3


def test_a_registered_person_is_reported_not_created_twice(users):
    number = macau_id()
    person(users["district"], name="陈大文", document_type="macau_id", number=number)
    rows = good_rows()
    rows[0][7] = number
    run = preview(users["district"], csv_bytes(rows))
    assert (2, "document_number") in errors_of(run)
    assert (3, "household_ref") in errors_of(run)  # the member follows its head
    assert run.valid_count == 1
    services.person_import_commit(actor=users["district"], import_run=run)
    assert IdentityDocument.objects.filter(document_type="macau_id").count() == 1


def test_a_possible_duplicate_is_listed_and_still_registered(users):
    person(users["district"], name="黄志明", born=__import__("datetime").date(1980, 1, 1))
    run = preview(users["district"], csv_bytes(good_rows()))
    assert [warning["row"] for warning in run.preview["warnings"]] == [4]
    assert run.valid_count == 3


def test_nothing_half_saved_when_the_register_changed_since_the_preview(users):
    rows = good_rows()
    run = preview(users["district"], csv_bytes(rows))
    # someone registers the spouse's document meanwhile
    person(users["city"], name="李小梅", document_type="macau_id", number=rows[1][7])
    before = Person.objects.count()
    with pytest.raises(ApplicationError) as caught:
        services.person_import_commit(actor=users["district"], import_run=run)
    assert caught.value.code == "stale_preview" and "3" in str(caught.value)
    assert Person.objects.count() == before and not Household.objects.exists()
    run.refresh_from_db()
    assert run.status == SpreadsheetImportStatus.PREVIEWED


def test_a_district_officer_imports_own_district_only(users):
    header = HEADER + ["所属区"]
    rows = [good_rows()[2] + ["斗门区"]]
    run = preview(users["district"], csv_bytes(rows, header=header))
    assert (2, "district") in errors_of(run)
    run = preview(users["city"], csv_bytes(rows, header=header))
    assert run.preview["errors"] == []


@pytest.mark.parametrize("data,name,code_text", [
    (b"%PDF-1.4 not a spreadsheet", "people.csv", None),
    (b"", "people.csv", None),
    ("户号,户号,中文姓名\n".encode(), "people.csv", "两次"),
    ("甲,乙\n1,2\n".encode(), "people.csv", "缺少"),
    (csv_bytes([]), "people.csv", None),
], ids=["not-a-spreadsheet", "empty", "duplicate-headers", "wrong-columns", "no-rows"])
def test_hostile_or_unusable_files_are_refused_whole(users, data, name, code_text):
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        preview(users["district"], data, name)
    assert caught.value.code == "bad_file"


def test_a_huge_file_is_refused(users, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ApplicationError) as caught:
        preview(users["district"], csv_bytes(good_rows() * 20))
    assert caught.value.code == "bad_file"


def test_a_zip_bomb_is_refused(users):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))
    with pytest.raises(ApplicationError) as caught:
        preview(users["district"], buffer.getvalue(), "people.xlsx")
    assert caught.value.code == "bad_file"


def test_an_xlsx_formula_cell_is_not_run(users):
    rows = good_rows()
    rows[2][2] = '=HYPERLINK("http://evil","黄")'
    run = preview(users["district"], xlsx_bytes(rows), "p.xlsx")
    # read through its cached value (none: openpyxl wrote it), never evaluated: the row fails
    assert (4, "name_zh") in errors_of(run)


def test_template_round_trip(users, client_for):
    from openpyxl import load_workbook

    response = client_for("district").get("/cases/people/import/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 2
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2)
    for values in good_rows():
        by_key = dict(zip(["household_ref", "relationship", "name_zh", "name_latin",
                           "date_of_birth", "sex", "document_type", "document_number", "phone",
                           "address"], values))
        from cases.people_import import COLUMNS

        sheet.append([by_key.get(column.key, "") for column in COLUMNS])
    assert header[0]
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = preview(users["district"], buffer.getvalue(), "filled.xlsx")
    assert run.preview["errors"] == [] and run.valid_count == 3


def test_pages_preview_and_confirm(users, client_for):
    client = client_for("district")
    assert client.get("/cases/people/import/").status_code == 200
    response = client.post("/cases/people/import/", {
        "file": SimpleUploadedFile("people.csv", csv_bytes(good_rows()))})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "陈大文" in page.content.decode() and macau_id.__name__  # the preview lists the rows
    assert not Person.objects.filter(name_zh="陈大文").exists()
    client.post(response["Location"], {"action": "commit"})
    assert Person.objects.filter(name_zh="陈大文").exists()
    bad = client.post("/cases/people/import/", {
        "file": SimpleUploadedFile("people.csv", b"%PDF-1.4")})
    assert bad.status_code == 400


@pytest.mark.parametrize("username", ["macau", "finance", "ngo", "leader", "admin"])
def test_other_roles_are_refused(users, client_for, username):
    client = client_for(username)
    assert client.get("/cases/people/import/").status_code in (403, 404)
    with pytest.raises(ApplicationError):
        preview(users[username], csv_bytes(good_rows()))


def test_another_agency_cannot_see_or_confirm_the_preview(users, client_for):
    run = preview(users["district"], csv_bytes(good_rows()))
    assert client_for("district2").get(f"/cases/people/import/{run.pk}/").status_code == 404
    with pytest.raises(ApplicationError):
        services.person_import_commit(actor=users["district2"], import_run=run)
    assert not Person.objects.filter(name_zh="陈大文").exists()
