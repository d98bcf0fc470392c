"""Reads of the pilot plan, and the one place deciding who sees what.

- Plans, stages and tasks are the content of a publicly released notice (公开方式：主动公开): every
  staff member with an agency may read them.
- Progress reports: city officers and leadership see all; the reporting agency its own; district
  officers those of their district; the lead unit of a task those on its task.
- The dashboard and the pilot reports (aggregates): city officers and leadership only.
"""
from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from core.db import load_related
from core.roles import STAFF_ROLES, Role, has_role
from core.visibility import fetch_or_404, scope
from core.visibility import user_agency as _agency_of

from .models import PilotReport, Plan, ProgressReport, ReviewStatus, Task, TaskUnit, UnitRole
from .permissions import OVERSIGHT_ROLES, REPORTING_ROLES
from .status import LatestReport, TaskHealth, combine_units, task_health


def user_agency(user):
    """The pilot's readers are the staff of an agency; the security and the audit
    administrator, whose duty is not the pilot's work, read none of it."""
    return _agency_of(user) if has_role(user, *STAFF_ROLES) else None




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

def _units_of(tasks: list[Task]) -> dict[int, set[int]]:
    """Each task's responsible agencies (from the prefetched units when the caller has them)."""
    units: dict[int, set[int]] = {task.pk: set() for task in tasks}
    if all("units" in getattr(task, "_prefetched_objects_cache", {}) for task in tasks):
        for task in tasks:
            units[task.pk] = {unit.agency_id for unit in task.units.all()}
        return units
    for task_id, agency_id in TaskUnit.objects.filter(task__in=[task.pk for task in tasks]) \
            .values_list("task_id", "agency_id"):
        units[task_id].add(agency_id)
    return units


def attach_health(tasks: list[Task], *, today: date) -> list[Task]:
    """The one place a task's status is computed (dashboard, pages, API, reminders, report).

    Sets ``health`` and ``latest_on/status/percent/narrative`` on each task from each responsible
    unit's latest **accepted** report (and latest pending one, for "awaiting review"); returned
    reports never count. Two queries whatever the number of tasks and reports: the units, and
    one row per (task, unit, review state) by PostgreSQL's DISTINCT ON."""
    tasks = list(tasks)
    if not tasks:
        return tasks
    units = _units_of(tasks)
    accepted: dict[int, dict] = {task.pk: {} for task in tasks}
    pending: dict[int, dict] = {task.pk: {} for task in tasks}
    rows = (ProgressReport.objects
            .filter(task__in=[task.pk for task in tasks], reported_on__lte=today,
                    review_status__in=[ReviewStatus.ACCEPTED, ReviewStatus.PENDING])
            .order_by("task_id", "agency_id", "review_status", "-reported_on", "-id")
            .values_list("task_id", "agency_id", "review_status", "reported_on", "status",
                         "percent", "narrative"))
    if connection.features.can_distinct_on_fields:
        rows = rows.distinct("task_id", "agency_id", "review_status")
    for task_id, agency_id, review, reported_on, status, percent, narrative in rows:
        into = accepted if review == ReviewStatus.ACCEPTED else pending
        if agency_id in into[task_id]:  # SQLite (no DISTINCT ON): the latest came first
            continue
        into[task_id][agency_id] = (LatestReport(reported_on=reported_on, status=status,
                                                 percent=percent or 0), narrative)
    for task in tasks:
        summary = combine_units(units=units[task.pk], accepted=accepted[task.pk],
                                pending=pending[task.pk])
        latest = summary.latest
        task.latest_on = latest.reported_on if latest else None
        task.latest_status = latest.status if latest else None
        task.latest_percent = latest.percent if latest else None
        task.latest_narrative = summary.latest_narrative
        task.awaiting_review = summary.awaiting_review
        task.health = task_health(today=today, deadline_end=task.deadline_end,
                                  is_ongoing=task.is_ongoing, latest=latest,
                                  plan_starts_on=task.plan.starts_on, is_done=summary.is_done,
                                  awaiting_review=summary.awaiting_review)
    return tasks


def tasks_with_health(plan: Plan, *, today: date | None = None,
                      queryset: QuerySet[Task] | None = None) -> list[Task]:
    """The plan's tasks, each with ``health`` (TaskHealth) and ``latest_*``; a fixed number of
    queries whatever the number of reports."""
    today = today or timezone.localdate()
    tasks = (queryset if queryset is not None else Task.objects.all()).filter(plan=plan)
    tasks = tasks.select_related("plan", "stage").prefetch_related(
        Prefetch("units", queryset=TaskUnit.objects.select_related("agency")))
    return attach_health(tasks.order_by("number"), today=today)


def task_health_for(task: Task, *, today: date | None = None) -> TaskHealth:
    today = today or timezone.localdate()
    return attach_health([task], today=today)[0].health
