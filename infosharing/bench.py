"""Heavy jobs of information sharing for ``manage.py bench`` (run in a rolled-back
transaction): the monthly two-way bulletin, opened, written by each side (its counts computed)
and published to every recipient agency."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from devtools.benchmark import BenchJob

from .models import Bulletin
from .permissions import BULLETIN_WRITER_ROLES
from .services import _agency_officers, bulletin_open, bulletin_section_save


def bulletins() -> int:
    today = timezone.localdate()
    start = today.replace(day=1)  # this month: no bulletin exists for it yet
    bulletin, _created = bulletin_open(period_start=start,
                                       period_end=max(start, today - timedelta(days=1)))
    for section in list(bulletin.sections.select_related("agency")):
        writer = next((user for user in _agency_officers(section.agency)
                       if user.groups.filter(name=BULLETIN_WRITER_ROLES[section.side]).exists()),
                      None)
        if writer is not None:
            bulletin_section_save(actor=writer, bulletin=bulletin, side=section.side,
                                  common_concern="")
    bulletin.refresh_from_db()
    return Bulletin.objects.filter(pk=bulletin.pk).count() + bulletin.recipients.count()


JOBS = [BenchJob("infosharing: the monthly two-way bulletin", bulletins)]
