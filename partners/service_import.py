"""Reading and checking a provider's spreadsheet of service records (``web.imports`` reads it).

Each row is one service: its date, the contract (by number) or the referral (by number, which
names its contract), the social worker (by registration number or name), the service type,
the duration in minutes, and notes. The row's references are looked up among what the uploading
staff member sees; the rules (active contract, date within the period and not in the future,
the worker's registration valid, an accepted referral under the contract) are the service's
own: the preview runs ``service_record_create`` for each row and rolls everything back.
"""
from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

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

from .models import ServiceType

#: Most data rows in one file.
MAX_ROWS = 2000

COLUMNS: list[Column] = [
    Column("service_date", pgettext_lazy("import column", "Service date"), True,
           ("服务日期", "date"), pgettext_lazy("import help", "Like 2026-03-31; not in the "
                                                "future, within the contract's period."),
           "2026-03-31"),
    Column("contract", pgettext_lazy("import column", "Contract number"), False,
           ("合同编号", "合同號"), pgettext_lazy("import help", "Needed when the row names no "
                                              "referral."), ""),
    Column("referral", pgettext_lazy("import column", "Referral number"), False,
           ("转介编号", "轉介編號"), pgettext_lazy("import help", "Optional: an accepted referral "
                                               "under the contract."), ""),
    Column("worker", pgettext_lazy("import column", "Social worker"), True,
           ("社工", "社工姓名"), pgettext_lazy("import help", "The worker's registration number "
                                            "or name, as registered with your organisation."),
           ""),
    Column("service_type", pgettext_lazy("import column", "Service type"), True,
           ("服务类型", "服務類型"), pgettext_lazy("import help", "个案辅导, 家访, 陪同, 小组活动, "
                                                "资源链接 or 其他."), "家访"),
    Column("duration_minutes", pgettext_lazy("import column", "Duration (minutes)"), True,
           ("时长", "分钟", "duration"), pgettext_lazy("import help", "Whole minutes, 1 to "
                                                      "1440."), "60"),
    Column("outcome", pgettext_lazy("import column", "Notes"), False,
           ("备注", "服务结果", "outcome"), pgettext_lazy("import help", "Optional: what was "
                                                        "done and the outcome."), ""),
    Column("follow_up_date", pgettext_lazy("import column", "Follow-up date"), False,
           ("跟进日期",), pgettext_lazy("import help", "Optional; not before the service."), ""),
]

_SERVICE_TYPES = choice_lookup({
    ServiceType.COUNSELLING: ("个案辅导", "辅导", "個案輔導"),
    ServiceType.HOME_VISIT: ("家访", "家訪"), ServiceType.ACCOMPANIMENT: ("陪同", "陪診"),
    ServiceType.GROUP_ACTIVITY: ("小组活动", "小組活動"),
    ServiceType.RESOURCE_LINKAGE: ("资源链接", "資源鏈接"),
    ServiceType.OTHER: ("其他",)}, ServiceType.choices)


def check_rows(positions: dict[str, int], rows: list[tuple[int, list]], *, contracts: dict,
               referrals: dict, workers: dict, today: datetime.date | None = None):
    """``(rows, errors)``: each row with its contract, referral and worker ids resolved, or the
    row's errors. ``contracts``/``referrals``: number -> record; ``workers``: lookup text ->
    list of workers (a name shared by two workers is ambiguous)."""
    today = today or timezone.localdate()
    clean: list[dict] = []
    errors: list[dict] = []
    for number, cells in rows:
        raw = row_cells(positions, COLUMNS, cells)
        texts = {key: text(value) for key, value in raw.items()}
        row_errors: list[tuple[str, str]] = []

        def fail(key, message):
            row_errors.append((key, str(message)))

        for column in COLUMNS:
            if column.required and not texts[column.key]:
                fail(column.key, _("This value is required."))
            elif isinstance(raw[column.key], str) and formula_problem(texts[column.key]):
                fail(column.key, formula_problem(texts[column.key]))
        out: dict = {"row": number, "outcome": texts["outcome"][:2000]}
        for key in ("service_date", "follow_up_date"):
            out[key] = ""
            if texts[key]:
                try:
                    value = parse_date(raw[key])
                except ValueError:
                    fail(key, date_error(texts[key]))
                    continue
                if key == "service_date" and value > today:
                    fail(key, _("The service date cannot be in the future."))
                out[key] = value.isoformat()
        service_type = texts["service_type"]
        out["service_type"] = _SERVICE_TYPES.get(header_key(service_type), "")
        if service_type and not out["service_type"]:
            fail("service_type", _("Unknown service type; write 个案辅导, 家访, 陪同, 小组活动, "
                                   "资源链接 or 其他."))
        out["duration_minutes"] = 0
        if texts["duration_minutes"]:
            try:
                minutes = int(texts["duration_minutes"])
            except ValueError:
                fail("duration_minutes", _("Enter the duration in whole minutes."))
            else:
                if not 0 < minutes <= 24 * 60:
                    fail("duration_minutes",
                         _("The duration must be between 1 minute and 24 hours."))
                out["duration_minutes"] = minutes

        referral = None
        if texts["referral"]:
            referral = referrals.get(texts["referral"].upper())
            if referral is None:
                fail("referral", _("No accepted referral of yours has the number "
                                   "“%(number)s”.") % {"number": texts["referral"]})
        contract = None
        if texts["contract"]:
            contract = contracts.get(texts["contract"].upper())
            if contract is None:
                fail("contract", _("No active contract of yours has the number “%(number)s”.")
                     % {"number": texts["contract"]})
        elif referral is not None:
            contract = contracts.get(referral.contract.number.upper())
            if contract is None:
                fail("referral", _("The referral's contract is not active."))
        elif not texts["referral"]:
            fail("contract", _("Enter the contract number or the referral number."))
        out["contract_id"] = contract.pk if contract else None
        out["contract_number"] = contract.number if contract else ""
        out["referral_id"] = referral.pk if referral else None
        out["referral_number"] = referral.number if referral else ""
        out["worker_id"] = None
        out["worker_name"] = ""
        if texts["worker"]:
            found = workers.get(header_key(texts["worker"]), [])
            if not found:
                fail("worker", _("No active social worker of your organisation is registered "
                                 "as “%(worker)s”.") % {"worker": texts["worker"]})
            elif len(found) > 1:
                fail("worker", _("Two social workers have this name; use the registration "
                                 "number."))
            else:
                out["worker_id"] = found[0].pk
                out["worker_name"] = found[0].name
        if row_errors:
            errors.extend({"row": number, "column": key, "message": message}
                          for key, message in row_errors)
        else:
            clean.append(out)
    return clean, errors
