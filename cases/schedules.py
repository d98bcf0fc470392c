from zhuao.schedules import Schedule

SCHEDULES = [
    Schedule(name="Cases: remind owners of overdue action items",
             task="cases.remind_overdue_action_items", crontab="0 8 * * *"),
    Schedule(name="Cases: find possible duplicates in the whole register",
             task="cases.scan_possible_duplicates", crontab="30 2 * * *"),
]
