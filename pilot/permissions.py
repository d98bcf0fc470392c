"""Who may do what in the pilot plan (see core/permissions.py for the rule)."""
from core.roles import Role

#: The system administrator reads the plan and its reports in the Django admin.
ADMIN_SITE_PERMISSIONS = {
    Role.ADMIN: {"pilot.view_plan", "pilot.view_stage", "pilot.view_task", "pilot.view_taskunit",
                 "pilot.view_taskreminder", "pilot.view_pilotreport"},
}

#: The dashboard, all progress reports and the pilot reports.
OVERSIGHT_ROLES = (Role.CITY, Role.LEADERSHIP)
#: Who writes progress reports (for the tasks their agency is responsible for).
REPORTING_ROLES = (Role.CITY, Role.DISTRICT, Role.FINANCE, Role.FINWORK, Role.NGO)
