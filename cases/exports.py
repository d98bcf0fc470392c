"""Excel export of a filtered case list. Identity numbers are always masked; cells that a
spreadsheet would read as formulas are neutralised."""
from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from zhuao.files import safe_cell
from zhuao.identity import mask

from . import selectors


def cases_workbook(cases) -> tuple[bytes, int]:
    """The cases (a queryset from ``selectors.case_search``) as an .xlsx; returns the bytes
    and the number of rows. Iterates in chunks so large lists stay within memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases"))
    sheet.append([_("Case number"), pgettext("person", "Name"), _("Identity documents (masked)"),
                  _("District"),
                  _("Category"), _("Status"), _("Risk level"), _("Key case"), _("Owner agency"),
                  _("Opened at"), _("Closed at")])
    count = 0
    for case in cases.iterator(chunk_size=2000):
        documents = ", ".join(mask(document.number)
                              for document in selectors.documents_of(case.subject))
        sheet.append([safe_cell(value) for value in (
            case.number, case.subject.name_zh, documents, case.get_district_display(),
            case.get_category_display(), case.get_status_display(),
            case.get_risk_level_display(), _("Yes") if case.is_key_case else _("No"),
            case.owner_agency.name,
            timezone.localtime(case.opened_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(case.closed_at).strftime("%Y-%m-%d %H:%M") if case.closed_at
            else "")])
        count += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
