from core.schedules import Schedule

SCHEDULES = [
    Schedule(name="Cases: remind owners of overdue action items",
             task="cases.remind_overdue_action_items", crontab="0 8 * * *"),
    Schedule(name="Cases: find possible duplicates in the whole register",
             task="cases.scan_possible_duplicates", crontab="30 2 * * *"),
    Schedule(name="Cases: generate the recurring meetings' next occurrences",
             task="cases.generate_meeting_occurrences", crontab="15 1 * * *"),
    Schedule(name="Cases: remind participants of tomorrow's meetings",
             task="cases.remind_meetings_tomorrow", crontab="0 9 * * *"),
    Schedule(name="Cases: remind the secretariat of minutes due",
             task="cases.remind_minutes_due", crontab="30 8 * * *"),
]
