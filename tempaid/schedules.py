from core.schedules import Schedule

SCHEDULES = [
    Schedule(name="Temporary relief: flag overdue fast-track paperwork",
             task="tempaid.flag_overdue_paperwork", crontab="30 7 * * *"),
]
