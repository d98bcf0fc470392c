"""Reading and checking a spreadsheet of people and households (``web.imports`` reads it).

Each row is a person; rows with the same household reference form one household, whose head
is the row with the relationship 户主 (head). A row is checked on its own (required values,
dates, sex, the identity document with ``core.identity``, formula cells), then across the file
(the same document twice, a household reference without exactly one head, members of a
household whose head row has errors), then against the register: a document number already
registered (found by its blind index) is reported and not registered twice; a new person who
may be someone registered (same birth date and a similar name, ``cases.duplicates``) is
listed as a warning and still registered, and then shows on the possible-duplicates list.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.identity import DocumentType, birth_date_from, normalize_and_validate
from core.models import District
from web.imports import (
    Column,
    choice_lookup,
    date_error,
    formula_problem,
    header_key,
    parse_date,
    row_cells,
    text,
)

from .duplicates import match_many
from .models import IdentityDocument, Relationship, ResidenceStatus, Sex

#: Most data rows in one file (each row runs the registration service).
MAX_ROWS = 2000

COLUMNS: list[Column] = [
    Column("household_ref", pgettext_lazy("import column", "Household reference"), True,
           ("户号", "家庭编号", "household"),
           pgettext_lazy("import help", "Any short text; the rows with the same reference form "
                         "one household."), "H1"),
    Column("relationship", pgettext_lazy("import column", "Relationship to the head"), True,
           ("与户主关系", "關係", "relationship"),
           pgettext_lazy("import help", "户主 (head) for exactly one row per household; else "
                         "配偶, 子女, 父母, 兄弟姐妹, 孙子女, 祖父母 or 其他."), "户主"),
    Column("name_zh", pgettext_lazy("import column", "Name in Chinese"), True,
           ("姓名", "中文姓名", "name"), pgettext_lazy("import help", "At most 80 characters."),
           "陈大文"),
    Column("name_latin", pgettext_lazy("import column", "Name in Portuguese or English"), False,
           ("外文姓名", "英文姓名"), pgettext_lazy("import help", "Optional."), "CHAN TAI MAN"),
    Column("date_of_birth", pgettext_lazy("import column", "Date of birth"), True,
           ("出生日期", "birth date"), pgettext_lazy("import help", "Like 1950-05-01."),
           "1950-05-01"),
    Column("sex", pgettext_lazy("import column", "Sex"), True, ("性别", "性別"),
           pgettext_lazy("import help", "男 or 女 (M or F)."), "男"),
    Column("document_type", pgettext_lazy("import column", "Identity document type"), True,
           ("证件类型", "證件類別"),
           pgettext_lazy("import help", "内地居民身份证, 澳门居民身份证, 回乡证, 居住证 or 护照."),
           "澳门居民身份证"),
    Column("document_number", pgettext_lazy("import column", "Identity document number"), True,
           ("证件号码", "證件號碼"),
           pgettext_lazy("import help", "Checked like on the registration page."), "1234567(3)"),
    Column("residence_status", pgettext_lazy("import column", "Residence status"), False,
           ("居住身份",),
           pgettext_lazy("import help", "Optional: 澳门居民, 合作区居民, 珠海户籍 or 其他; "
                         "empty means 澳门居民 for Macau documents, else 其他."), ""),
    Column("phone", pgettext_lazy("import column", "Phone"), False, ("电话", "联系电话"),
           pgettext_lazy("import help", "Optional."), "13800000000"),
    Column("address", pgettext_lazy("import column", "Address"), False, ("地址", "住址"),
           pgettext_lazy("import help", "Optional; the household's address is its head's."),
           "珠海市香洲区拱北街道示例路1号"),
    Column("district", pgettext_lazy("import column", "District"), False, ("所属区", "区"),
           pgettext_lazy("import help", "Optional; empty means your district. A district "
                         "officer imports people of their own district only."), "香洲区"),
]
LABELS = {column.key: column for column in COLUMNS}

_SEXES = choice_lookup({Sex.MALE: ("男", "m", "male", "1"), Sex.FEMALE: ("女", "f", "female", "2")},
                       Sex.choices)
_RELATIONSHIPS = choice_lookup({
    Relationship.HEAD: ("户主", "戶主", "head"), Relationship.SPOUSE: ("配偶", "夫", "妻"),
    Relationship.CHILD: ("子女", "子", "女儿", "儿子"), Relationship.PARENT: ("父母", "父", "母"),
    Relationship.SIBLING: ("兄弟姐妹", "兄弟", "姐妹"),
    Relationship.GRANDCHILD: ("孙子女", "孫子女", "孙"), Relationship.GRANDPARENT: ("祖父母",),
    Relationship.OTHER: ("其他", "其他亲属")}, Relationship.choices)
_DOCUMENTS = choice_lookup({
    DocumentType.MAINLAND_ID: ("内地居民身份证", "居民身份证", "身份证", "内地身份证"),
    DocumentType.MACAU_ID: ("澳门居民身份证", "澳門居民身份證", "澳门身份证", "bir"),
    DocumentType.TRAVEL_PERMIT: ("回乡证", "回鄉證", "港澳居民来往内地通行证"),
    DocumentType.RESIDENCE_PERMIT: ("居住证", "居住證", "港澳台居民居住证"),
    DocumentType.PASSPORT: ("护照", "護照")}, DocumentType.choices)
_RESIDENCE = choice_lookup({
    ResidenceStatus.MACAU_RESIDENT: ("澳门居民", "澳門居民"),
    ResidenceStatus.HENGQIN_RESIDENT: ("合作区居民", "合作區居民", "横琴居民"),
    ResidenceStatus.ZHUHAI_HOUSEHOLD: ("珠海户籍", "珠海戶籍"),
    ResidenceStatus.OTHER: ("其他",)}, ResidenceStatus.choices)
_DISTRICTS = choice_lookup({
    District.XIANGZHOU: ("香洲区", "香洲"), District.DOUMEN: ("斗门区", "斗門區", "斗门"),
    District.JINWAN: ("金湾区", "金灣區", "金湾"), District.GAOXIN: ("高新区", "高新"),
    District.GAOLANGANG: ("高栏港经济区", "高栏港", "高欄港"),
    District.WANSHAN: ("万山海洋开发试验区", "万山区", "萬山", "万山")}, District.choices)
_MACAU_DOCUMENTS = (DocumentType.MACAU_ID, DocumentType.TRAVEL_PERMIT,
                    DocumentType.RESIDENCE_PERMIT)


def check_rows(positions: dict[str, int], rows: list[tuple[int, list]], *, own_district: str,
               district_fixed: bool, today: datetime.date | None = None):
    """``(clean_rows, errors)``. ``own_district``: the district used when the row gives none;
    ``district_fixed``: the officer imports people of that district only."""
    today = today or timezone.localdate()
    clean: dict[int, dict] = {}
    errors: list[dict] = []
    failed: set[int] = set()
    seen_documents: dict[tuple[str, str], int] = {}
    refs: dict[str, list[tuple[int, str]]] = {}

    def fail(number, key, message):
        errors.append({"row": number, "column": key, "message": str(message)})
        failed.add(number)

    for number, cells in rows:
        raw = row_cells(positions, COLUMNS, cells)
        texts = {key: text(value) for key, value in raw.items()}
        out = {"row": number}
        for column in COLUMNS:
            if column.required and not texts[column.key]:
                fail(number, column.key, _("This value is required."))
            elif isinstance(raw[column.key], str):
                problem = formula_problem(texts[column.key])
                if problem:
                    fail(number, column.key, problem)
        out["household_ref"] = texts["household_ref"][:40]
        out["name_zh"] = texts["name_zh"]
        if len(out["name_zh"]) > 80:
            fail(number, "name_zh", _("The name is longer than 80 characters."))
        out["name_latin"] = texts["name_latin"]
        if len(out["name_latin"]) > 120:
            fail(number, "name_latin", _("The name is longer than 120 characters."))
        out["phone"] = texts["phone"][:40]
        out["address"] = texts["address"][:200]

        for key, table, message in (
                ("sex", _SEXES, _("Write 男 or 女 (M or F).")),
                ("relationship", _RELATIONSHIPS,
                 _("Unknown relationship; write 户主, 配偶, 子女, 父母, 兄弟姐妹, 孙子女, 祖父母 or "
                   "其他.")),
                ("document_type", _DOCUMENTS,
                 _("Unknown document type; write 内地居民身份证, 澳门居民身份证, 回乡证, 居住证 or "
                   "护照.")),
                ("residence_status", _RESIDENCE,
                 _("Unknown residence status; write 澳门居民, 合作区居民, 珠海户籍 or 其他.")),
                ("district", _DISTRICTS,
                 _("Unknown district; use a Zhuhai district or functional area such as "
                   "香洲区."))):
            value = texts[key]
            out[key] = ""
            if value and not formula_problem(value):
                code = table.get(header_key(value))
                if code is None:
                    fail(number, key, message)
                else:
                    out[key] = str(code)
        if not out["district"]:
            out["district"] = own_district
        elif district_fixed and out["district"] != own_district:
            fail(number, "district", _("You import people of your own district only."))
        if not out["residence_status"] and out["document_type"]:
            out["residence_status"] = (ResidenceStatus.MACAU_RESIDENT
                                       if out["document_type"] in _MACAU_DOCUMENTS
                                       else ResidenceStatus.OTHER)

        out["date_of_birth"] = ""
        if texts["date_of_birth"]:
            try:
                birth = parse_date(raw["date_of_birth"])
            except ValueError:
                fail(number, "date_of_birth", date_error(texts["date_of_birth"]))
            else:
                if birth > today:
                    fail(number, "date_of_birth", _("The date of birth is in the future."))
                elif birth.year < 1900:
                    fail(number, "date_of_birth", _("The date %(date)s is not plausible.")
                         % {"date": birth.isoformat()})
                else:
                    out["date_of_birth"] = birth.isoformat()

        out["document_number"] = ""
        if out["document_type"] and texts["document_number"] and \
                not formula_problem(texts["document_number"]):
            try:
                canonical = normalize_and_validate(out["document_type"],
                                                   texts["document_number"], today=today)
            except ValidationError as error:
                fail(number, "document_number", " ".join(str(m) for m in error.messages))
            else:
                out["document_number"] = canonical
                encoded = birth_date_from(out["document_type"], canonical)
                if encoded is not None and out["date_of_birth"] and \
                        encoded.isoformat() != out["date_of_birth"]:
                    fail(number, "date_of_birth", _("The date of birth does not match the one "
                                                    "in the document number."))
                first = seen_documents.setdefault((out["document_type"], canonical), number)
                if first != number:
                    fail(number, "document_number", _("Duplicate row in the file: the same "
                                                      "value is in row %(row)s.")
                         % {"row": first})
        if out["household_ref"]:
            refs.setdefault(out["household_ref"], []).append((number, out["relationship"]))
        clean[number] = out

    # Households: exactly one head per reference; members follow their head.
    for ref, members in refs.items():
        heads = [number for number, relationship in members
                 if relationship == Relationship.HEAD]
        if not heads:
            for number, _relationship in members:
                fail(number, "household_ref", _(
                    "Unknown household reference “%(ref)s”: no row in this file is its head "
                    "(户主).") % {"ref": ref})
            continue
        for extra in heads[1:]:
            fail(extra, "relationship", _("Household “%(ref)s” already has a head in row "
                                          "%(row)s.") % {"ref": ref, "row": heads[0]})
        clean_by_row = {number: clean[number] for number, _r in members}
        for number in clean_by_row:
            clean[number]["head_row"] = heads[0]
    return clean, errors, failed


def match_register(clean: dict[int, dict], failed: set[int], errors: list[dict]):
    """Report rows whose document is already registered, drop the members of a household
    whose head row cannot be imported, and flag possible duplicates. Returns
    ``(rows, warnings)``: the rows to import, heads before their members."""
    candidates = [row for number, row in clean.items() if number not in failed]
    by_type: dict[str, dict[str, str]] = {}
    for row in candidates:
        by_type.setdefault(row["document_type"], {})[
            IdentityDocument.index_of(row["document_number"])] = row["document_number"]
    registered: set[tuple[str, str]] = set()
    for document_type, indexes in by_type.items():
        for index in IdentityDocument.objects.filter(
                document_type=document_type, number_index__in=list(indexes)).values_list(
                "number_index", flat=True):
            registered.add((document_type, indexes[index]))
    for row in candidates:
        if (row["document_type"], row["document_number"]) in registered:
            errors.append({"row": row["row"], "column": "document_number", "message": _(
                "A person with this document number is already registered; this row is not "
                "imported. Add them to a household on their page.")})
            failed.add(row["row"])
    for row in candidates:
        head_row = row.get("head_row")
        if row["row"] not in failed and head_row in failed and head_row != row["row"]:
            errors.append({"row": row["row"], "column": "household_ref", "message": _(
                "The head of this household (row %(row)s) cannot be imported, so this row is "
                "not imported either.") % {"row": head_row}})
            failed.add(row["row"])
    good = [row for row in candidates if row["row"] not in failed]
    good.sort(key=lambda row: (row["head_row"], row["row"] != row["head_row"], row["row"]))


    warnings = []
    hits = match_many([{"name_zh": row["name_zh"], "name_latin": row["name_latin"],
                        "sex": row["sex"], "district": row["district"],
                        "date_of_birth": datetime.date.fromisoformat(row["date_of_birth"])}
                       for row in good])
    for row, found in zip(good, hits):
        if found:
            warnings.append({"row": row["row"], "message": _(
                "May be someone already registered (same birth date, similar name); it is "
                "registered and listed among the possible duplicates to check.")})
    return good, warnings
