"""Beat schedules live in the database (django-celery-beat), editable in the admin. Each app
lists its defaults in ``<app>/schedules.py`` as ``SCHEDULES``; ``ensure_schedules`` creates the
missing ones and never overwrites what an administrator changed."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.workstreams import app_modules


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every_seconds: int | None = None
    crontab: str | None = None  # "minute hour day_of_month month_of_year day_of_week"
    kwargs: str = "{}"


SCHEDULES = [
    Schedule(name="Worker heartbeat", task="zhuao.heartbeat", every_seconds=60),
    Schedule(name="Publish jobs stored while the broker was down", task="zhuao.outbox_sweep",
             every_seconds=60),
    Schedule(name="Seal new audit rows into the audit chain", task="zhuao.audit_seal",
             every_seconds=60),
    Schedule(name="Make the coming months' audit partitions", task="core.audit_partitions",
             crontab="15 1 * * *"),
    Schedule(name="Retention: anonymise personal data past its period",
             task="zhuao.retention_apply", crontab="30 2 * * *"),
]


def all_schedules() -> list[Schedule]:
    return [schedule for module in app_modules("schedules")
            for schedule in getattr(module, "SCHEDULES", [])]


def ensure_schedules() -> int:
    created = 0
    for schedule in all_schedules():
        if PeriodicTask.objects.filter(name=schedule.name).exists():
            continue
        fields = {"name": schedule.name, "task": schedule.task, "kwargs": schedule.kwargs}
        if schedule.every_seconds:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=schedule.every_seconds, period=IntervalSchedule.SECONDS)
        else:
            minute, hour, day, month, weekday = schedule.crontab.split()
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_month=day, month_of_year=month,
                day_of_week=weekday, timezone=settings.TIME_ZONE)
        PeriodicTask.objects.create(**fields)
        created += 1
    return created
