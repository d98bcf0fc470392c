"""Aggregates for the pilot dashboard and other workstreams. No personal data; a fixed number
of queries whatever the number of rows (four)."""
from __future__ import annotations

from datetime import date
from statistics import median

from django.db.models import Count, F, Q
from django.utils import timezone

from core.calendar import period_bounds

from .models import Bulletin, BulletinRecipient, RequestStatus, UrgentRecipient, VerificationRequest


def figures(*, start: date, end: date, district: str | None = None) -> dict:
    """Figures for [start, end] (dates, inclusive), optionally for one district.

    - ``bulletins_sent``: bulletins published in the period (with ``district``, those the
      district's bureau received);
    - ``urgent_total``: urgent notifications reported in the period; ``urgent_recipients``
      the (notification, agency) deliveries; ``urgent_acknowledged_in_time`` those deliveries
      acknowledged before their deadline;
    - ``verification_requests_total``: requests sent in the period; ``verification_answered``
      of those, answered; ``verification_median_days_to_answer`` (days, one decimal, None if
      none answered) and ``verification_answered_within_due_share`` (0..1, None if none).
    """
    since, until = period_bounds(start, end)

    bulletins = Bulletin.objects.filter(published_at__gte=since, published_at__lt=until)
    if district:
        bulletins = bulletins.filter(pk__in=BulletinRecipient.objects.filter(
            agency__district=district).values("bulletin_id"))

    urgent = UrgentRecipient.objects.filter(notification__created_at__gte=since,
                                            notification__created_at__lt=until)
    if district:
        urgent = urgent.filter(notification__district=district)
    urgent_figures = urgent.aggregate(
        notifications=Count("notification", distinct=True), recipients=Count("id"),
        in_time=Count("id", filter=Q(acknowledged_at__isnull=False,
                                     acknowledged_at__lte=F("ack_due_at"))))

    requests = VerificationRequest.objects.filter(sent_at__gte=since, sent_at__lt=until)
    if district:
        requests = requests.filter(district=district)
    answered_states = [RequestStatus.ANSWERED, RequestStatus.CLOSED]
    request_figures = requests.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(status__in=answered_states, answered_at__isnull=False)))
    durations = list(requests.filter(status__in=answered_states, answered_at__isnull=False)
                     .values_list("sent_at", "answered_at", "due_date"))
    days = [(answered - sent).total_seconds() / 86400 for sent, answered, _due in durations]

    within = sum(1 for _sent, answered, due in durations
                 if due is not None and timezone.localdate(answered) <= due)
    return {
        "bulletins_sent": bulletins.count(),
        "urgent_total": urgent_figures["notifications"],
        "urgent_recipients": urgent_figures["recipients"],
        "urgent_acknowledged_in_time": urgent_figures["in_time"],
        "verification_requests_total": request_figures["total"],
        "verification_answered": request_figures["answered"],
        "verification_median_days_to_answer": round(median(days), 1) if days else None,
        "verification_answered_within_due_share": (round(within / len(durations), 3)
                                                   if durations else None),
    }
