"""Helpers for pilot tests."""
from datetime import date

from pilot.models import Plan, ProgressStatus, Task
from pilot.services import plan_link_agencies, progress_report_submit


def plan_2021() -> Plan:
    plan_link_agencies()
    return Plan.objects.get(year=2021)


def task(number: int) -> Task:
    return Task.objects.get(plan__year=2021, number=number)


def report(user, number, *, day=date(2022, 6, 1), status=ProgressStatus.IN_PROGRESS, percent=50,
           narrative="进展顺利"):
    return progress_report_submit(actor=user, task=task(number), reported_on=day, status=status,
                                  percent=percent, narrative=narrative)
