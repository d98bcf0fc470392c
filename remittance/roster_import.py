"""Reading and checking the IAS roster spreadsheet (XLSX or CSV).

Three stages, each usable on its own:

1. :func:`read_table` (``web.imports``, the toolkit every spreadsheet import shares) turns
   the bytes into a header and rows of plain values. XLSX is opened with openpyxl
   ``read_only=True, data_only=True``: formulas are never evaluated (the cached value is read)
   and macros are never run. CSV is UTF-8 (with or without BOM) or GB18030.
2. :func:`check_rows` validates every row on its own and across the file (duplicates) and
   returns normalised rows plus errors ``{"row", "column", "message"}``; ``row`` is the
   spreadsheet row number (the header is row 1), ``message`` is in the active language.
3. :func:`match_register` looks the rows up in the register and the roster with a fixed number
   of queries (chunked ``IN`` lookups), adds identity conflicts to the errors and computes what
   the file adds, changes and no longer contains.

Numeric spreadsheet cells are read through their shortest decimal text (``repr``), never used
as floats: an amount typed 3450.5 becomes ``Decimal("3450.50")`` via ``parse_amount``.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cases.duplicates import match_many
from cases.models import IdentityDocument, Sex
from core.identity import DocumentType, normalize_and_validate
from core.models import District
from core.money import parse_amount
from web.imports import FileProblem, parse_date, read_table  # noqa: F401 - used by services
from web.imports import text as _line

from .models import AidType, Recipient, RecipientStatus

# key, Chinese header (the template's), English alias, label shown in messages
COLUMNS: list[tuple[str, str, object]] = [
    ("ias_case_no", "社工局个案编号", pgettext_lazy("roster column", "IAS case number")),
    ("name", "姓名", pgettext_lazy("roster column", "Name")),
    ("macau_id", "澳门身份证号码", pgettext_lazy("roster column", "Macau ID number")),
    ("travel_permit_no", "回乡证号码", pgettext_lazy("roster column", "Travel permit number")),
    ("date_of_birth", "出生日期", pgettext_lazy("roster column", "Date of birth")),
    ("sex", "性别", pgettext_lazy("roster column", "Sex")),
    ("address", "在珠居住地址", pgettext_lazy("roster column", "Address in Zhuhai")),
    ("district", "所属区", pgettext_lazy("roster column", "District")),
    ("phone", "联系电话", pgettext_lazy("roster column", "Phone")),
    ("aid_type", "援助类别", pgettext_lazy("roster column", "Aid type")),
    ("monthly_amount_mop", "每月援助金额(澳门元)", pgettext_lazy("roster column", "Monthly amount (MOP)")),
    ("effective_from", "生效日期", pgettext_lazy("roster column", "Effective from")),
]
REQUIRED_COLUMNS = ["ias_case_no", "name", "date_of_birth", "sex", "district", "aid_type",
                    "monthly_amount_mop", "effective_from"]
#: Fields of a recipient that a newer file may change.
COMPARED_FIELDS = ["aid_type", "monthly_amount_mop", "effective_from", "district", "address",
                   "phone"]
#: The row number of the first data row (the header is row 1).
FIRST_ROW = 2

# Traditional characters that occur in the headers, mapped to their simplified forms.
_TRAD_TO_SIMP = str.maketrans("個編號碼門證鄉別屬區聯繫絡電話類額澳數", "个编号码门证乡别属区联系络电话类额澳数")
_HEADER_EXTRA = {"联络电话": "phone", "电话": "phone", "每月援助金额": "monthly_amount_mop",
                 "援助金额": "monthly_amount_mop", "地址": "address", "区": "district",
                 "身份证号码": "macau_id", "澳门居民身份证号码": "macau_id",
                 "往来内地通行证号码": "travel_permit_no", "港澳居民来往内地通行证号码":
                 "travel_permit_no"}

DISTRICT_NAMES = {
    District.XIANGZHOU: ("香洲区", "香洲"),
    District.DOUMEN: ("斗门区", "斗门"),
    District.JINWAN: ("金湾区", "金湾"),
    District.GAOXIN: ("高新区", "高新"),
    District.GAOLANGANG: ("高栏港经济区", "高栏港", "高栏港区"),
    District.WANSHAN: ("万山海洋开发试验区", "万山区", "万山"),
}
_DISTRICT_TRAD = str.maketrans("門灣區欄萬開發試驗經濟", "门湾区栏万开发试验经济")
AID_TYPE_NAMES = {
    AidType.REGULAR: ("定期援助", "regular", "定期援助金"),
    AidType.SPECIAL: ("特别补助", "特別補助", "special"),
    AidType.OTHER: ("其他", "other"),
}
SEX_NAMES = {Sex.MALE: ("男", "m", "male", "1"), Sex.FEMALE: ("女", "f", "female", "2")}


def column_label(key: str) -> str:
    for column_key, chinese, label in COLUMNS:
        if column_key == key:
            return f"{label}"
    return key


def _key(text: object) -> str:
    """Header/lookup normal form: NFKC (full-width to half-width), no whitespace, simplified
    characters, lower case."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text))
    value = "".join(value.split()).translate(_TRAD_TO_SIMP).translate(_DISTRICT_TRAD)
    return value.lower().replace("（", "(").replace("）", ")")


