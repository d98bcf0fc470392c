"""The computed status of a task: a pure function of dates and the progress reports, so it can be
tested on fixed dates and computed in bulk for the dashboard without extra queries.

Only reports the city bureau has **accepted** count (issue 23): a pending report is a claim, not
a fact. A task has several responsible units (its lead and cooperating agencies, every district
bureau for 各区（功能区）民政部门): ``combine_units`` reads each unit's latest accepted report.

Rules (issue 8, 23):
- **done**: every responsible unit's latest accepted report says done (a task with a deadline);
- **awaiting review**: not done, but it would be if the pending "done" reports were accepted;
- **overdue**: past the last day of the deadline month and not done;
- **at risk**: the deadline is within ``due_window_days`` (14) and under ``risk_percent`` (80 %),
  or the latest report is blocked, or no report for ``stale_days`` (30) once the plan started;
- **on track**: otherwise.
"Ongoing" tasks (长期推进) have no deadline: they are judged by report freshness only (a fresh,
unblocked report is on track; stale, blocked or never reported after the plan's first 30 days
is at risk); they are never overdue, and never "done" for good.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DUE_WINDOW_DAYS = 14
RISK_PERCENT = 80
STALE_DAYS = 30


class TaskHealth(models.TextChoices):
    DONE = "done", pgettext_lazy("pilot", "Done")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")


BADGES = {
    TaskHealth.DONE: "badge--ok",
    TaskHealth.AWAITING_REVIEW: "badge--info",
    TaskHealth.ON_TRACK: "badge--info",
    TaskHealth.AT_RISK: "badge--warn",
    TaskHealth.OVERDUE: "badge--danger",
}


@dataclass(frozen=True)
class LatestReport:
    reported_on: date
    status: str  # ProgressStatus value
    percent: int


@dataclass(frozen=True)
class UnitsSummary:
    """What the responsible units' reports say together."""

    latest: LatestReport | None  # freshest date, lowest percent, "blocked" if any unit is
    is_done: bool
    awaiting_review: bool
    latest_narrative: str = ""


def combine_units(*, units: set, accepted: dict, pending: dict) -> UnitsSummary:
    """Each responsible unit's latest accepted and latest pending report (``{unit: (LatestReport,
    narrative)}``) -> the task's summary. ``units`` empty (not linked to agencies yet): the units
    that reported stand for it. A unit without an accepted report counts as 0 %."""
    responsible = set(units) or set(accepted) | set(pending)
    reports = [accepted[unit][0] for unit in responsible if unit in accepted]
    latest = None
    narrative = ""
    if reports:
        freshest_unit = max((unit for unit in responsible if unit in accepted),
                            key=lambda unit: (accepted[unit][0].reported_on, str(unit)))
        freshest = accepted[freshest_unit][0]
        narrative = accepted[freshest_unit][1]
        statuses = {report.status for report in reports}
        every_done = statuses == {"done"} and len(reports) == len(responsible)
        status = ("blocked" if "blocked" in statuses else "done" if every_done
                  else freshest.status if freshest.status != "done" else "in_progress")
        percent = min(report.percent for report in reports) if len(reports) == len(responsible) \
            else 0
        latest = LatestReport(reported_on=freshest.reported_on, status=status, percent=percent)

    def accepted_done(unit):
        return unit in accepted and accepted[unit][0].status == "done"

    def pending_done(unit):
        if unit not in pending or pending[unit][0].status != "done":
            return False
        return unit not in accepted or pending[unit][0].reported_on >= \
            accepted[unit][0].reported_on

    is_done = bool(responsible) and all(accepted_done(unit) for unit in responsible)
    awaiting = (not is_done and bool(responsible)
                and all(accepted_done(unit) or pending_done(unit) for unit in responsible))
    return UnitsSummary(latest=latest, is_done=is_done, awaiting_review=awaiting,
                        latest_narrative=narrative)


def task_health(*, today: date, deadline_end: date | None, is_ongoing: bool,
                latest: LatestReport | None, plan_starts_on: date | None = None,
                due_window_days: int = DUE_WINDOW_DAYS, risk_percent: int = RISK_PERCENT,
                stale_days: int = STALE_DAYS, is_done: bool | None = None,
                awaiting_review: bool = False) -> TaskHealth:
    """The status of one task on ``today``. ``is_done`` (from ``combine_units``) overrides the
    reading of ``latest``; ``awaiting_review`` shows a task whose "done" waits for the city."""
    if is_done is None:
        is_done = latest is not None and latest.status == "done"
    # The clock for freshness starts at the latest report, else at the plan's start.
    freshness_from = latest.reported_on if latest is not None else plan_starts_on
    is_stale = freshness_from is not None and (today - freshness_from).days > stale_days
    is_blocked = latest is not None and latest.status == "blocked"

    if is_ongoing or deadline_end is None:
        if is_stale or is_blocked:
            return TaskHealth.AT_RISK
        return TaskHealth.ON_TRACK

    if is_done:
        return TaskHealth.DONE
    if awaiting_review:
        return TaskHealth.AWAITING_REVIEW
    if today > deadline_end:
        return TaskHealth.OVERDUE
    percent = latest.percent if latest is not None else 0
    if (deadline_end - today).days <= due_window_days and percent < risk_percent:
        return TaskHealth.AT_RISK
    if is_blocked or is_stale:
        return TaskHealth.AT_RISK
    return TaskHealth.ON_TRACK
