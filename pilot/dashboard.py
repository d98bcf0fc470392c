"""The leadership dashboard: the plan's tasks by computed status and stage, and one panel per
workstream with the figures its app measures (``<app>.metrics.figures(start=, end=, district=)``).

Aggregates only: nothing here names a person. The figures are computed in the database by the
apps, collected once per (plan, period, district, day) and cached briefly; the charts are
rebuilt from the cached numbers for each page or PDF (in the reader's language)."""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.cache import cached_figures, figures_source
from core.models import District
from core.money import money_display
from tempaid.models import EmergencyKind

from . import charts
from .conf import dashboard_cache_seconds
from .models import Plan, Task, Workstream
from .selectors import tasks_with_health
from .status import TaskHealth

logger = logging.getLogger(__name__)

METRIC_APPS = ["cases", "infosharing", "remittance", "tempaid", "partners"]
HEALTH_ORDER = [TaskHealth.DONE, TaskHealth.AWAITING_REVIEW, TaskHealth.ON_TRACK,
                TaskHealth.AT_RISK, TaskHealth.OVERDUE]
HEALTH_COLOURS = {TaskHealth.DONE: "#2da44e", TaskHealth.AWAITING_REVIEW: "#8250df",
                  TaskHealth.ON_TRACK: "#1f6feb",
                  TaskHealth.AT_RISK: "#d4a72c", TaskHealth.OVERDUE: "#cf222e"}
FIGURES_NAME = "pilot-dashboard-v2"
#: The workstream panels are narrow (≈ 280–340 px): their charts are drawn for that width, with
#: a text size that stays ≥ 12 px once the SVG is scaled to the panel.
PANEL_CHART = {"width": 320, "font": 14}


# --- collecting (cached) -------------------------------------------------------------------

def load_figures(app: str, *, start: date, end: date, district: str | None) -> tuple[dict | None, str]:
    """(figures, "") or (None, reason). A missing module means the workstream has not landed."""
    try:
        module = importlib.import_module(f"{app}.metrics")
    except ImportError:
        return None, "missing"
    function = getattr(module, "figures", None)
    if function is None:
        return None, "missing"
    try:
        figures = function(start=start, end=end, district=district or None)
    except ImportError:
        return None, "missing"
    except Exception:  # noqa: BLE001 - one broken panel must not take the dashboard down
        logger.exception("pilot dashboard: %s.metrics.figures failed", app)
        return None, "error"
    if not isinstance(figures, dict):
        return None, "error"
    return figures, ""


def _task_row(task) -> dict:
    return {
        "id": task.pk, "number": task.number, "content": task.content,
        "key_points": task.key_points, "lead_units": task.lead_units,
        "cooperating_units": task.cooperating_units, "deadline": task.deadline,
        "deadline_end": task.deadline_end, "is_ongoing": task.is_ongoing,
        "workstream": task.workstream,
        "stage_order": task.stage.order if task.stage else None,
        "health": str(task.health), "latest_on": task.latest_on,
        "latest_status": task.latest_status, "latest_percent": task.latest_percent,
        "latest_narrative": task.latest_narrative or "",
    }


def collect(*, plan: Plan, start: date, end: date, district: str = "",
            today: date | None = None) -> dict:
    """Every number the dashboard and the report show, as plain data."""
    today = today or timezone.localdate()
    status_day = min(today, end)
    tasks = [_task_row(task) for task in tasks_with_health(plan, today=status_day)]
    stages = [{"order": stage.order, "name": stage.name, "starts_on": stage.starts_on,
               "ends_on": stage.ends_on} for stage in plan.stages.order_by("order")]
    panels = {}
    for app in METRIC_APPS:
        figures, reason = load_figures(app, start=start, end=end, district=district)
        panels[app] = {"available": figures is not None, "figures": figures or {},
                       "reason": reason}
    return {"plan": {"id": plan.pk, "year": plan.year, "title": plan.title,
                     "document_number": plan.document_number, "starts_on": plan.starts_on,
                     "ends_on": plan.ends_on},
            "start": start, "end": end, "district": district, "status_day": status_day,
            "tasks": tasks, "stages": stages, "panels": panels}


