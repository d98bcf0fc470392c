"""The spreadsheet import toolkit: what every import of officers' own spreadsheets shares.

The IAS roster (``remittance.roster_import``), people and households (``cases.people_import``)
and service records (``partners.service_import``) all read files through here:

1. :func:`check_upload` checks the upload as a file (``core.files.validate_upload``: size
   limit, content agrees with the name, an XLSX's zip table of contents against zip bombs and
   XML entity declarations) and returns its kind and bytes.
2. :func:`read_table` turns the bytes into a header and rows of plain values. XLSX is opened
   with openpyxl ``read_only=True, data_only=True``: formulas are never evaluated (their cached
   value is read) and macros are never run. CSV is UTF-8 (with or without BOM) or GB18030.
   ``accept_header`` picks the sheet: the first whose header row it accepts (so a workbook
   whose first sheet is the instructions still imports, and a workbook with the wrong sheet
   says which columns are missing).
3. :func:`map_header` finds each :class:`Column` in the header row, by its header in any of the
   three languages (the header text is the column's translated label in simplified Chinese,
   traditional Chinese and English), its key, or an alias. A repeated column or a missing
   required one is a :class:`FileProblem`.
4. Row checking is each import's own; :func:`formula_problem`, :func:`parse_date` and
   :func:`text` are the shared helpers, and errors are ``{"row", "column", "message"}`` with
   ``row`` the spreadsheet's row number (the header is row 1).

:func:`template_workbook` writes the template to download: the header row in the user's
language with an example row, and an instructions sheet.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ApplicationError
from core.files import FileKind, safe_filename, validate_upload
from core.models import SpreadsheetImport, SpreadsheetImportStatus
from core.text import strip_invisible
from core.visibility import fetch_or_404, user_agency

#: The row number of the first data row (the header is row 1).
FIRST_ROW = 2
#: Most row errors kept in a preview (the rest are counted).
MAX_ERRORS_KEPT = 2000


class FileProblem(Exception):
    """The file as a whole cannot be read (message in the user's language)."""


@dataclass(frozen=True)
class Column:
    """One column of an import: its key in the checked rows, its translated header (accepted in
    every language of the site), whether it is required, other accepted headers, and the line
    of the template's instructions that explains it."""

    key: str
    label: object
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: object = ""
    example: object = ""

    def header_names(self) -> set[str]:
        found = {header_key(self.key)} | {header_key(alias) for alias in self.aliases}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                found.add(header_key(str(self.label)))
        return found


def header_key(text: object) -> str:
    """Header normal form: NFKC (full-width to half-width), no whitespace, lower case."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return "".join(value.split()).lower().replace("（", "(").replace("）", ")")


def column_label(columns: Iterable[Column], key: str) -> str:
    for column in columns:
        if column.key == key:
            return str(column.label)
    return key


# ------------------------------------------------------------------------------ reading

def cell_text(value) -> object:
    """A spreadsheet cell as text (numbers through their shortest decimal text, never used as
    floats), or a date/datetime left as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text_value = repr(value)
        return text_value[:-2] if text_value.endswith(".0") else text_value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value
    return strip_invisible(str(value))


def check_upload(uploaded_file, *, max_bytes: int) -> tuple[str, bytes]:
    """The upload's kind (XLSX or CSV) and bytes, or ApplicationError(code="bad_file")."""
    try:
        kind = validate_upload(uploaded_file, kinds={FileKind.XLSX, FileKind.CSV},
                               max_bytes=max_bytes)
    except ValidationError as error:
        raise ApplicationError(" ".join(str(message) for message in error.messages),
                               code="bad_file", field="file") from None
    data = uploaded_file.read()
    uploaded_file.seek(0)
    return kind, data


def read_table(data: bytes, kind: str, *, max_rows: int,
               accept_header: Callable[[list[str]], object] | None = None,
               ) -> tuple[list[str], list[tuple[int, list]]]:
    """The header cells and the data rows ``(row_number, values)``; empty rows are skipped.
    More than ``max_rows`` data rows raises FileProblem.

    ``accept_header`` (raising FileProblem for a header it cannot use) chooses the sheet of a
    workbook: the first sheet it accepts; when it accepts none, the first sheet's problem is
    raised. Without it the first sheet is read."""
    if kind == FileKind.XLSX:
        return _read_workbook(data, max_rows=max_rows, accept_header=accept_header)
    if kind == FileKind.CSV:
        header, rows = _read_rows(_csv_rows(data), max_rows=max_rows)
        if accept_header is not None:
            accept_header(header)
        return header, rows
    raise FileProblem(_("Only XLSX and CSV files can be imported."))


def _read_rows(raw_rows: Iterable, *, max_rows: int, header_only: bool = False):
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    for number, values in enumerate(raw_rows, start=1):
        cells = [cell_text(value) for value in values]
        if not any(str(cell).strip() for cell in cells):
            continue
        if header is None:
            header = [str(cell) for cell in cells]
            if header_only:
                break
            continue
        rows.append((number, cells))
        if len(rows) > max_rows:
            raise FileProblem(_("The file has more than %(limit)s rows; split it into smaller "
                                "files.") % {"limit": f"{max_rows:,}"})
    if header is None:
        raise FileProblem(_("The file is empty."))
    return header, rows


def _read_workbook(data: bytes, *, max_rows: int, accept_header):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise FileProblem(_("The spreadsheet cannot be read; save it again as XLSX.")) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise FileProblem(_("The file is empty."))
        if accept_header is None:
            return _read_rows(sheets[0].iter_rows(values_only=True), max_rows=max_rows)
        first_problem: FileProblem | None = None
        for sheet in sheets[:20]:
            try:
                header, _rows = _read_rows(sheet.iter_rows(values_only=True), max_rows=max_rows,
                                           header_only=True)
                accept_header(header)
            except FileProblem as problem:
                first_problem = first_problem or problem
                continue
            return _read_rows(sheet.iter_rows(values_only=True), max_rows=max_rows)
        raise first_problem  # type: ignore[misc]
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterable[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem(_("The CSV file must be saved as UTF-8 or GB18030 text."))
    try:
        yield from csv.reader(io.StringIO(decoded, newline=""))
    except csv.Error:
        raise FileProblem(_("The CSV file is malformed.")) from None


def map_header(header: list[str], columns: list[Column]) -> dict[str, int]:
    """Column key -> index. A missing required column or a repeated column raises
    FileProblem; unknown columns are ignored."""
    names: dict[str, str] = {}
    for column in columns:
        for name in column.header_names():
            names.setdefault(name, column.key)
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = names.get(header_key(cell))
        if key is None:
            continue
        if key in positions:
            raise FileProblem(_("The column “%(column)s” appears twice.") % {"column": cell})
        positions[key] = index
    missing = [str(column.label) for column in columns
               if column.required and column.key not in positions]
    if missing:
        raise FileProblem(_("Columns missing from the header row: %(columns)s. Download the "
                            "template to see the expected columns.")
                          % {"columns": "、".join(missing)})
    return positions


def read_upload(uploaded_file, *, columns: list[Column], max_bytes: int, max_rows: int):
    """Check and read an upload against ``columns``: ``(positions, rows, data, kind)``, or
    ApplicationError(code="bad_file") for a file that cannot be imported at all."""
    kind, data = check_upload(uploaded_file, max_bytes=max_bytes)
    try:
        header, rows = read_table(data, kind, max_rows=max_rows,
                                  accept_header=lambda header: map_header(header, columns))
        positions = map_header(header, columns)
    except FileProblem as problem:
        raise ApplicationError(str(problem), code="bad_file", field="file") from None
    if not rows:
        raise ApplicationError(_("The file has a header row but no data rows."),
                               code="bad_file", field="file")
    return positions, rows, data, kind


def row_cells(positions: dict[str, int], columns: list[Column], cells: list) -> dict:
    """The raw cell of each column in one row ("" for a column the file does not have)."""
    width = len(cells)
    out = {}
    for column in columns:
        index = positions.get(column.key)
        out[column.key] = cells[index] if index is not None and index < width else ""
    return out


# ----------------------------------------------------------------------------- checking

def text(value) -> str:
    """A cell as one line of NFKC-normalised text."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    value = str(value)
    if not unicodedata.is_normalized("NFKC", value):
        value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split())


_FORMULA = re.compile(r"^[=@]|^[+\-]\s*[A-Za-z]|[|!]\s*'?[A-Za-z]")


def formula_problem(value: str) -> str | None:
    """The message for a text cell that a spreadsheet would run as a formula (``=cmd|...``,
    ``@SUM(...)``, ``+HYPERLINK(...)``), else None. Such cells are refused rather than stored:
    they would run again in whoever exports and opens them."""
    if value and _FORMULA.search(value) and value[:1] in "=@+-":
        return _("This cell holds a formula; type the value itself.")
    return None


_DATE_PATTERNS = (re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
                  re.compile(r"(\d{4})(\d{2})(\d{2})"))


def parse_date(value) -> datetime.date:
    """A date from a date cell or text such as 2021-12-31, 2021/12/31, 2021年12月31日 or
    20211231; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    candidate = text(value).split(" ")[0].split("T")[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(candidate)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValueError(candidate)


def date_error(value: str) -> str:
    return _("“%(value)s” is not a date; write it like 2021-12-31.") % {"value": value}


def choice_lookup(choices: dict[str, Iterable[str]], model_choices=None) -> dict[str, str]:
    """A lookup from what people type to a choice code: the given words, the code itself and
    the choice's label in every language of the site."""
    table: dict[str, str] = {}
    for code, words in choices.items():
        table[header_key(code)] = code
        for word in words:
            table[header_key(word)] = code
    for code, label in (model_choices or ()):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                table.setdefault(header_key(str(label)), code)
    return table


def sorted_errors(errors: list[dict]) -> list[dict]:
    return sorted(errors, key=lambda error: error["row"])[:MAX_ERRORS_KEPT]


# ----------------------------------------------------------------------------- template

def template_workbook(columns: list[Column], *, sheet_title: str, instructions_title: str,
                      introduction: list[str]) -> bytes:
    """An XLSX template: the first sheet has the header row in the active language and one
    example row; the second explains each column (required or not, what to write)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([str(column.label) for column in columns])
    sheet.append([str(column.example) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 20
    guide = workbook.create_sheet(instructions_title[:31])
    guide.append([instructions_title])
    guide["A1"].font = Font(bold=True)
    for line in introduction:
        guide.append([str(line)])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append([str(column.label), _("Yes") if column.required else _("No"),
                      str(column.help)])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ the stored preview

def imports_visible_to(user, kind: str):
    """The imports of this kind made in the user's agency (the preview holds identity numbers
    and is for that agency alone)."""
    agency = user_agency(user)
    if agency is None:
        return SpreadsheetImport.objects.none()
    return (SpreadsheetImport.objects.filter(kind=kind, agency=agency)
            .select_related("uploaded_by", "committed_by"))


def imports_listed(user, kind: str):
    """The list of earlier imports: without their previews (a whole checked file each)."""
    return imports_visible_to(user, kind).defer("preview")


def get_import_for(user, kind: str, pk):
    return fetch_or_404(imports_visible_to(user, kind), pk, user=user, action="view")


def import_store(*, actor, kind: str, agency, name: str, data: bytes, row_count: int,
                 rows: list[dict], errors: list[dict], warnings: list[dict]):
    """Keep a checked file's preview (nothing else changes) and audit it."""
    errors = sorted_errors(errors)
    with transaction.atomic():
        run = SpreadsheetImport.objects.create(
            kind=kind, agency=agency, uploaded_by=actor,
            original_name=safe_filename(name or "import"),
            sha256=hashlib.sha256(data).hexdigest(), row_count=row_count,
            error_count=len({error["row"] for error in errors}), valid_count=len(rows),
            preview={"rows": rows, "errors": errors, "warnings": warnings})
        audit_record(actor=actor, action=f"{kind}_import.preview", obj=run,
                     changes={"file": run.original_name, "rows": row_count,
                              "errors": run.error_count, "sha256": run.sha256})
    return run


def import_lock_for_commit(run, *, actor):
    """The import locked, previewed and with rows to import, else ApplicationError."""
    run = SpreadsheetImport.objects.select_for_update().get(pk=run.pk)
    agency = user_agency(actor)
    if agency is None or agency.pk != run.agency_id:
        raise ApplicationError(_("You may not do this."), code="forbidden", status=403)
    if run.status != SpreadsheetImportStatus.PREVIEWED:
        raise ApplicationError(_("This import has already been committed or discarded."),
                               code="not_previewed", status=409)
    if not run.valid_count:
        raise ApplicationError(_("No row of this file can be imported; correct the file and "
                                 "upload it again."), code="nothing_to_import", status=409)
    return run


def import_mark_committed(run, *, actor, summary: dict) -> None:
    run.status = SpreadsheetImportStatus.COMMITTED
    run.committed_by = actor
    run.committed_at = timezone.now()
    run.summary = summary
    run.save(update_fields=["status", "committed_by", "committed_at", "summary", "updated_at"])
    audit_record(actor=actor, action=f"{run.kind}_import.commit", obj=run,
                 changes={**summary, "sha256": run.sha256})


def import_discard(*, actor, import_run):
    """Discard a previewed import (nothing was saved from it)."""
    with transaction.atomic():
        run = SpreadsheetImport.objects.select_for_update().get(pk=import_run.pk)
        if run.status != SpreadsheetImportStatus.PREVIEWED:
            raise ApplicationError(_("This import has already been committed or discarded."),
                                   code="not_previewed", status=409)
        run.status = SpreadsheetImportStatus.DISCARDED
        run.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=f"{run.kind}_import.discard", obj=run)
    return run
