"""Aggregates for the pilot dashboard: counts only, no personal data, a fixed number of
queries (four) whatever the data."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import (
    ACTION_ITEM_ACTIVE_STATUSES,
    ActionItem,
    ActionItemStatus,
    Case,
    CaseStatus,
    Meeting,
    MeetingStatus,
)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def figures(*, start, end, district=None) -> dict:
    """Figures for the period ``start``..``end`` (dates, both included; datetimes are reduced
    to their local date).

    - ``cases_total``: cases opened in the period; ``cases_open``: of those, not closed now;
      ``cases_by_district``: cases opened in the period per district code ("" = none).
    - ``meetings_held``: meetings held in the period.
    - ``action_items_total``: action items due in the period; ``action_items_closed_on_time``:
      of those, done on or before the due date; ``action_items_overdue``: of those, still open
      after their due date (as of today).
    ``district`` limits cases to that district and action items to agencies of that district.
    """
    if isinstance(start, datetime):
        start = timezone.localdate(start) if timezone.is_aware(start) else start.date()
    if isinstance(end, datetime):
        end = timezone.localdate(end) if timezone.is_aware(end) else end.date()
    since, until = _start_of(start), _start_of(end + timedelta(days=1))
    cases = Case.objects.filter(opened_at__gte=since, opened_at__lt=until)
    if district:
        cases = cases.filter(district=district)
    case_counts = cases.aggregate(total=Count("id"),
                                  open=Count("id", filter=~Q(status=CaseStatus.CLOSED)))
    by_district = {row["district"]: row["count"] for row in
                   cases.order_by().values("district").annotate(count=Count("id"))}
    meetings_held = Meeting.objects.filter(status=MeetingStatus.HELD, starts_at__gte=since,
                                           starts_at__lt=until).count()
    actions = ActionItem.objects.filter(due_date__gte=start, due_date__lte=end)
    if district:
        actions = actions.filter(owner_agency__district=district)
    today = timezone.localdate()
    action_counts = actions.aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(status=ActionItemStatus.DONE,
                                     completed_at__date__lte=F("due_date"))),
        overdue=Count("id", filter=Q(status__in=ACTION_ITEM_ACTIVE_STATUSES,
                                     due_date__lt=today)),
    )
    return {
        "cases_total": case_counts["total"],
        "cases_open": case_counts["open"],
        "cases_by_district": by_district,
        "meetings_held": meetings_held,
        "action_items_total": action_counts["total"],
        "action_items_closed_on_time": action_counts["on_time"],
        "action_items_overdue": action_counts["overdue"],
    }