@figures_source
def collected(*, plan: int, start: date, end: date, district: str, today: date) -> dict:
    """``collect`` for a plan given by its id: what the cache keeps and the worker refreshes."""
    return collect(plan=Plan.objects.get(pk=plan), start=start, end=end, district=district,
                   today=today)


def figures_params(*, plan: Plan, start: date, end: date, district: str, today: date) -> dict:
    return {"plan": plan.pk, "start": start, "end": end, "district": district or "",
            "today": today}


def dashboard_data(*, plan: Plan, start: date, end: date, district: str = "",
                   today: date | None = None, use_cache: bool = True) -> dict:
    today = today or timezone.localdate()
    if not use_cache:
        return collect(plan=plan, start=start, end=end, district=district, today=today)
    return cached_figures(FIGURES_NAME, collected, seconds=dashboard_cache_seconds(),
                          **figures_params(plan=plan, start=start, end=end, district=district,
                                           today=today))


# --- presenting ------------------------------------------------------------------------------

@dataclass
class Tile:
    label: str
    value: str


@dataclass
class PanelView:
    app: str
    title: str
    available: bool
    reason: str = ""
    tiles: list[Tile] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    more_url_name: str = ""  # the workstream's page with every row
    more_label: str = ""


def health_label(value: str) -> str:
    return str(TaskHealth(value).label)


def district_label(code) -> str:
    try:
        return str(District(code).label)
    except ValueError:
        return str(code) if code not in (None, "") else _("Not recorded")


def kind_label(code) -> str:
    """A temporary-relief emergency kind's label (the figures give its code)."""
    try:
        return str(EmergencyKind(code).label)
    except ValueError:
        return str(code)


def _format(value, kind: str = "number") -> str:
    if value is None or value == "":
        return "–"
    if kind == "share":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{number * 100:.1f}%" if number <= 1 else f"{number:.1f}%"
    if kind == "money":
        return money_display(value, "CNY")
    if kind == "days":
        try:
            return _("%(days)s days") % {"days": f"{float(value):.1f}".rstrip("0").rstrip(".")}
        except (TypeError, ValueError):
            return str(value)
    return charts.format_number(value)


