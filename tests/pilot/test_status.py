"""The computed status on fixed dates (a pure function: no database)."""
from datetime import date

import pytest

from pilot.status import LatestReport, TaskHealth, task_health

DEADLINE = date(2022, 6, 30)  # a task due in June 2022
PLAN_START = date(2021, 12, 1)


def health(today, latest=None, *, deadline_end=DEADLINE, ongoing=False):
    return task_health(today=today, deadline_end=deadline_end, is_ongoing=ongoing,
                       latest=latest, plan_starts_on=PLAN_START)


def report(day, status="in_progress", percent=50):
    return LatestReport(reported_on=day, status=status, percent=percent)


def test_done_whatever_the_date():
    assert health(date(2022, 8, 1), report(date(2022, 6, 20), "done", 100)) == TaskHealth.DONE


def test_overdue_the_day_after_the_deadline_month():
    latest = report(date(2022, 6, 29), percent=95)
    assert health(date(2022, 6, 30), latest) == TaskHealth.ON_TRACK
    assert health(date(2022, 7, 1), latest) == TaskHealth.OVERDUE


def test_at_risk_within_fourteen_days_and_under_eighty_percent():
    assert health(date(2022, 6, 16), report(date(2022, 6, 10), percent=79)) == TaskHealth.AT_RISK
    assert health(date(2022, 6, 16), report(date(2022, 6, 10), percent=80)) == TaskHealth.ON_TRACK
    # 15 days before the end of June: not yet in the window
    assert health(date(2022, 6, 15), report(date(2022, 6, 10), percent=10)) == TaskHealth.ON_TRACK


def test_at_risk_without_a_report_for_thirty_days():
    latest = report(date(2022, 3, 1), percent=50)
    assert health(date(2022, 3, 31), latest) == TaskHealth.ON_TRACK  # 30 days
    assert health(date(2022, 4, 1), latest) == TaskHealth.AT_RISK    # 31 days


def test_never_reported_counts_from_the_plan_start():
    assert health(date(2021, 12, 31)) == TaskHealth.ON_TRACK
    assert health(date(2022, 1, 1)) == TaskHealth.AT_RISK
    assert health(date(2021, 11, 1)) == TaskHealth.ON_TRACK  # before the plan starts


def test_blocked_is_at_risk_then_overdue():
    latest = report(date(2022, 5, 20), "blocked", 40)
    assert health(date(2022, 5, 25), latest) == TaskHealth.AT_RISK
    assert health(date(2022, 7, 2), latest) == TaskHealth.OVERDUE


@pytest.mark.parametrize("today, latest, expected", [
    (date(2022, 12, 31), report(date(2022, 12, 15)), TaskHealth.ON_TRACK),
    (date(2022, 12, 31), report(date(2022, 11, 30)), TaskHealth.AT_RISK),
    (date(2022, 12, 31), report(date(2022, 12, 30), "blocked", 30), TaskHealth.AT_RISK),
    (date(2023, 6, 1), report(date(2023, 5, 20), percent=10), TaskHealth.ON_TRACK),
    (date(2022, 1, 15), None, TaskHealth.AT_RISK),
    (date(2021, 12, 20), None, TaskHealth.ON_TRACK),
])
def test_ongoing_tasks_are_judged_by_freshness(today, latest, expected):
    assert health(today, latest, deadline_end=None, ongoing=True) == expected


def test_ongoing_tasks_are_never_overdue_or_done():
    latest = report(date(2030, 1, 1), "done", 100)
    assert health(date(2030, 1, 10), latest, deadline_end=None, ongoing=True) \
        == TaskHealth.ON_TRACK
