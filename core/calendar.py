"""The working-day calendars of the two sides: every SLA, reminder and "overdue" counts the
working days of the side that must act.

- **Mainland** (Zhuhai, Hengqin, the partner organisations and bank): Monday to Friday, less the
  public holidays, plus the make-up working days of 调休 (a Saturday or Sunday worked in
  exchange for a bridge day off), from ``holidays.China``.
- **Macau**: Monday to Friday, less the public holidays and the government holidays (the days
  the public service is closed: compensatory rest days, Christmas, the afternoons of Chinese New
  Year's Eve and New Year's Eve), from ``holidays.Macau``. A half day off counts as a day off: a
  deadline on it would fall after the office closed.

Each side's ``WorkingDayOverride`` rows, edited by an administrator, win over the package: the
next year's 调休 announced after the installed release, a typhoon closure. ``add_working_days``
and ``working_days_between`` read the overrides once per calendar year they touch."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import Agency, CalendarSide, Side, WorkingDayOverride


def calendar_side(side) -> str:
    """The calendar (``CalendarSide``) of an agency, of an agency side (``Side``) or of a
    calendar side itself: Macau's own for Macau, the mainland's for everyone else."""
    if isinstance(side, Agency):
        side = side.side
    if side == CalendarSide.MACAU:
        return CalendarSide.MACAU
    if side == CalendarSide.MAINLAND or side in Side.values:
        return CalendarSide.MAINLAND
    raise ValueError(f"unknown side {side!r}")


def agency_sides(side) -> list[str]:
    """The agency sides (``Side``) that work on ``side``'s calendar, to filter agencies by."""
    wanted = calendar_side(side)
    return [value for value in Side.values if calendar_side(value) == wanted]


def agency_sides_closed_on(day: date) -> list[str]:
    """The agency sides (``Side``) for which ``day`` is not a working day: a daily reminder
    leaves their agencies out and reaches them on their next working day."""
    return [side for calendar in CalendarSide.values if not is_working_day(day, calendar)
            for side in agency_sides(calendar)]


@lru_cache(maxsize=64)
def _package_year(side: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) of ``year`` by the ``holidays`` package (imported here:
    it costs a tenth of a second, which a process that counts no working days need not pay)."""
    import holidays
    from holidays.constants import GOVERNMENT, PUBLIC

    if side == CalendarSide.MACAU:
        days_off = holidays.Macau(years=year, categories=(PUBLIC, GOVERNMENT))
        return frozenset(days_off), frozenset()
    days_off = holidays.China(years=year, categories=(PUBLIC,))
    worked = frozenset(day for day in days_off.weekend_workdays if day.year == year)
    return frozenset(days_off), worked


class _Calendar:
    """One side's calendar for the length of one computation (overrides read per year)."""

    def __init__(self, side) -> None:
        self.side = calendar_side(side)
        self._years: dict[int, tuple[dict[date, bool], frozenset[date], frozenset[date]]] = {}

    def _year(self, year: int):
        known = self._years.get(year)
        if known is None:
            overrides = dict(WorkingDayOverride.objects.filter(side=self.side, day__year=year)
                             .values_list("day", "is_working_day"))
            known = self._years[year] = (overrides, *_package_year(self.side, year))
        return known

    def is_working_day(self, day: date) -> bool:
        overrides, days_off, weekend_worked = self._year(day.year)
        if day in overrides:
            return overrides[day]
        if day in weekend_worked:
            return True
        return day.weekday() < 5 and day not in days_off


def is_working_day(day: date, side) -> bool:
    """Whether ``side`` (a ``CalendarSide``, an agency's ``Side`` or an ``Agency``) works on
    ``day``."""
    return _Calendar(side).is_working_day(day)


def add_working_days(start: date, days: int, side) -> date:
    """The day ``days`` working days of ``side`` after ``start`` (``start`` itself does not
    count, so a request sent on a holiday still has its full ``days``)."""
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = _Calendar(side)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, side) -> int:
    """How many working days of ``side`` follow ``start`` up to and including ``end`` (negative
    when ``end`` is before ``start``): ``working_days_between(start, add_working_days(start, n,
    side), side) == n``."""
    if end < start:
        return -working_days_between(end, start, side)
    calendar = _Calendar(side)
    return sum(1 for offset in range(1, (end - start).days + 1)
               if calendar.is_working_day(start + timedelta(days=offset)))


# ------------------------------------------------------------------ the overrides' writes

def _override_values(override: WorkingDayOverride) -> dict:
    return {"day": override.day.isoformat(), "side": override.side,
            "is_working_day": override.is_working_day, "note": override.note}


@transaction.atomic
def working_day_override_save(*, actor, override: WorkingDayOverride) -> WorkingDayOverride:
    """Add or change one override (the administrator's page): checked, saved and audited with
    its values and, for a change, the previous value of each changed field."""
    before = None
    if override.pk is not None:
        stored = WorkingDayOverride.objects.select_for_update().filter(pk=override.pk).first()
        before = _override_values(stored) if stored is not None else None
    override.full_clean()
    override.save()
    after = _override_values(override)
    changes = dict(after)
    if before is not None:
        changes.update({f"previous_{field}": value for field, value in before.items()
                        if after[field] != value})
    audit_record(actor=actor, obj=override, changes=changes,
                 action="workingdayoverride.change" if before else "workingdayoverride.add")
    return override


@transaction.atomic
def working_day_override_delete(*, actor, override: WorkingDayOverride) -> None:
    """Remove one override: the package's calendar applies to the day again. Audited."""
    audit_record(actor=actor, obj=override, action="workingdayoverride.delete",
                 changes=_override_values(override))
    override.delete()


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes [start 00:00, end+1 00:00) in the project's time zone."""
    zone = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, zone),
            datetime.combine(end + timedelta(days=1), time.min, zone))
