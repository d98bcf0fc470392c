"""Aggregates for the pilot dashboard and the bulletins: figures only, never a person.
A fixed number of queries (three), whatever the number of applications."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from core.models import AgencyKind

from .models import GRANTED_STATUSES, Application, Fund, FundKind, Status

ZERO = Decimal("0.00")
#: The funds' figures now (the special fund for Macau residents, the ordinary budget for
#: Cooperation Zone residents), kept for the city's own readers.
FUND_FIGURES = ("fund_balance_cny", "fund_available_cny", "budget_balance_cny",
                "budget_available_cny")


def _money(value) -> Decimal:
    """SQLite sums lose the scale (300 instead of 300.00): give every figure two places."""
    return (value or ZERO).quantize(Decimal("0.01"))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))


def _figures(applications, start: date, end: date) -> dict:
    since, until = _bounds(start, end)
    submitted = Q(submitted_at__gte=since, submitted_at__lt=until)
    decided = Q(decided_at__gte=since, decided_at__lt=until)
    paid = Q(paid_at__gte=since, paid_at__lt=until, status__in=(Status.PAID, Status.CLOSED))
    totals = applications.aggregate(
        applications_total=Count("id", filter=submitted),
        applications_approved=Count("id", filter=decided & Q(status__in=GRANTED_STATUSES)),
        applications_rejected=Count("id", filter=decided & Q(status=Status.REJECTED)),
        amount_approved_cny=Sum("amount_approved", filter=decided & Q(status__in=GRANTED_STATUSES)),
        amount_paid_cny=Sum("amount_approved", filter=paid),
    )
    by_kind = {row["kind"]: row["count"] for row in applications.filter(submitted)
               .values("kind").annotate(count=Count("id")).order_by("kind")}
    special, ordinary = Q(kind=FundKind.MACAU_SPECIAL), Q(kind=FundKind.ORDINARY)
    funds = Fund.objects.aggregate(
        special_balance=Sum("balance", filter=special),
        special_available=Sum("available", filter=special),
        budget_balance=Sum("balance", filter=ordinary),
        budget_available=Sum("available", filter=ordinary))
    return {
        "applications_total": totals["applications_total"],
        "applications_approved": totals["applications_approved"],
        "applications_rejected": totals["applications_rejected"],
        "amount_approved_cny": _money(totals["amount_approved_cny"]),
        "amount_paid_cny": _money(totals["amount_paid_cny"]),
        "fund_balance_cny": _money(funds["special_balance"]),
        "fund_available_cny": _money(funds["special_available"]),
        "budget_balance_cny": _money(funds["budget_balance"]),
        "budget_available_cny": _money(funds["budget_available"]),
        "by_kind": by_kind,
    }


def figures(*, start: date, end: date, district: str | None = None) -> dict:
    """Applications submitted, approved and rejected in [start, end] (local days), amounts
    approved and paid, the special fund's and the ordinary budget's balance and available
    balance now, and submissions by kind."""
    applications = Application.objects.all()
    if district:
        applications = applications.filter(district=district)
    return _figures(applications, start, end)


def bulletin_section(agency, start: date, end: date) -> dict | None:
    """Figures for a regular bulletin to ``agency``: a district bureau gets its district's,
    Macau IAS those of Macau residents, the Cooperation Zone bureau those of its residents, the
    city and Finance bureaus the city's. Others get nothing."""
    applications = Application.objects.all()
    if agency.kind == AgencyKind.DISTRICT_BUREAU:
        applications = applications.filter(district=agency.district)
    elif agency.kind == AgencyKind.IAS:
        applications = applications.filter(person__residence_status="macau_resident")
    elif agency.kind == AgencyKind.COOPERATION_ZONE:
        applications = applications.filter(person__residence_status="hengqin_resident")
    elif agency.kind not in (AgencyKind.CITY_BUREAU, AgencyKind.FINANCE):
        return None
    result = _figures(applications, start, end)
    if agency.kind in (AgencyKind.IAS, AgencyKind.COOPERATION_ZONE):
        for key in FUND_FIGURES:
            result.pop(key)
    return {"title": gettext("Temporary relief"), "figures": result}
