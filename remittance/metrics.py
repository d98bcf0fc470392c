"""Aggregates for the leadership dashboard and the bulletins: counts and sums only, never a
person. Each function runs a fixed number of queries whatever the roster's size."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from core.cache import figures_source
from core.models import AgencyKind

from .models import (
    Appointment,
    AppointmentStatus,
    OnboardingStatus,
    Payment,
    PaymentStatus,
    Recipient,
    RecipientStatus,
)


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


@figures_source
def figures(*, start: datetime.date, end: datetime.date, district: str | None = None) -> dict:
    """Roster and disbursement figures (5 queries).

    ``roster_size``: recipients on the roster (any status); ``recipients_active``: active ones;
    ``cards_activated``: active recipients with an activated card; ``activation_rate``:
    cards_activated / recipients_active (Decimal, 4 places); ``activation_by_district``:
    {district: {"active", "activated", "rate"}}; ``disbursed_by_month``: paid payments whose
    month lies in [start, end], as [{"month": "YYYY-MM", "mop": Decimal, "cny": Decimal}];
    ``recipients_suspended``: suspended recipients (a full roster left them out, not yet
    reinstated); ``by_bank``: per partner bank, what its staff record — [{"bank", "routed",
    "cards_opened", "activated", "failed", "appointments", "served", "no_show"}], the
    recipients counted by the bank of their card's branch and the appointments (scheduled in
    [start, end]) by the bank of the branch."""
    recipients = Recipient.objects.all()
    payments = Payment.objects.filter(status=PaymentStatus.PAID,
                                      period__gte=start.replace(day=1), period__lte=end)
    if district:
        recipients = recipients.filter(district=district)
        payments = payments.filter(recipient__district=district)
    active = Q(status=RecipientStatus.ACTIVE)
    activated = active & Q(onboarding_status=OnboardingStatus.ACTIVATED)
    totals = recipients.aggregate(roster_size=Count("id"), recipients_active=Count("id",
                                  filter=active), cards_activated=Count("id", filter=activated),
                                  recipients_suspended=Count(
                                      "id", filter=Q(status=RecipientStatus.SUSPENDED)))
    by_district = {}
    for row in (recipients.values("district").order_by("district")
                .annotate(active=Count("id", filter=active),
                          activated=Count("id", filter=activated))):
        by_district[row["district"]] = {"active": row["active"], "activated": row["activated"],
                                        "rate": _share(row["activated"], row["active"])}
    months = [{"month": f"{row['month']:%Y-%m}", "mop": row["mop"], "cny": row["cny"]}
              for row in payments.annotate(month=TruncMonth("period")).values("month")
              .order_by("month").annotate(mop=Sum("amount_mop"), cny=Sum("amount_cny"))]
    return {**totals,
            "activation_rate": _share(totals["cards_activated"], totals["recipients_active"]),
            "activation_by_district": by_district, "disbursed_by_month": months,
            "by_bank": _bank_figures(recipients, start=start, end=end, district=district)}


def _bank_figures(recipients, *, start: datetime.date, end: datetime.date,
                  district: str | None) -> list[dict]:
    """Per partner bank (2 queries): the card steps and appointments its staff record."""
    opened = (OnboardingStatus.CARD_OPENED, OnboardingStatus.ACTIVATED)
    banks: dict[str, dict] = {}

    def row(bank: str) -> dict:
        return banks.setdefault(bank, {"bank": bank, "routed": 0, "cards_opened": 0,
                                       "activated": 0, "failed": 0, "appointments": 0,
                                       "served": 0, "no_show": 0})

    for item in (recipients.exclude(bank_branch=None).values("bank_branch__bank_name")
                 .order_by("bank_branch__bank_name")
                 .annotate(routed=Count("id"),
                           cards_opened=Count("id", filter=Q(onboarding_status__in=opened)),
                           activated=Count("id", filter=Q(
                               onboarding_status=OnboardingStatus.ACTIVATED)),
                           failed=Count("id", filter=Q(
                               onboarding_status=OnboardingStatus.FAILED)))):
        row(item.pop("bank_branch__bank_name")).update(item)
    appointments = Appointment.objects.filter(scheduled_at__date__gte=start,
                                              scheduled_at__date__lte=end)
    if district:
        appointments = appointments.filter(recipient__district=district)
    for item in (appointments.values("branch__bank_name").order_by("branch__bank_name")
                 .annotate(appointments=Count("id"),
                           served=Count("id", filter=Q(status=AppointmentStatus.SERVED)),
                           no_show=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)))):
        row(item.pop("branch__bank_name")).update(item)
    return [banks[name] for name in sorted(banks)]


def bulletin_section(agency, start: datetime.date, end: datetime.date) -> dict | None:
    """The remittance section of a bulletin for ``agency``: for the Macau IAS, whose aid this
    is, the roster and disbursement figures (no personal data); None for everyone else
    (including the Cooperation Zone, which has no recipients on this roster)."""
    if agency is None or agency.kind != AgencyKind.IAS:
        return None
    data = figures(start=start, end=end)
    return {"title": "remittance", "roster_size": data["roster_size"],
            "recipients_active": data["recipients_active"],
            "cards_activated": data["cards_activated"],
            "activation_rate": data["activation_rate"],
            "disbursed_by_month": data["disbursed_by_month"]}
