"""Referrals and service records as web.listing defines them: one query for page, export and
background job."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.listing import Column, ListQuery, ListSpec, register

from .forms import ReferralFilterForm, ServiceRecordFilterForm
from .permissions import LIST_ROLES, REFERRAL_ROLES
from .selectors import referral_visible_to, service_record_visible_to


def referral_query(user, params) -> ListQuery:
    form = ReferralFilterForm(params or None)
    referrals = referral_visible_to(user)
    filters = {}
    if form.is_valid() and form.cleaned_data["status"]:
        referrals = referrals.filter(status=form.cleaned_data["status"])
        filters["status"] = form.cleaned_data["status"]
    return ListQuery(referrals, filters, form)


def referral_columns():
    return [
        Column(_("Referral number"), lambda referral: referral.number),
        Column(pgettext_lazy("partners", "Person"), lambda referral: referral.person_name),
        Column(_("Provider"), lambda referral: referral.organisation.name),
        Column(_("District"), lambda referral: referral.get_district_display()),
        Column(_("Sent"), lambda referral: referral.sent_at),
        Column(_("Status"), lambda referral: referral.get_status_display()),
    ]


REFERRALS = register(ListSpec(
    key="referrals", title=_("Referrals"), url_name="partners:referral_list",
    export_url_name="partners:referral_export", roles=REFERRAL_ROLES,
    object_type="partners.referral", query=referral_query, columns=referral_columns,
    sorts={"number": ("number",), "district": ("district",), "status": ("status",),
           "created": ("created_at",)},
    default_sort="-created"))


def service_record_query(user, params) -> ListQuery:
    # the table shows the worker and the referral: fewer joins to plan
    records = service_record_visible_to(user).select_related(None).select_related(
        "worker", "referral")
    form = ServiceRecordFilterForm(params or None)
    filters = {}
    if form.is_valid() and form.cleaned_data["review_status"]:
        records = records.filter(review_status=form.cleaned_data["review_status"])
        filters["review_status"] = form.cleaned_data["review_status"]
    return ListQuery(records, filters, form)


def service_record_columns():
    return [
        Column(_("Date"), lambda record: record.service_date),
        Column(_("Service type"), lambda record: record.get_service_type_display()),
        Column(_("Social worker"), lambda record: record.worker.name),
        Column(_("Hours"), lambda record: record.duration_hours),
        Column(_("Referral"), lambda record: record.referral.number if record.referral_id else ""),
        Column(pgettext_lazy("partners", "Outcome"), lambda record: record.outcome),
        Column(_("Follow-up"), lambda record: record.follow_up),
        Column(_("Follow-up date"), lambda record: record.follow_up_date),
        Column(pgettext_lazy("service record", "Review"),
               lambda record: record.get_review_status_display()),
        Column(_("Review note"), lambda record: record.review_note),
    ]


SERVICE_RECORDS = register(ListSpec(
    key="service-records", title=_("Service records"), url_name="partners:service_record_list",
    export_url_name="partners:service_record_export", roles=LIST_ROLES,
    object_type="partners.servicerecord", query=service_record_query,
    columns=service_record_columns, sorts={"date": ("service_date",)}, default_sort="-date"))
