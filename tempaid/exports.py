"""The fund statement as a spreadsheet (openpyxl) and a PDF (WeasyPrint, Chinese fonts)."""
from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.files import safe_cell

from .selectors import Statement

def statement_rows(statement: Statement) -> list[list]:
    rows = []
    for entry in statement.entries:
        rows.append([
            timezone.localtime(entry.booked_at).strftime("%Y-%m-%d %H:%M"),
            str(entry.get_kind_display()),
            entry.application.number if entry.application_id else "",
            entry.reference,
            entry.balance_delta,
            entry.available_delta,
            entry.balance_after,
            entry.available_after,
        ])
    return rows


def statement_xlsx(statement: Statement) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statement")[:31]
    bold = Font(bold=True)
    sheet.append([safe_cell(statement.fund.name)])
    sheet.append([_("Period"), f"{statement.start:%Y-%m-%d} – {statement.end:%Y-%m-%d}"])
    sheet.append([_("Opening balance"), statement.opening_balance,
                  _("Opening available balance"), statement.opening_available])
    sheet.append([])
    header = [_("Booked at"), _("Kind"), _("Application"), pgettext("tempaid", "Reference"),
              _("Effect on balance"), _("Effect on available balance"), _("Balance after"),
              _("Available after")]
    sheet.append([str(h) for h in header])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in statement_rows(statement):
        sheet.append([safe_cell(value) for value in row])
        for cell in sheet[sheet.max_row][4:]:
            cell.number_format = "#,##0.00"
    sheet.append([])
    sheet.append([_("Closing balance"), statement.closing_balance,
                  _("Closing available balance"), statement.closing_available])
    for column, width in zip("ABCDEFGH", (18, 22, 16, 24, 16, 16, 16, 16)):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statement_pdf(statement: Statement, *, generated_by: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("tempaid/pdf/statement.html", {
        "statement": statement, "rows": statement_rows(statement),
        "generated_at": timezone.localtime(), "generated_by": generated_by})
    return HTML(string=html).write_pdf()
