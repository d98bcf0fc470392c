from core.schedules import Schedule

SCHEDULES = [
    Schedule(name="Partners: expiring social-worker registrations",
             task="partners.notify_expiring_registrations", crontab="0 8 * * *"),
]
