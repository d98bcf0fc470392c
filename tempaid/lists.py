"""Relief applications and the fund ledger as web.listing defines them: one query for page,
export and background job; the applicant's identity numbers only masked."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.lists import attach_masked_documents, masked_documents_of
from web.listing import Column, ListQuery, ListSpec, register

from . import forms, selectors
from .permissions import APPLICATION_ROLES, FUND_ROLES


def application_query(user, params) -> ListQuery:
    form = forms.FilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = {key: value for key, value in data.items() if value}
    applications = selectors.application_list(user, status=data.get("status", ""),
                                              kind=data.get("kind", ""),
                                              search=data.get("q", ""))
    return ListQuery(applications, filters, form)


def application_columns():
    return [
        Column(_("Application number"), lambda application: application.number),
        Column(_("Applicant"), lambda application: application.person.name_zh),
        Column(_("Identity documents (masked)"), masked_documents_of),
        Column(_("District"), lambda application: application.get_district_display()),
        Column(_("Emergency kind"), lambda application: application.get_kind_display()),
        Column(_("Amount (CNY)"), lambda application: application.amount),
        Column(_("Route"), lambda application: application.get_route_display()),
        Column(_("Status"), lambda application: application.get_status_display()),
        Column(_("Filed"), lambda application: application.created_at),
    ]


APPLICATIONS = register(ListSpec(
    key="relief", title=_("Temporary relief applications"), url_name="tempaid:list",
    export_url_name="tempaid:export", roles=APPLICATION_ROLES,
    object_type="tempaid.application", query=application_query, columns=application_columns,
    prepare=attach_masked_documents,
    sorts={"number": ("number",), "district": ("district",), "status": ("status",),
           "filed": ("created_at",)},
    default_sort="-filed"))


def ledger_query(user, params) -> ListQuery:
    """The selected fund's movements in the statement's period (as the statement page)."""
    fund = selectors.get_fund_for(user, params.get("fund") or None)
    today = timezone.localdate()
    form = forms.StatementForm(params or None,
                               initial={"start": date(today.year, 1, 1), "end": today})
    start, end = date(today.year, 1, 1), today
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    entries = selectors.ledger_visible_to(user).filter(fund=fund, booked_at__gte=since,
                                                       booked_at__lt=until)
    return ListQuery(entries, {"fund": fund.pk, "start": start.isoformat(),
                               "end": end.isoformat()}, form)


def ledger_columns():
    return [
        Column(_("Booked at"), lambda entry: entry.booked_at),
        Column(_("Kind"), lambda entry: entry.get_kind_display()),
        Column(_("Amount (CNY)"), lambda entry: entry.amount),
        Column(_("Effect on balance"), lambda entry: entry.balance_delta),
        Column(_("Effect on available balance"), lambda entry: entry.available_delta),
        Column(_("Balance after"), lambda entry: entry.balance_after),
        Column(_("Available after"), lambda entry: entry.available_after),
        Column(_("Application number"),
               lambda entry: entry.application.number if entry.application_id else ""),
        Column(pgettext_lazy("tempaid", "Reference"), lambda entry: entry.reference),
    ]


LEDGER = register(ListSpec(
    key="ledger", title=_("Fund ledger"), url_name="tempaid:statement",
    export_url_name="tempaid:ledger_export", roles=FUND_ROLES,
    object_type="tempaid.ledgerentry", query=ledger_query, columns=ledger_columns,
    sorts={"booked": ("booked_at",)}, default_sort="booked"))
