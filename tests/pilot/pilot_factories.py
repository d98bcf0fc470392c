"""Helpers for pilot tests."""
from datetime import date

from pilot.models import Plan, ProgressStatus, Task
from pilot.services import plan_2021_ensure, plan_link_agencies, progress_report_submit


def plan_2021() -> Plan:
    """The plan the data migration loads (reloaded if a transactional test emptied the tables)."""
    plan = plan_2021_ensure()
    plan_link_agencies()
    return plan


def task(number: int) -> Task:
    return Task.objects.get(plan__year=2021, number=number)


def report(user, number, *, day=date(2022, 6, 1), status=ProgressStatus.IN_PROGRESS, percent=50,
           narrative="进展顺利"):
    return progress_report_submit(actor=user, task=task(number), reported_on=day, status=status,
                                  percent=percent, narrative=narrative)
