"""Reads for temporary relief, and the one place that decides who sees which application."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from core.errors import ApplicationError
from core.roles import Role, has_role
from core.visibility import fetch_or_404, scope

from .models import Application, Fund, FundAllocation, LedgerEntry, PolicyVersion, Status
from .permissions import APPLICATION_CITYWIDE_ROLES, FUND_ROLES
from .services import fund_for

#: The Finance bureau sees the applications it has to pay or has paid.
FINANCE_STATUSES = (Status.APPROVED, Status.PAID, Status.CLOSED)


def application_visible_to(user, *, permission: str = "view") -> QuerySet[Application]:
    """Owner district (its officers); city officers all; the Finance bureau approved, paid and
    closed ones; Macau/Hengqin only those shared with their agency."""
    extra = None
    if has_role(user, Role.FINANCE):
        extra = Q(status__in=FINANCE_STATUSES)
    return scope(Application.objects.all(), user, citywide_roles=APPLICATION_CITYWIDE_ROLES,
                 owner_field="owner_agency", district_field="district", shareable=True,
                 permission=permission, extra=extra)


def application_list(user, *, status: str = "", kind: str = "", search: str = ""):
    queryset = (application_visible_to(user).select_related("person")  # the list's one join
                .order_by("-created_at", "-id"))
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(Q(number__icontains=search) | Q(person__name_zh__icontains=search))
    return queryset


def applications_for_api(user, *, fields) -> QuerySet[Application]:
    """``fields`` of each application, the person's name and the case number: their whole rows
    cost more to load than the applications' own columns."""
    return (application_visible_to(user).select_related("person", "case")
            .only(*fields, "person__name_zh", "case__number").order_by("-created_at", "-id"))


def ledger_for_api(user, *, fields) -> QuerySet[LedgerEntry]:
    """``fields`` of each entry and its application's number; the fund is an id."""
    return (ledger_visible_to(user).select_related(None).select_related("application")
            .only(*fields, "application__number").order_by("booked_at", "id"))


def get_application_for(user, pk, *, action: str = "view") -> Application:
    return fetch_or_404(
        application_visible_to(user).select_related(
            "person", "case", "owner_agency", "policy", "fund"),
        pk, user=user, action=action)


def applications_waiting_for(user) -> QuerySet[Application]:
    """What this user should act on next (home page panel)."""
    visible = application_visible_to(user)
    if has_role(user, Role.CITY):
        return visible.filter(status=Status.CITY_REVIEW)
    if has_role(user, Role.FINANCE):
        return visible.filter(status=Status.APPROVED)
    if has_role(user, Role.DISTRICT):
        return visible.filter(
            Q(status__in=(Status.SUBMITTED, Status.DISTRICT_REVIEW))
            | Q(is_fast_track=True, paperwork_completed_at__isnull=True,
                status__in=(Status.APPROVED, Status.PAID)))
    return visible.none()


def policy_versions(user) -> QuerySet[PolicyVersion]:
    if not has_role(user, Role.CITY, Role.DISTRICT, Role.FINANCE):
        return PolicyVersion.objects.none()
    return PolicyVersion.objects.all()


def fund_visible_to(user) -> QuerySet[Fund]:
    """City and Finance see the funds; district officers see their available balance too (they
    approve against them)."""
    if has_role(user, *FUND_ROLES, Role.DISTRICT):
        return Fund.objects.all()
    return Fund.objects.none()


def funds_for_monitoring() -> list[dict]:
    """Each fund's code, available balance and low-balance threshold, for monitoring
    (``core.metrics``, the administrators' status page): figures, no personal data."""
    return [{"code": code, "available": available, "threshold": threshold,
             "is_low": available < threshold}
            for code, available, threshold in Fund.objects.order_by("code").values_list(
                "code", "available", "low_balance_threshold")]


def ledger_visible_to(user) -> QuerySet[LedgerEntry]:
    if has_role(user, *FUND_ROLES):
        return LedgerEntry.objects.select_related("application", "fund", "created_by")
    return LedgerEntry.objects.none()


def allocations_visible_to(user) -> QuerySet[FundAllocation]:
    if has_role(user, *FUND_ROLES):
        return FundAllocation.objects.select_related("fund")
    return FundAllocation.objects.none()


def get_fund_for(user, pk=None) -> Fund:
    """The fund ``pk``, or without one the first set up (the special fund in practice)."""
    visible = fund_visible_to(user)
    if pk is None:
        fund = visible.order_by("kind", "id").first()
        if fund is None:

            raise Http404
        return fund
    return fetch_or_404(visible, pk, user=user)


# --- the fund statement ----------------------------------------------------------------

@dataclass
class Statement:
    fund: Fund
    start: date
    end: date
    opening_balance: Decimal
    opening_available: Decimal
    closing_balance: Decimal
    closing_available: Decimal
    entries: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def fund_statement(fund: Fund, start: date, end: date) -> Statement:
    """Opening balance at the start of ``start``, every movement up to the end of ``end`` (local
    days), closing balance. Fixed number of queries."""
    since, until = _day_start(start), _day_start(end + timedelta(days=1))
    entries_all = LedgerEntry.objects.filter(fund=fund)
    opening = entries_all.filter(booked_at__lt=since).aggregate(
        balance=Sum("balance_delta"), available=Sum("available_delta"))
    movements = list(entries_all.filter(booked_at__gte=since, booked_at__lt=until)
                     .select_related("application", "created_by").order_by("booked_at", "id"))
    opening_balance = (opening["balance"] or Decimal(0)).quantize(Decimal("0.01"))
    opening_available = (opening["available"] or Decimal(0)).quantize(Decimal("0.01"))
    totals: dict[str, Decimal] = {}
    for entry in movements:
        totals[entry.kind] = totals.get(entry.kind, Decimal("0.00")) + entry.amount
    closing_balance = opening_balance + sum((e.balance_delta for e in movements), Decimal("0.00"))
    closing_available = opening_available + sum((e.available_delta for e in movements),
                                                Decimal("0.00"))
    return Statement(fund=fund, start=start, end=end, opening_balance=opening_balance,
                     opening_available=opening_available, closing_balance=closing_balance,
                     closing_available=closing_available, entries=movements, totals=totals)


def applications_of_person(user, person) -> QuerySet[Application]:
    """The person's applications (and so their relief payments) the user may see."""
    return application_visible_to(user).filter(person=person).order_by("-created_at", "-id")


# --- the approval check page -----------------------------------------------------------

@dataclass
class ApprovalPreview:
    """What the approver checks before confirming: the amount, whose it is, and what is left
    in the fund afterwards (``available_after`` may be negative: the service will refuse)."""

    application: Application
    amount: Decimal
    fund: Fund | None
    available_now: Decimal | None
    available_after: Decimal | None


def approval_preview(user, application: Application, amount: Decimal) -> ApprovalPreview:
    """The fund that would pay ``application`` (by the applicant's residence), when this user
    may see the funds; a reader, it books nothing."""
    try:
        fund = fund_for(application)
    except (ApplicationError, Fund.DoesNotExist):
        fund = None
    if fund is None or not fund_visible_to(user).filter(pk=fund.pk).exists():
        return ApprovalPreview(application, amount, None, None, None)
    return ApprovalPreview(application, amount, fund, fund.available, fund.available - amount)
