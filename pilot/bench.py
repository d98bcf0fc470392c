"""Heavy jobs of the pilot workstream for ``manage.py bench`` (run in a rolled-back
transaction): the scheduled year-end report (figures from every workstream, PDF)."""
from __future__ import annotations

from datetime import date

from devtools.benchmark import BenchJob

from .models import ReportStatus
from .selectors import current_plan
from .services import pilot_report_year_end


def year_end_report() -> int:
    plan = current_plan()
    report = pilot_report_year_end(today=plan.ends_on if plan else date.today())
    if report is None or report.status != ReportStatus.DONE:
        raise RuntimeError(f"report not produced: {getattr(report, 'error', 'no plan')}")
    if report.file:
        report.file.delete(save=False)  # the transaction is rolled back: leave no orphan file
    return 1


JOBS = [BenchJob("pilot: year-end report (PDF)", year_end_report, max_seconds=30)]
