"""Heavy jobs of information sharing for ``manage.py bench`` (run in a rolled-back
transaction): the monthly bulletin production for every bulletin agency."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhuao.benchmark import BenchJob


def bulletins() -> int:
    from .services import bulletin_produce, bulletin_recipient_agencies

    today = timezone.localdate()
    start = today.replace(day=1)  # this month: no bulletin exists for it yet
    made = 0
    for agency in bulletin_recipient_agencies():
        bulletin, created = bulletin_produce(agency=agency, period_start=start,
                                             period_end=max(start, today - timedelta(days=1)))
        made += bool(created)
    return made


JOBS = [BenchJob("infosharing: bulletins for all agencies", bulletins)]
