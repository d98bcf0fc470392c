"""Reads of the pilot plan, and the one place deciding who sees what.

- Plans, stages and tasks are the content of a publicly released notice (公开方式：主动公开): every
  staff member with an agency may read them.
- Progress reports: city officers and leadership see all; the reporting agency its own; district
  officers those of their district; the lead unit of a task those on its task.
- The dashboard and the pilot reports (aggregates): city officers and leadership only.
"""
from __future__ import annotations

from datetime import date

from django.db.models import (BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet,
                              Subquery)
from django.utils import timezone

from zhuao.db import load_related
from zhuao.roles import Role, has_role
from zhuao.visibility import fetch_or_404, scope, user_agency

from .models import (PilotReport, Plan, ProgressReport, ReviewStatus, Task, TaskUnit,
                     UnitRole)
from .status import LatestReport, TaskHealth, task_health

#: Roles that see the dashboard, all progress reports and the pilot reports.
OVERSIGHT_ROLES = (Role.CITY, Role.LEADERSHIP)
#: Roles that may write progress reports (for the tasks their agency is responsible for).
REPORTING_ROLES = (Role.CITY, Role.DISTRICT, Role.FINANCE, Role.FINWORK, Role.NGO)


def plan_visible_to(user) -> QuerySet[Plan]:
    if user_agency(user) is None:
        return Plan.objects.none()
    return Plan.objects.all()


def get_plan_for(user, pk, *, action: str = "view") -> Plan:
    return fetch_or_404(plan_visible_to(user), pk, user=user, action=action)


def current_plan(user=None, *, today: date | None = None) -> Plan | None:
    """The plan running on ``today``, else the latest one."""
    plans = plan_visible_to(user) if user is not None else Plan.objects.all()
    today = today or timezone.localdate()
    running = Q(starts_on__lte=today, ends_on__gte=today)
    return plans.alias(running=ExpressionWrapper(running, output_field=BooleanField())).order_by(
        "-running", "-year").first()


def task_visible_to(user) -> QuerySet[Task]:
    if user_agency(user) is None:
        return Task.objects.none()
    return Task.objects.all()


def get_task_for(user, pk, *, action: str = "view") -> Task:
    return fetch_or_404(task_visible_to(user).select_related("plan", "stage"), pk, user=user,
                        action=action)


def can_report_on(user, task: Task) -> bool:
    """City officers on every task; other reporting roles where their agency is responsible."""
    agency = user_agency(user)
    if agency is None or not has_role(user, *REPORTING_ROLES):
        return False
    if has_role(user, Role.CITY):
        return True
    return TaskUnit.objects.filter(task=task, agency=agency).exists()


def tasks_for_agency(agency) -> QuerySet[Task]:
    return Task.objects.filter(units__agency=agency).distinct()


def progress_report_visible_to(user) -> QuerySet[ProgressReport]:
    agency = user_agency(user)
    extra = None
    if agency is not None:
        # the tasks it leads, as a subquery: a join to the units would repeat a report once per
        # unit and need a DISTINCT, which compares every column of every row (narratives)
        led = TaskUnit.objects.filter(agency=agency, role=UnitRole.LEAD).values("task_id")
        extra = Q(task__in=led)
    return scope(ProgressReport.objects.all(), user, citywide_roles=OVERSIGHT_ROLES,
                 owner_field="agency", district_field="district", extra=extra)


def get_progress_report_for(user, pk, *, action: str = "view") -> ProgressReport:
    visible = progress_report_visible_to(user).select_related("task", "task__plan", "agency")
    report = fetch_or_404(visible, pk, user=user, action=action)
    load_related(report, "reported_by", "reviewed_by")  # joined, they double the planning
    return report


def pilot_report_visible_to(user) -> QuerySet[PilotReport]:
    if user_agency(user) is None or not has_role(user, *OVERSIGHT_ROLES):
        return PilotReport.objects.none()
    return PilotReport.objects.select_related("plan", "requested_by")


def get_pilot_report_for(user, pk, *, action: str = "view") -> PilotReport:
    return fetch_or_404(pilot_report_visible_to(user), pk, user=user, action=action)


# --- computed status ------------------------------------------------------------------------

def with_latest_reports(tasks: QuerySet[Task], *, until: date | None = None) -> QuerySet[Task]:
    """Annotate each task with its latest counted progress report (returned ones don't count)."""
    reports = ProgressReport.objects.filter(task=OuterRef("pk")).exclude(
        review_status=ReviewStatus.RETURNED)
    if until is not None:
        reports = reports.filter(reported_on__lte=until)
    reports = reports.order_by("-reported_on", "-id")
    return tasks.annotate(
        latest_on=Subquery(reports.values("reported_on")[:1]),
        latest_status=Subquery(reports.values("status")[:1]),
        latest_percent=Subquery(reports.values("percent")[:1]),
        latest_narrative=Subquery(reports.values("narrative")[:1]),
    )


def health_of(task: Task, *, today: date) -> TaskHealth:
    latest = None
    if getattr(task, "latest_on", None) is not None:
        latest = LatestReport(reported_on=task.latest_on, status=task.latest_status,
                              percent=task.latest_percent or 0)
    return task_health(today=today, deadline_end=task.deadline_end, is_ongoing=task.is_ongoing,
                       latest=latest, plan_starts_on=task.plan.starts_on)


def tasks_with_health(plan: Plan, *, today: date | None = None,
                      queryset: QuerySet[Task] | None = None) -> list[Task]:
    """The plan's tasks, each with ``health`` (TaskHealth) and ``latest_*``; a fixed number of
    queries whatever the number of reports."""
    today = today or timezone.localdate()
    tasks = (queryset if queryset is not None else Task.objects.all()).filter(plan=plan)
    tasks = with_latest_reports(tasks.select_related("plan", "stage"), until=today)
    tasks = tasks.prefetch_related(Prefetch("units", queryset=TaskUnit.objects.select_related(
        "agency")))
    rows = list(tasks.order_by("number"))
    for task in rows:
        task.health = health_of(task, today=today)
    return rows


def task_health_for(task: Task, *, today: date | None = None) -> TaskHealth:
    today = today or timezone.localdate()
    annotated = with_latest_reports(Task.objects.filter(pk=task.pk).select_related("plan"),
                                until=today).get()
    return health_of(annotated, today=today)
