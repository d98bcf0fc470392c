"""The remittance roster and the payments as web.listing defines them: one query for page,
export and background job; the identity number only masked."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.selectors import identity_documents
from core.identity import mask
from web.listing import Column, ListQuery, ListSpec, register

from . import forms
from .models import PaymentStatus
from .permissions import PAYMENT_ROLES, RECIPIENT_ROLES
from .selectors import BANK_DOCUMENT_TYPES, payments_listed, recipient_filter, recipient_visible_to

DOCUMENT_NUMBER = "_masked_number"



def document_numbers(recipients) -> dict[int, str]:
    """Masked Macau ID (or travel permit) per person, one query for a page or a chunk."""
    person_ids = [recipient.person_id for recipient in recipients]
    numbers: dict[int, str] = {}
    for person_id, _type, number in identity_documents(types=BANK_DOCUMENT_TYPES).filter(
            person_id__in=person_ids).values_list("person_id", "document_type", "number"):
        numbers.setdefault(person_id, mask(number))
    return numbers


def attach_document_numbers(recipients) -> None:
    numbers = document_numbers(recipients)
    for recipient in recipients:
        setattr(recipient, DOCUMENT_NUMBER, numbers.get(recipient.person_id, ""))


def recipient_query(user, params) -> ListQuery:
    form = forms.RecipientFilterForm(params or None)
    recipients = recipient_visible_to(user)
    filters = {key: value for key, value in form.cleaned_data.items() if value} \
        if form.is_valid() else {}
    if filters:
        recipients = recipient_filter(recipients, **filters)
    return ListQuery(recipients, filters, form)


def recipient_columns():
    return [
        Column(_("IAS case number"), lambda recipient: recipient.ias_case_no),
        Column(pgettext_lazy("roster column", "Name"), lambda recipient: recipient.person.name_zh),
        Column(_("Document (masked)"), lambda recipient: getattr(recipient, DOCUMENT_NUMBER, "")),
        Column(_("District"), lambda recipient: recipient.get_district_display()),
        Column(_("Aid type"), lambda recipient: recipient.get_aid_type_display()),
        Column(_("Monthly amount (MOP)"), lambda recipient: recipient.monthly_amount_mop),
        Column(_("Status"), lambda recipient: recipient.get_status_display()),
        Column(_("Card status"), lambda recipient: recipient.get_onboarding_status_display()),
    ]


RECIPIENTS = register(ListSpec(
    key="roster", title=_("Macau aid recipients"), url_name="remittance:recipient_list",
    export_url_name="remittance:recipient_export", roles=RECIPIENT_ROLES,
    object_type="remittance.recipient", query=recipient_query, columns=recipient_columns,
    prepare=attach_document_numbers, page_size=50,
    sorts={"case_no": ("ias_case_no",), "district": ("district",), "status": ("status",),
           "card": ("onboarding_status",)},
    default_sort="case_no"))


def payment_query(user, params) -> ListQuery:
    payments = payments_listed(user)
    status = params.get("status")
    filters = {}
    if status in PaymentStatus.values:
        payments = payments.filter(status=status)
        filters["status"] = status
    return ListQuery(payments, filters)


def payment_columns():
    return [
        Column(_("Reference"), lambda payment: payment.reference),
        Column(_("Batch"), lambda payment: payment.batch.number),
        Column(_("IAS case number"), lambda payment: payment.recipient.ias_case_no),
        Column(_("Recipient"), lambda payment: payment.recipient.person.name_zh),
        Column(_("Month"), lambda payment: payment.period.strftime("%Y-%m")),
        Column(_("Amount (MOP)"), lambda payment: payment.amount_mop),
        Column(_("Amount (CNY)"), lambda payment: payment.amount_cny),
        Column(_("Status"), lambda payment: payment.get_status_display()),
        Column(_("Failure reason"), lambda payment: payment.failure_reason),
    ]


PAYMENTS = register(ListSpec(
    key="payments", title=_("Payments"), url_name="remittance:payment_list",
    export_url_name="remittance:payment_export", roles=PAYMENT_ROLES,
    object_type="remittance.payment", query=payment_query, columns=payment_columns,
    page_size=50,
    sorts={"reference": ("reference",), "month": ("period", "=reference"),
           "status": ("status",)},
    default_sort="-month"))
