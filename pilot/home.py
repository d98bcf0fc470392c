"""Home-page panel: the pilot tasks of the user's unit that are at risk or overdue."""
from django.utils.translation import gettext_lazy as _

from zhuao.navigation import Panel
from zhuao.roles import Role, has_role
from zhuao.visibility import user_agency

from .selectors import OVERSIGHT_ROLES, REPORTING_ROLES, current_plan, tasks_with_health
from .status import BADGES, TaskHealth


def panels(request) -> list[Panel]:
    user = request.user
    agency = user_agency(user)
    if agency is None or not has_role(user, *REPORTING_ROLES, *OVERSIGHT_ROLES):
        return []
    plan = current_plan(user)
    if plan is None:
        return []
    queryset = None
    if not has_role(user, Role.CITY, Role.LEADERSHIP):
        from .models import Task

        queryset = Task.objects.filter(units__agency=agency).distinct()
    tasks = [task for task in tasks_with_health(plan, queryset=queryset)
             if task.health in (TaskHealth.AT_RISK, TaskHealth.OVERDUE)]
    if not tasks and not has_role(user, Role.CITY, Role.LEADERSHIP):
        return []
    for task in tasks:
        task.badge = BADGES[task.health]
    return [Panel(title=_("Pilot tasks needing attention"), template="pilot/home_panel.html",
                  context={"tasks": tasks[:8], "count": len(tasks)}, order=60)]