def _number_in(value):
    """The number a figure entry stands for: a number, or the first number in a dict."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    if isinstance(value, dict):
        for key in ("count", "total", "value", "rate", "activation_rate", "share", "amount"):
            if key in value and isinstance(value[key], (int, float, Decimal)):
                return value[key]
        for item in value.values():
            if isinstance(item, (int, float, Decimal)) and not isinstance(item, bool):
                return item
    try:
        return Decimal(str(value))
    except Exception:  # noqa: BLE001
        return 0


def _percent(value) -> float:
    """A share (0..1) as a percentage; values above 1 are taken as percentages already."""
    number = float(_number_in(value) or 0)
    return round(number * 100, 1) if number <= 1 else round(number, 1)


def pairs(value, *, label_keys=("district", "kind", "label", "name", "month")) -> list[tuple]:
    """A breakdown as (label, number) pairs, from {label: n} or [{label-ish: .., count: ..}]."""
    if isinstance(value, dict):
        return [(key, _number_in(item)) for key, item in value.items()]
    result = []
    for item in value or []:
        if isinstance(item, dict):
            label = next((item[key] for key in label_keys if key in item), "")
            result.append((label, _number_in({k: v for k, v in item.items()
                                              if k not in label_keys})))
        elif isinstance(item, (list, tuple)) and len(item) >= 2:
            result.append((item[0], _number_in(item[1])))
    return result


def _tiles(figures: dict, spec: list[tuple[str, str, str]]) -> list[Tile]:
    return [Tile(label, _format(figures.get(key), kind)) for key, label, kind in spec
            if key in figures]


def _panel_cases(figures: dict) -> PanelView:
    panel = PanelView("cases", str(Workstream.CASES.label), True)
    panel.tiles = _tiles(figures, [
        ("cases_total", _("Cases"), "number"), ("cases_open", _("Open cases"), "number"),
        ("meetings_held", _("Meetings held"), "number"),
        ("action_items_total", _("Action items"), "number"),
        ("action_items_closed_on_time", _("Action items closed on time"), "number"),
        ("action_items_overdue", _("Action items overdue"), "number")])
    if "cases_by_district" in figures:
        panel.charts.append(charts.bar_chart(
            _("Cases by district"),
            [(district_label(code), count) for code, count in pairs(figures["cases_by_district"])],
            description=_("Number of cases registered in each district in the period."),
            value_label=_("Cases"), empty=_("No data"), **PANEL_CHART))
    if "action_items_total" in figures:
        total = figures.get("action_items_total") or 0
        on_time = figures.get("action_items_closed_on_time") or 0
        overdue = figures.get("action_items_overdue") or 0
        panel.charts.append(charts.donut_chart(
            _("Joint-meeting action items"),
            [(_("Closed on time"), on_time, "#2da44e"), (_("Overdue"), overdue, "#cf222e"),
             (_("Other"), max(total - on_time - overdue, 0), "#8c959f")],
            description=_("Action items decided by the joint meetings, by outcome."),
            empty=_("No data"), **PANEL_CHART))
    return panel


def _panel_infosharing(figures: dict) -> PanelView:
    panel = PanelView("infosharing", str(Workstream.INFOSHARING.label), True)
    panel.tiles = _tiles(figures, [
        ("bulletins_sent", _("Bulletins sent"), "number"),
        ("urgent_total", _("Urgent notifications"), "number"),
        ("urgent_acknowledged_in_time", _("Acknowledged in time"), "number"),
        ("verification_requests_total", _("Verification requests"), "number"),
        ("verification_answered", _("Verification requests answered"), "number"),
        ("verification_median_days_to_answer", _("Median time to answer"), "days"),
        ("verification_answered_within_due_share", _("Answered within the due date"), "share")])
    if "urgent_total" in figures or "verification_requests_total" in figures:
        panel.charts.append(charts.bar_chart(
            _("Notifications and verification"),
            [(_("Urgent notifications"), figures.get("urgent_total", 0)),
             (_("Acknowledged in time"), figures.get("urgent_acknowledged_in_time", 0)),
             (_("Verification requests"), figures.get("verification_requests_total", 0)),
             (_("Answered"), figures.get("verification_answered", 0))],
            description=_("Urgent notifications and their acknowledgement within the time "
                          "limit; cross-border verification requests and answers."),
            empty=_("No data"), **PANEL_CHART))
    return panel


def _panel_remittance(figures: dict) -> PanelView:
    panel = PanelView("remittance", str(Workstream.REMITTANCE.label), True)
    panel.tiles = _tiles(figures, [
        ("roster_size", _("Recipients on the roster"), "number"),
        ("recipients_active", _("Active recipients"), "number"),
        ("cards_activated", _("Cards activated"), "number"),
        ("activation_rate", _("Activation rate"), "share"),
        ("recipients_suspended", _("Suspended (awaiting reinstatement)"), "number")])
    if "by_bank" in figures:  # what the partner banks' staff record (tasks 9–10)
        rows = [row for row in figures["by_bank"] or [] if isinstance(row, dict)]
        panel.charts.append(charts.bar_chart(
            _("Cards activated per partner bank"),
            [(str(row.get("bank", "")), row.get("activated") or 0) for row in rows],
            description=_("Cards activated by recipients routed to each partner bank."),
            empty=_("No data"), **PANEL_CHART))
    if "activation_by_district" in figures:
        panel.charts.append(charts.bar_chart(
            _("Card activation by district"),
            [(district_label(code), _percent(value)) for code, value
             in pairs(figures["activation_by_district"])],
            description=_("Bank cards activated by recipients, per district."),
            value_label="%", empty=_("No data"), **PANEL_CHART))
    months = figures.get("disbursed_by_month") or []
    if "disbursed_by_month" in figures:
        labels = [str(row.get("month", "")) for row in months if isinstance(row, dict)]
        rows = [row for row in months if isinstance(row, dict)]
        panel.charts.append(charts.line_chart(
            _("Disbursed per month"), labels,
            [("MOP", [row.get("mop") or 0 for row in rows]),
             ("CNY", [row.get("cny") or 0 for row in rows])],
            description=_("Macau economic assistance disbursed each month, in MOP and CNY."),
            empty=_("No data"), **PANEL_CHART))
    return panel


def _panel_tempaid(figures: dict) -> PanelView:
    panel = PanelView("tempaid", str(Workstream.TEMPAID.label), True)
    panel.tiles = _tiles(figures, [
        ("applications_total", _("Applications"), "number"),
        ("applications_approved", _("Approved"), "number"),
        ("applications_rejected", _("Rejected"), "number"),
        ("amount_approved_cny", _("Amount approved"), "money"),
        ("amount_paid_cny", _("Amount paid"), "money"),
        ("fund_balance_cny", _("Special fund balance"), "money"),
        ("fund_available_cny", _("Special fund available"), "money"),
        ("budget_balance_cny", _("Ordinary budget balance"), "money"),
        ("budget_available_cny", _("Ordinary budget available"), "money")])
    if "applications_total" in figures:
        total = figures.get("applications_total") or 0
        approved = figures.get("applications_approved") or 0
        rejected = figures.get("applications_rejected") or 0
        panel.charts.append(charts.donut_chart(
            _("Temporary-relief applications"),
            [(_("Approved"), approved, "#2da44e"), (_("Rejected"), rejected, "#cf222e"),
             (_("Other"), max(total - approved - rejected, 0), "#8c959f")],
            description=_("Applications for temporary relief by decision."),
            empty=_("No data"), **PANEL_CHART))
    if "by_kind" in figures:
        panel.charts.append(charts.bar_chart(
            _("Applications by kind"), [(kind_label(label), value) for label, value
                                        in pairs(figures["by_kind"])],
            description=_("Temporary-relief applications by kind of hardship."),
            empty=_("No data"), **PANEL_CHART))
    return panel


#: How many contract KPIs the partners panel shows (the furthest from their target).
KPI_ROWS = 10


def _panel_partners(figures: dict) -> PanelView:
    panel = PanelView("partners", str(Workstream.PARTNERS.label), True)
    panel.tiles = _tiles(figures, [
        ("organisations_total", _("Organisations"), "number"),
        ("social_workers_active", _("Social workers"), "number"),
        ("macau_social_workers_active", _("Macau social workers"), "number"),
        ("referrals_total", _("Referrals"), "number"),
        ("referrals_accepted", _("Referrals accepted"), "number"),
        ("service_hours", _("Service hours"), "number"),
        ("contracts_active", _("Active contracts"), "number")])
    if "kpi_furthest" in figures:
        # Every KPI of every running contract is thousands at the city's scale: the figures
        # keep the ones furthest from their target and the count below it; /partners/figures/
        # lists them all.
        kpis = [row for row in figures["kpi_furthest"] if isinstance(row, dict)][:KPI_ROWS]
        panel.tiles.append(Tile(_("KPIs below target"),
                                f"{figures.get('kpi_below_target', 0)} / "
                                f"{figures.get('kpi_total', 0)}"))
        panel.more_url_name, panel.more_label = "partners:figures", _("Every contract KPI")
        panel.charts.append(charts.bar_chart(
            _("Contract KPIs furthest from target"),
            [(str(row.get("kpi", "")), _percent(row.get("share"))) for row in kpis],
            description=_("The %(count)s purchased-service KPIs with the smallest share of "
                          "their target attained, in per cent.") % {"count": KPI_ROWS},
            value_label="%", empty=_("No data"), **PANEL_CHART))
        panel.table_headers = [_("Contract"), _("KPI"), _("Target"), _("Actual"),
                               _("Attainment")]
        panel.table_rows = [[str(row.get("contract", "")), str(row.get("kpi", "")),
                             _format(row.get("target")), _format(row.get("actual")),
                             _format(row.get("share"), "share")] for row in kpis]
    return panel


PANEL_BUILDERS = {"cases": _panel_cases, "infosharing": _panel_infosharing,
                  "remittance": _panel_remittance, "tempaid": _panel_tempaid,
                  "partners": _panel_partners}


def panel_views(data: dict) -> list[PanelView]:
    views = []
    for app in METRIC_APPS:
        panel = data["panels"].get(app) or {"available": False, "figures": {}, "reason": "missing"}
        if not panel["available"]:
            views.append(PanelView(app, str(Workstream(app).label), False, panel["reason"]))
            continue
        try:
            views.append(PANEL_BUILDERS[app](panel["figures"]))
        except Exception:  # noqa: BLE001 - unexpected shapes show as unavailable
            logger.exception("pilot dashboard: cannot draw the %s panel", app)
            views.append(PanelView(app, str(Workstream(app).label), False, "error"))
    return views


def health_counts(tasks: list[dict]) -> dict[str, int]:
    counts = {str(health): 0 for health in HEALTH_ORDER}
    for task in tasks:
        counts[task["health"]] += 1
    return counts


def task_charts(data: dict) -> dict[str, charts.Chart]:
    tasks, stages = data["tasks"], data["stages"]
    counts = health_counts(tasks)
    status = charts.donut_chart(
        _("Tasks by status"),
        [(health_label(health), counts[str(health)], HEALTH_COLOURS[health])
         for health in HEALTH_ORDER],
        description=_("The plan's %(count)s tasks by computed status.") % {"count": len(tasks)},
        empty=_("No tasks"), font=14)
    stage_names = [stage["name"] for stage in stages]
    stage_orders = [stage["order"] for stage in stages]
    series = []
    for health in HEALTH_ORDER:
        series.append((health_label(health),
                       [sum(1 for task in tasks if task["stage_order"] == order
                            and task["health"] == str(health)) for order in stage_orders],
                       HEALTH_COLOURS[health]))
    by_stage = charts.stacked_bar_chart(
        _("Tasks by stage and status"), stage_names, series,
        description=_("For each stage of the plan, its tasks by computed status."),
        empty=_("No tasks"), width=400, font=14)
    plan = data["plan"]
    bars = [(stage["name"], stage["starts_on"], stage["ends_on"], "#8c959f") for stage in stages]
    # Ongoing tasks (长期推进) have no deadline: a bar over the whole plan, not left out.
    ongoing = _("Ongoing")
    bars += [(f"{task['number']}. {ongoing}", plan["starts_on"], plan["ends_on"],
              HEALTH_COLOURS[TaskHealth(task["health"])])
             for task in tasks if task["deadline_end"] is None and task.get("is_ongoing")]
    markers = [(f"{task['number']}. {task['content']}", task["deadline_end"],
                HEALTH_COLOURS[TaskHealth(task["health"])])
               for task in tasks if task["deadline_end"] is not None]
    timeline = charts.timeline_chart(
        pgettext("pilot", "Timeline"), plan["starts_on"], plan["ends_on"], bars, markers=markers,
        today=data["status_day"],
        description=_("The stages of the plan and each task's deadline, coloured by status; the "
                      "dashed line is today."))
    return {"status": status, "by_stage": by_stage, "timeline": timeline}


# --- What the partner banks record, on tasks 9 and 10 ----------------------------------------

#: Tasks of the remittance workstream whose progress the partner banks' own records measure
#: (the 2021 plan's numbering, 二(三)): 9, door-to-door card opening and activation; 10, the
#: priority channel at the branches. Figure keys of ``remittance.metrics.figures``'s ``by_bank``.
BANK_MEASURED_TASKS = {9: ("routed", "cards_opened", "activated", "failed"),
                       10: ("appointments", "served", "no_show")}


def task_bank_figures(task: Task, *, today: date | None = None) -> dict | None:
    """For task 9 or 10: per partner bank, what its staff recorded in the last twelve months
    (aggregates only, from ``remittance.metrics``): {"start", "end", "keys", "rows":
    [(bank, [values])]}. None for any other task, or when the figures are not available."""
    keys = BANK_MEASURED_TASKS.get(task.number)
    if keys is None or task.workstream != Workstream.REMITTANCE:
        return None
    end = today or timezone.localdate()
    start = end - timedelta(days=365)
    figures, _reason = load_figures("remittance", start=start, end=end, district=None)
    if figures is None or "by_bank" not in figures:
        return None
    rows = [(str(row.get("bank", "")), [row.get(key) or 0 for key in keys])
            for row in figures["by_bank"] if isinstance(row, dict)]
    return {"start": start, "end": end, "keys": keys, "rows": rows}
