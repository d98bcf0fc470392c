from .roles import Role

#: The system administrator: accounts, agencies, calendars, schedules; not the audit trail
#: (the audit administrator's) nor roles (the security administrator's).
ROLE_PERMISSIONS = {
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
    # Roles and account status in the admin's user pages; lockouts, sign-outs and every
    # user's API tokens in the application's own pages (zhuao.views).
    Role.SECURITY_ADMIN: {"auth.view_user", "auth.change_user", "auth.view_group"},
    # The audit trail, through the application's own search page and its export.
    Role.AUDIT_ADMIN: {"zhuao.view_auditevent"},
    Role.CITY: {
        "zhuao.view_agency", "zhuao.view_liaisonassignment", "zhuao.add_liaisonassignment",
        "zhuao.change_liaisonassignment",
    },
}
