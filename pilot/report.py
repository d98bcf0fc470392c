"""The year-end pilot report (试点工作报告) as a PDF: WeasyPrint, Noto Sans CJK SC, the same SVG
charts as the dashboard, a table of contents with page numbers (target-counter)."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .dashboard import dashboard_data, health_counts, health_label, panel_views, task_charts
from .models import PilotReport, Workstream

NUMERALS = "一二三四五六七八九十"


class ReportIncomplete(Exception):
    """A chapter could not be filled (its workstream's figures failed): the report is marked
    failed with this reason, never "done" with an empty chapter."""


def report_context(report: PilotReport) -> dict:
    plan = report.plan
    data = dashboard_data(plan=plan, start=report.period_start, end=report.period_end,
                          district=report.district, use_cache=False)
    panels = panel_views(data)
    unfilled = [panel.title for panel in panels if not panel.available]
    if unfilled:
        raise ReportIncomplete(
            _("These chapters could not be filled: %(chapters)s. The report was not produced; "
              "request it again later, and tell the administrator if it fails again.")
            % {"chapters": "、".join(unfilled)})
    tasks = data["tasks"]
    for task in tasks:
        task["health_label"] = health_label(task["health"])
        task["deadline_label"] = (_("Ongoing") if task["is_ongoing"] or not task["deadline"]
                                  else f"{task['deadline'].year}年{task['deadline'].month}月")
    chapters = []

    def chapter(anchor: str, title: str, **extra) -> dict:
        entry = {"anchor": anchor, "title": f"{NUMERALS[len(chapters)]}、{title}", **extra}
        chapters.append(entry)
        return entry

    chapter("summary", pgettext("pilot report", "Summary figures"))
    for panel in panels:
        chapter(f"ws-{panel.app}", panel.title, panel=panel,
                tasks=[task for task in tasks if task["workstream"] == panel.app])
    chapter("tasks", pgettext("pilot report", "Tasks and their final status"))
    chapter("problems", pgettext("pilot report", "Problems"))
    chapter("next-steps", pgettext("pilot report", "Next steps"))
    counts = health_counts(tasks)
    return {
        "report": report, "plan": plan, "data": data, "tasks": tasks, "panels": panels,
        "chapters": chapters, "charts": task_charts(data),
        "health_counts": [(health_label(key), value) for key, value in counts.items()],
        "tasks_total": len(tasks),
        "summary_tiles": [(panel.title, panel.tiles[:4]) for panel in panels if panel.available],
        "generated_at": timezone.localtime(),
        "pilot_title": str(Workstream.PILOT.label),
    }


def render_report_html(report: PilotReport, *, language: str = "zh-hans") -> str:
    with translation.override(language):
        return render_to_string("pilot/pdf/report.html", report_context(report))


def render_report_pdf(report: PilotReport, *, language: str = "zh-hans") -> bytes:
    from weasyprint import HTML

    html = render_report_html(report, language=language)
    return HTML(string=html, base_url=None).write_pdf()
