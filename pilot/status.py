"""The computed status of a task: a pure function of dates and the latest progress report, so it
can be tested on fixed dates and computed in bulk for the dashboard without extra queries.

Rules (issue 8):
- **done**: the latest report says done (a task with a deadline);
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
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")


BADGES = {
    TaskHealth.DONE: "badge--ok",
    TaskHealth.ON_TRACK: "badge--info",
    TaskHealth.AT_RISK: "badge--warn",
    TaskHealth.OVERDUE: "badge--danger",
}


@dataclass(frozen=True)
class LatestReport:
    reported_on: date
    status: str  # ProgressStatus value
    percent: int


def task_health(*, today: date, deadline_end: date | None, is_ongoing: bool,
                latest: LatestReport | None, plan_starts_on: date | None = None,
                due_window_days: int = DUE_WINDOW_DAYS, risk_percent: int = RISK_PERCENT,
                stale_days: int = STALE_DAYS) -> TaskHealth:
    """The status of one task on ``today``."""
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
    if today > deadline_end:
        return TaskHealth.OVERDUE
    percent = latest.percent if latest is not None else 0
    if (deadline_end - today).days <= due_window_days and percent < risk_percent:
        return TaskHealth.AT_RISK
    if is_blocked or is_stale:
        return TaskHealth.AT_RISK
    return TaskHealth.ON_TRACK
