"""Who may do what among the shared pages, and the Django admin's model permissions.

Each app's ``permissions.py`` is the one place that names its roles' rights: the role sets
below are what services, selectors, views, lists and the API check (``has_role``,
``role_required``, ``roles_allowed``); a test refuses a role set declared anywhere else
(``tests/zhuao/test_one_permission_truth.py``). ``ADMIN_SITE_PERMISSIONS`` are the model
permissions of the Django admin, the only reader of model permissions: it is used by the
system and the security administrator alone (the only roles with ``is_staff``), so no other
role is declared there."""
from importlib import import_module

from core.roles import Role

#: The system administrator: accounts, agencies, calendars, schedules; not the audit trail
#: (the audit administrator's) nor roles (the security administrator's). The security
#: administrator: roles and account status in the admin's user pages (lockouts, sign-outs and
#: every user's API tokens are in the application's own pages, core.views).
ADMIN_SITE_PERMISSIONS = {
    Role.ADMIN: {
        "zhuao.view_agency", "zhuao.add_agency", "zhuao.change_agency",
        "zhuao.view_staffprofile", "zhuao.add_staffprofile", "zhuao.change_staffprofile",
        "zhuao.view_liaisonassignment", "zhuao.add_liaisonassignment",
        "zhuao.change_liaisonassignment",
        "zhuao.view_workingdayoverride", "zhuao.add_workingdayoverride",
        "zhuao.change_workingdayoverride", "zhuao.delete_workingdayoverride",
        "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group",
        "django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule", "django_celery_beat.add_crontabschedule",
        "django_celery_beat.view_intervalschedule", "django_celery_beat.add_intervalschedule",
    },
    Role.SECURITY_ADMIN: {"auth.view_user", "auth.change_user", "auth.view_group"},
}

#: Hand an officer's open work to a colleague (core.handover).
HANDOVER_ROLES = (Role.CITY, Role.DISTRICT)


def roles_named(dotted: str):
    """The role set ``"<app>.<NAME>"`` declared in that app's permissions module (templates
    name it: ``{% if user|may:"infosharing.WORKING_ROLES" %}``)."""
    app, name = dotted.split(".")
    return getattr(import_module(f"{app}.permissions"), name)
