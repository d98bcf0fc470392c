from core.schedules import Schedule

SCHEDULES = [
    # Every morning: a week before a deadline, and when a task turns overdue.
    Schedule(name="Pilot task reminders", task="pilot.send_reminders", crontab="0 8 * * *"),
    # 31 December, 18:00: the pilot report (试点工作报告) of the plan summed up that December.
    Schedule(name="Pilot year-end report", task="pilot.year_end_report", crontab="0 18 31 12 *"),
]
