from .roles import Role

ROLE_PERMISSIONS = {
    Role.ADMIN: {
        "zhuao.view_agency", "zhuao.add_agency", "zhuao.change_agency",
        "zhuao.view_staffprofile", "zhuao.add_staffprofile", "zhuao.change_staffprofile",
        "zhuao.view_auditevent",
        "zhuao.view_liaisonassignment", "zhuao.add_liaisonassignment",
        "zhuao.change_liaisonassignment",
        "zhuao.view_workingdayoverride", "zhuao.add_workingdayoverride",
        "zhuao.change_workingdayoverride", "zhuao.delete_workingdayoverride",
        "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group",
        "django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule", "django_celery_beat.add_crontabschedule",
        "django_celery_beat.view_intervalschedule", "django_celery_beat.add_intervalschedule",
    },
    Role.CITY: {
        "zhuao.view_agency", "zhuao.view_liaisonassignment", "zhuao.add_liaisonassignment",
        "zhuao.change_liaisonassignment",
    },
}
