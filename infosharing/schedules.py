"""Default beat schedules (editable in the admin afterwards)."""
from core.schedules import Schedule

from . import conf

SCHEDULES = [
    # On the first of each month at 08:00: last month's bulletin opens for the sides' sections.
    Schedule(name="Infosharing: monthly bulletins", task="infosharing.bulletins_produce",
             crontab="0 8 1 * *"),
    # Every morning: publish the bulletins whose deadline has passed, missing sections named.
    Schedule(name="Infosharing: publish bulletins past their deadline",
             task="infosharing.bulletins_publish_due", crontab="15 8 * * *"),
    Schedule(name="Infosharing: overdue verification reminders",
             task="infosharing.verification_overdue_remind", crontab="30 8 * * *"),
    Schedule(name="Infosharing: urgent notification escalation sweep",
             task="infosharing.urgent_escalation_sweep",
             every_seconds=conf.urgent_escalation_check_seconds()),
]