_HEADERS: dict[str, str] = {}
for _column_key, _chinese, _label in COLUMNS:
    _HEADERS[_key(_chinese)] = _column_key
    _HEADERS[_key(_column_key)] = _column_key
for _text, _column_key in _HEADER_EXTRA.items():
    _HEADERS[_key(_text)] = _column_key
_DISTRICTS = {_key(name): code for code, names in DISTRICT_NAMES.items() for name in names}
_DISTRICTS.update({code.value: code for code in District})
_AID_TYPES = {_key(name): code for code, names in AID_TYPE_NAMES.items() for name in names}
_SEXES = {_key(name): code for code, names in SEX_NAMES.items() for name in names}


# ------------------------------------------------------------------------------ reading
# The file is read by the shared toolkit (web.imports); the roster keeps its own header
# names (with IAS's aliases) and its own row checks.


def map_header(header: list[str]) -> dict[str, int]:
    """Column key -> index. Missing required columns or a repeated column raise FileProblem;
    unknown columns are ignored."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _HEADERS.get(_key(cell))
        if key is None:
            continue
        if key in positions:
            raise FileProblem(_("The column “%(column)s” appears twice.") % {"column": cell})
        positions[key] = index
    missing = [column_label(key) for key in REQUIRED_COLUMNS if key not in positions]
    if "macau_id" not in positions and "travel_permit_no" not in positions:
        missing.append(column_label("macau_id"))
    if missing:
        raise FileProblem(_("Columns missing from the header row: %(columns)s. Download the "
                            "template to see the expected columns.")
                          % {"columns": "、".join(missing)})
    return positions


# ----------------------------------------------------------------------------- checking

def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _choice_error(key: str, value: str) -> str:
    if key == "sex":
        return _("Write 男 or 女 (M or F).")
    if key == "district":
        return _("Unknown district “%(value)s”; use a Zhuhai district or functional area such "
                 "as 香洲区.") % {"value": value}
    return _("Unknown aid type “%(value)s”; use 定期援助, 特別補助 or 其他.") % {"value": value}


def check_rows(positions: dict[str, int], rows: list[tuple[int, list]],
               *, today: datetime.date | None = None):
    """Validate every row. Returns ``(clean_rows, errors)``; a row with any error is not in
    ``clean_rows``."""
    today = today or timezone.localdate()
    clean: list[dict] = []
    errors: list[dict] = []
    seen: dict[tuple[str, str], int] = {}

    keys = [key for key, _chinese, _label in COLUMNS]
    width_positions = [(key, positions.get(key)) for key in keys]
    for number, cells in rows:
        width = len(cells)
        raw_cells = {key: (cells[index] if index is not None and index < width else "")
                     for key, index in width_positions}
        texts = {key: _line(value) for key, value in raw_cells.items()}
        cell = raw_cells.__getitem__
        text = texts.__getitem__

        row_errors: list[tuple[str, str]] = []

        def fail(key, message):
            row_errors.append((key, str(message)))

        out = {"row": number}
        for key in ("ias_case_no", "name", "date_of_birth", "sex", "district", "aid_type",
                    "monthly_amount_mop", "effective_from"):
            if text(key) == "":
                fail(key, _("This value is required."))
        case_no = text("ias_case_no").replace(" ", "").upper()
        if case_no and (len(case_no) > 32 or not re.fullmatch(r"[A-Z0-9/\-_.]+", case_no)):
            fail("ias_case_no", _("An IAS case number has at most 32 letters, digits, “-” or "
                                  "“/”."))
        out["ias_case_no"] = case_no
        name = text("name")
        if len(name) > 80:
            fail("name", _("The name is longer than 80 characters."))
        out["name"] = name

        out["macau_id"] = out["travel_permit_no"] = ""
        for key, document_type in (("macau_id", DocumentType.MACAU_ID),
                                   ("travel_permit_no", DocumentType.TRAVEL_PERMIT)):
            raw = text(key)
            if raw:
                try:
                    out[key] = normalize_and_validate(document_type, raw, today=today)
                except ValidationError as error:
                    fail(key, _message(error))
        if not text("macau_id") and not text("travel_permit_no"):
            fail("macau_id", _("Enter the Macau ID number or the travel permit number."))

        for key in ("date_of_birth", "effective_from"):
            raw = cell(key)
            out[key] = ""
            if text(key) == "":
                continue
            try:
                value = parse_date(raw)
            except ValueError:
                fail(key, _("“%(value)s” is not a date; write it like 2021-12-31.")
                     % {"value": text(key)})
                continue
            if key == "date_of_birth" and value > today:
                fail(key, _("The date of birth is in the future."))
            elif value.year < 1900:
                fail(key, _("The date %(date)s is not plausible.") % {"date": value.isoformat()})
            elif key == "effective_from" and value.year > today.year + 1:
                fail(key, _("The date %(date)s is too far in the future.")
                     % {"date": value.isoformat()})
            out[key] = value.isoformat()

        for key, table in (("sex", _SEXES), ("district", _DISTRICTS),
                           ("aid_type", _AID_TYPES)):
            raw = text(key)
            out[key] = ""
            if raw:
                code = table.get(raw) or table.get(_key(raw))
                if code is None:
                    fail(key, _choice_error(key, raw))
                else:
                    out[key] = str(code)

        out["monthly_amount_mop"] = ""
        if text("monthly_amount_mop"):
            try:
                out["monthly_amount_mop"] = str(parse_amount(text("monthly_amount_mop")))
            except ValidationError as error:
                fail("monthly_amount_mop",
                     _("The amount must be a positive number with at most 2 decimals: %(reason)s")
                     % {"reason": _message(error)})
        out["address"] = text("address")[:200]
        out["phone"] = text("phone")[:40]

        for key in ("ias_case_no", "macau_id", "travel_permit_no"):
            if out.get(key):
                first = seen.setdefault((key, out[key]), number)
                if first != number:
                    fail(key, _("Duplicate row in the file: the same value is in row %(row)s.")
                         % {"row": first})
        if row_errors:
            errors.extend({"row": number, "column": key, "message": message}
                          for key, message in row_errors)
        else:
            clean.append(out)
    return clean, errors


# ---------------------------------------------------------------------------- matching

CHUNK = 1000


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _documents(document_type: str, numbers: list[str]) -> dict[str, tuple[int, str, str]]:
    """number -> (person_id, name, date_of_birth iso)."""
    found: dict[str, tuple[int, str, str]] = {}
    for chunk in _chunks(sorted(set(numbers))):
        by_index = {IdentityDocument.index_of(number): number for number in chunk}
        for index, person_id, name, birth in IdentityDocument.objects.filter(
                document_type=document_type, number_index__in=list(by_index)).values_list(
                "number_index", "person_id", "person__name_zh", "person__date_of_birth"):
            found[by_index[index]] = (person_id, name, birth.isoformat())
    return found


def same_name(a: str, b: str) -> bool:
    return "".join(unicodedata.normalize("NFKC", a).split()) == \
        "".join(unicodedata.normalize("NFKC", b).split())


class _RosterEntry:
    """A roster row read with ``values()`` (cheaper than model instances for 20,000 rows)."""

    __slots__ = ("pk", "person_id", "ias_case_no", "status", "aid_type", "monthly_amount_mop",
                 "effective_from", "district", "address", "phone")

    def __init__(self, values: dict):
        self.pk = values["id"]
        for field in self.__slots__[1:]:
            setattr(self, field, values[field])


def _roster_entries(field: str, values: list):
    """The recipients whose ``field`` is one of ``values``, as ``_RosterEntry``."""
    for chunk in _chunks(values):
        for row in Recipient.objects.filter(**{f"{field}__in": chunk}).values(
                "id", "person_id", "ias_case_no", "status", *COMPARED_FIELDS):
            yield _RosterEntry(row)


def recipient_values(recipient) -> dict[str, str]:
    return {"aid_type": recipient.aid_type,
            "monthly_amount_mop": str(recipient.monthly_amount_mop),
            "effective_from": recipient.effective_from.isoformat(),
            "district": recipient.district, "address": recipient.address,
            "phone": recipient.phone}


def match_register(rows: list[dict], *, flagged: list[dict] | None = None,
                   ) -> tuple[list[dict], list[dict], dict]:
    """Find each row's person (by Macau ID, else travel permit) and recipient.

    Sets ``person_id`` (or None: to be registered), ``recipient_id`` (or None: added) and
    ``changed`` (field names) on each row. Returns ``(rows, errors, diff)``.

    ``flagged``: the possible duplicates the preview showed (``diff["possible_duplicates"]``),
    kept for the rows that still register someone new instead of comparing every new name
    with the register again: the commit records what the officer confirmed, and the city
    bureau's possible-duplicates list compares the whole register anyway."""
    by_macau = _documents(DocumentType.MACAU_ID, [r["macau_id"] for r in rows if r["macau_id"]])
    by_permit = _documents(DocumentType.TRAVEL_PERMIT,
                           [r["travel_permit_no"] for r in rows if r["travel_permit_no"]])
    # the recipients of the file's case numbers and of the people it names, not the whole
    # roster (200,000 at a million people): the import costs what its file holds
    roster = {entry.ias_case_no: entry for entry in _roster_entries(
        "ias_case_no", [row["ias_case_no"] for row in rows])}
    people = {found[0] for found in (*by_macau.values(), *by_permit.values())}
    roster_by_person = {entry.person_id: entry
                        for entry in _roster_entries("person_id", sorted(people))}

    errors: list[dict] = []
    diff = {"added": [], "changed": [], "disappeared": [], "unchanged": 0}
    good: list[dict] = []
    for row in rows:
        macau = by_macau.get(row["macau_id"]) if row["macau_id"] else None
        permit = by_permit.get(row["travel_permit_no"]) if row["travel_permit_no"] else None
        if macau and permit and macau[0] != permit[0]:
            errors.append({"row": row["row"], "column": "travel_permit_no", "message": _(
                "Conflicting identity: the register holds this travel permit for a different "
                "person than the Macau ID.")})
            continue
        found = macau or permit
        if found and (not same_name(found[1], row["name"]) or found[2] != row["date_of_birth"]):
            column = "macau_id" if macau else "travel_permit_no"
            errors.append({"row": row["row"], "column": column, "message": _(
                "Conflicting identity: the register holds this document number for a person "
                "with a different name or date of birth.")})
            continue
        row["person_id"] = found[0] if found else None
        row["add_macau_id"] = bool(row["macau_id"] and not macau)
        row["add_travel_permit"] = bool(row["travel_permit_no"] and not permit)
        existing = roster.get(row["ias_case_no"])
        if existing is not None and existing.person_id != row["person_id"]:
            errors.append({"row": row["row"], "column": "ias_case_no", "message": _(
                "This IAS case number belongs to another person on the roster.")})
            continue
        if existing is None and row["person_id"] in roster_by_person:
            errors.append({"row": row["row"], "column": "ias_case_no", "message": _(
                "This person is already on the roster under IAS case number %(number)s.")
                % {"number": roster_by_person[row["person_id"]].ias_case_no}})
            continue
        if existing is None:
            row["recipient_id"] = None
            row["changed"] = []
            diff["added"].append(row["ias_case_no"])
        else:
            row["recipient_id"] = existing.pk
            current = recipient_values(existing)
            row["changed"] = [field for field in COMPARED_FIELDS if current[field] != row[field]]
            if row["changed"]:
                diff["changed"].append({"ias_case_no": row["ias_case_no"],
                                        "fields": row["changed"]})
            else:
                diff["unchanged"] += 1
        good.append(row)
    if flagged is None:
        _flag_possible_duplicates(good, diff)
    else:
        still_new = {row["row"] for row in good if row["person_id"] is None}
        kept = [entry for entry in flagged if entry["row"] in still_new]
        if kept:
            diff["possible_duplicates"] = kept
    in_file = {row["ias_case_no"] for row in rows}
    diff["disappeared"] = sorted(
        number for number in Recipient.objects.filter(status=RecipientStatus.ACTIVE)
        .values_list("ias_case_no", flat=True).iterator(chunk_size=5000)
        if number not in in_file)
    return good, errors, diff


def _flag_possible_duplicates(rows: list[dict], diff: dict) -> None:
    """Rows that would register a new person who may already be in the register (same birth
    date and a similar name, cases.duplicates) are flagged, not silently created twice: the
    preview lists them and the city bureau's possible-duplicates list shows them after."""
    new_rows = [row for row in rows if row["person_id"] is None]
    hits = match_many([{"name_zh": row["name"], "sex": row["sex"], "district": row["district"],
                        "date_of_birth": datetime.date.fromisoformat(row["date_of_birth"])}
                       for row in new_rows])
    for row, found in zip(new_rows, hits):
        row["possible_duplicates"] = [person_id for person_id, _score in found]
        if found:
            diff.setdefault("possible_duplicates", []).append({"row": row["row"],
                                                "ias_case_no": row["ias_case_no"],
                                                "people": row["possible_duplicates"]})


def amount(row: dict) -> Decimal:
    return Decimal(row["monthly_amount_mop"])
