from zhuao.roles import Role

_READ = {"pilot.view_plan", "pilot.view_stage", "pilot.view_task", "pilot.view_taskunit"}
_REPORT = _READ | {"pilot.view_progressreport", "pilot.add_progressreport",
                   "pilot.view_progressevidence", "pilot.add_progressevidence"}

ROLE_PERMISSIONS = {
    Role.CITY: _REPORT | {
        "pilot.add_plan", "pilot.change_plan", "pilot.add_stage", "pilot.change_stage",
        "pilot.add_task", "pilot.change_task", "pilot.change_progressreport",
        "pilot.view_pilotreport", "pilot.add_pilotreport", "pilot.view_taskreminder"},
    Role.LEADERSHIP: _READ | {"pilot.view_progressreport", "pilot.view_pilotreport",
                              "pilot.add_pilotreport"},
    Role.DISTRICT: _REPORT,
    Role.FINANCE: _REPORT,
    Role.FINWORK: _REPORT,
    Role.NGO: _REPORT,
    Role.ADMIN: _READ | {"pilot.view_taskreminder", "pilot.view_pilotreport"},
}
