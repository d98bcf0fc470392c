"""Home-page panel: the pilot tasks of the user's unit that are at risk or overdue. Their health
is computed from every task's reports; it is kept for FIGURES_CACHE_SECONDS like the other
figures, per plan and unit, since every officer of a unit sees the same tasks."""
from django.utils.translation import gettext_lazy as _

from core.cache import cached_figures, figures_source
from core.roles import Role, has_role
from core.work import WorkSource
from web.navigation import Panel

from .models import Plan, ReportStatus, ReviewStatus, Task
from .permissions import OVERSIGHT_ROLES, REPORTING_ROLES
from .selectors import (
    current_plan,
    pilot_report_visible_to,
    progress_report_visible_to,
    tasks_with_health,
    user_agency,
)
from .status import BADGES, TaskHealth

NEEDING_ATTENTION = (TaskHealth.AT_RISK, TaskHealth.OVERDUE)


@figures_source
def _tasks_needing_attention(*, plan: int, agency: int | None) -> list[dict]:
    """The plan's tasks (of ``agency``'s units, or all) at risk or overdue, as plain values."""
    queryset = None if agency is None else Task.objects.filter(units__agency_id=agency).distinct()
    return [{"id": task.pk, "number": task.number, "key_points": task.key_points,
             "is_ongoing": task.is_ongoing, "deadline": task.deadline,
             "health": task.health.value}
            for task in tasks_with_health(Plan.objects.get(pk=plan), queryset=queryset)
            if task.health in NEEDING_ATTENTION]


def panels(request) -> list[Panel]:
    user = request.user
    agency = user_agency(user)
    if agency is None or not has_role(user, *REPORTING_ROLES, *OVERSIGHT_ROLES):
        return []
    plan = current_plan(user)
    if plan is None:
        return []
    everything = has_role(user, Role.CITY, Role.LEADERSHIP)
    rows = cached_figures("pilot-home", _tasks_needing_attention, plan=plan.pk,
                          agency=None if everything else agency.pk)
    if not rows and not everything:
        return []
    tasks = []
    for row in rows[:8]:
        task = Task(id=row["id"], number=row["number"], key_points=row["key_points"],
                    is_ongoing=row["is_ongoing"], deadline=row["deadline"])
        task.health = TaskHealth(row["health"])
        task.badge = BADGES[task.health]
        tasks.append(task)
    return [Panel(title=_("Pilot tasks needing attention"), template="pilot/home_panel.html",
                  context={"tasks": tasks, "count": len(rows)}, order=60)]


def work_sources(user, *, since) -> list:
    """For the city bureau: progress reports awaiting review; for the leadership: work
    reports produced since their last visit."""
    sources = []
    if has_role(user, Role.CITY):
        sources.append(WorkSource("pilot.progress_to_review", _("Progress report to review"),
                                  progress_report_visible_to(user).filter(
                                      review_status=ReviewStatus.PENDING),
                                  "pilot:progress_detail", reference="pk",
                                  reference_prefix="#"))
    if has_role(user, Role.LEADERSHIP):
        sources.append(WorkSource("pilot.report_to_read", _("Pilot work report to read"),
                                  pilot_report_visible_to(user).filter(
                                      status=ReportStatus.DONE, generated_at__gte=since),
                                  "pilot:report_detail", reference="pk",
                                  reference_prefix="#"))
    return sources
