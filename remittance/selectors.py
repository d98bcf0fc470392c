"""Reads of the remittance workstream, and the one place deciding who sees what.

- Recipients (the roster): city and Financial Work bureau officers city-wide; district
  officers their district; Macau liaisons (IAS) the whole roster read-only, since it is the
  roster of *their* aid recipients. Changing (card onboarding, appointments): city, Financial
  Work, and district officers for their district.
- Batches and payments: city (maker and checker), Financial Work and Macau liaisons
  (payment status, read-only); district officers the payments of their district's recipients.
- Roster imports: city and Financial Work officers.
- Roster imports: also Macau liaisons, who hand over IAS's monthly roster.
- Partner bank staff (Role.BANK) see only the priority-channel appointments at their bank's
  branches and the recipients routed to their bank (a branch of their bank on the recipient's
  card, or an appointment there), and of those only what the appointment needs: name, masked
  identity number, card status, appointment time and branch (``bank_*`` selectors). They never
  pass through ``recipient_visible_to``, so no roster page or endpoint shows them an address,
  an amount or a payment.
- Leadership sees aggregates only (remittance.metrics)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.models import IdentityDocument
from cases.selectors import identity_documents
from core.roles import has_role
from core.visibility import fetch_or_404, scope, user_agency

from .models import (
    Appointment,
    BankBranch,
    Batch,
    BatchStatus,
    ImportRun,
    ImportStatus,
    Payment,
    PaymentStatus,
    Recipient,
    RecipientStatus,
)
from .permissions import (
    BANK_ROLES,
    BATCH_VIEW_ROLES,
    IMPORT_VIEW_ROLES,
    RECIPIENT_CHANGE_ROLES,
    RECIPIENT_VIEW_ROLES,
)

#: What a bank's desk shows of a recipient: the appointment's needs, nothing more.
BANK_RECIPIENT_FIELDS = ("pk", "ias_case_no", "person_id", "person__name_zh",
                         "onboarding_status", "onboarding_changed_on", "visit_date",
                         "bank_branch_id", "bank_branch__bank_name", "bank_branch__name",
                         "bank_branch__bank_agency_id", "onboarding_reason", "status")


def _is_change(permission: str) -> bool:
    return permission in {"change", "update", "edit"}


def recipient_visible_to(user, *, permission: str = "view") -> QuerySet[Recipient]:
    citywide = RECIPIENT_CHANGE_ROLES if _is_change(permission) else RECIPIENT_VIEW_ROLES
    return scope(Recipient.objects.select_related("person", "bank_branch"), user,
                 citywide_roles=citywide, owner_field=None, district_field="district")


#: The documents a bank sees of a recipient: the Macau ID or the travel permit.
BANK_DOCUMENT_TYPES = ("macau_id", "travel_permit")


def recipients_for_api(user) -> QuerySet[Recipient]:
    """With the person and their documents; the branch is shown as an id, so not joined."""
    return (recipient_visible_to(user).select_related(None).select_related("person")
            .prefetch_related(Prefetch("person__documents", queryset=identity_documents())))


def bank_recipients_for_api(user) -> QuerySet[Recipient]:
    return bank_recipient_visible_to(user).prefetch_related(
        Prefetch("person__documents", queryset=identity_documents(types=BANK_DOCUMENT_TYPES)))


def bank_appointments_for_api(user) -> QuerySet[Appointment]:
    return bank_appointment_visible_to(user).prefetch_related(
        Prefetch("recipient__person__documents",
                 queryset=identity_documents(types=BANK_DOCUMENT_TYPES)))


def appointments_for_api(user) -> QuerySet[Appointment]:
    """The recipient and branch are shown as ids, so they are not joined."""
    return appointment_visible_to(user).select_related(None)


def batches_for_api(user) -> QuerySet[Batch]:
    """The officers are shown as ids, so they are not joined."""
    return batch_visible_to(user).select_related(None)


def payments_for_api(user, *, fields) -> QuerySet[Payment]:
    """``fields`` of each payment, its batch's number and the recipient's IAS case number."""
    return (payment_visible_to(user).select_related(None).select_related("batch", "recipient")
            .only(*fields, "batch__number", "recipient__ias_case_no")
            .order_by("-period", "reference"))


def get_recipient_for(user, pk, *, action: str = "view") -> Recipient:
    return fetch_or_404(recipient_visible_to(user, permission=action), pk, user=user,
                        action=action)


def appointment_visible_to(user, *, permission: str = "view") -> QuerySet[Appointment]:
    citywide = RECIPIENT_CHANGE_ROLES if _is_change(permission) else RECIPIENT_VIEW_ROLES
    return scope(Appointment.objects.select_related("recipient__person", "branch"), user,
                 citywide_roles=citywide, owner_field=None,
                 district_field="recipient__district")


def get_appointment_for(user, pk, *, action: str = "view") -> Appointment:
    return fetch_or_404(appointment_visible_to(user, permission=action), pk, user=user,
                        action=action)


def _bank_agency(user):
    """The partner bank whose desk ``user`` works at, or None (not bank staff)."""
    if not has_role(user, *BANK_ROLES):
        return None
    agency = user_agency(user)
    return agency if agency is not None and agency.kind == "bank" else None


def bank_appointment_visible_to(user) -> QuerySet[Appointment]:
    """The appointments at the branches of the user's bank (none for anyone else)."""
    agency = _bank_agency(user)
    if agency is None:
        return Appointment.objects.none()
    return (Appointment.objects.filter(branch__bank_agency=agency)
            .select_related("recipient__person", "branch")
            .only("pk", "scheduled_at", "purpose", "status", "outcome", "recipient_id",
                  "branch_id", "recipient__ias_case_no", "recipient__person_id",
                  "recipient__person__name_zh", "branch__bank_name", "branch__name",
                  "branch__bank_agency_id")
            .order_by("-scheduled_at", "-id"))


def get_bank_appointment_for(user, pk, *, action: str = "view") -> Appointment:
    return fetch_or_404(bank_appointment_visible_to(user), pk, user=user, action=action)


def bank_recipient_visible_to(user) -> QuerySet[Recipient]:
    """The recipients routed to the user's bank: their card is with a branch of the bank, or
    they hold an appointment at one. Only ``BANK_RECIPIENT_FIELDS`` are read."""
    agency = _bank_agency(user)
    if agency is None:
        return Recipient.objects.none()
    at_bank = Appointment.objects.filter(recipient=OuterRef("pk"), branch__bank_agency=agency)
    return (Recipient.objects.filter(Q(bank_branch__bank_agency=agency) | Exists(at_bank))
            .select_related("person", "bank_branch").only(*BANK_RECIPIENT_FIELDS)
            .order_by("ias_case_no"))


def get_bank_recipient_for(user, pk, *, action: str = "view") -> Recipient:
    return fetch_or_404(bank_recipient_visible_to(user), pk, user=user, action=action)


def bank_branch_of(user) -> QuerySet[BankBranch]:
    """The active branches of the user's bank (the choices of a bank user's forms)."""
    agency = _bank_agency(user)
    if agency is None:
        return BankBranch.objects.none()
    return BankBranch.objects.filter(bank_agency=agency, is_active=True)


def recipient_changeable_by(user, recipient: Recipient) -> bool:
    """Whether ``user`` may record a card-onboarding step of ``recipient``: the roster's
    writers within their visibility, or the bank's staff for a recipient routed to it."""
    return (recipient_visible_to(user, permission="change").filter(pk=recipient.pk).exists()
            or bank_recipient_visible_to(user).filter(pk=recipient.pk).exists())


def appointment_changeable_by(user, appointment: Appointment) -> bool:
    return (appointment_visible_to(user, permission="change").filter(pk=appointment.pk).exists()
            or bank_appointment_visible_to(user).filter(pk=appointment.pk).exists())


def recipients_suspended_by(user, run: ImportRun) -> QuerySet[Recipient]:
    """The recipients a full roster suspended, with their status now (still suspended, or
    reinstated), as ``user`` may see them: the import run page lists them for both sides."""
    return (recipient_visible_to(user).filter(suspended_by_import=run)
            .order_by("ias_case_no"))


def batch_visible_to(user) -> QuerySet[Batch]:
    return scope(Batch.objects.select_related("prepared_by", "approved_by"), user,
                 citywide_roles=BATCH_VIEW_ROLES, owner_field=None)


def get_batch_for(user, pk, *, action: str = "view") -> Batch:
    return fetch_or_404(batch_visible_to(user), pk, user=user, action=action)


#: What a row of the payment lists shows: its query reads these columns alone (the recipient's
#: and person's whole rows cost more to load than the page's other work).
PAYMENT_ROW_COLUMNS = ("reference", "batch__number", "recipient__ias_case_no",
                       "recipient__person__name_zh", "period", "amount_mop", "amount_cny",
                       "status", "failure_reason")


def payments_listed(user) -> QuerySet[Payment]:
    """The payments a user sees, reading only what a list row shows."""
    return payment_visible_to(user).only(*PAYMENT_ROW_COLUMNS)


def batch_payments_for_print(user, batch: Batch) -> QuerySet[Payment]:
    """Every payment of ``batch`` the user sees, with its recipient's person, in reference order:
    the batch list printed for signature."""
    return (payment_visible_to(user).filter(batch=batch)
            .select_related("recipient__person").order_by("reference"))


def payment_visible_to(user) -> QuerySet[Payment]:
    return scope(Payment.objects.select_related("recipient__person", "batch"), user,
                 citywide_roles=BATCH_VIEW_ROLES, owner_field=None,
                 district_field="recipient__district")


def get_payment_for(user, pk, *, action: str = "view") -> Payment:
    return fetch_or_404(payment_visible_to(user), pk, user=user, action=action)


def import_run_visible_to(user) -> QuerySet[ImportRun]:
    return scope(ImportRun.objects.select_related("uploaded_by", "committed_by"), user,
                 citywide_roles=IMPORT_VIEW_ROLES, owner_field=None)


def import_runs_listed(user) -> QuerySet[ImportRun]:
    """Import runs without their preview (a roster's whole diff): lists show the summary."""
    return import_run_visible_to(user).defer("preview")


def earlier_import_of(user, run: ImportRun) -> ImportRun | None:
    """An earlier committed import of the same file, if the user sees one."""
    return (import_runs_listed(user).filter(sha256=run.sha256, status=ImportStatus.COMMITTED)
            .exclude(pk=run.pk).first())


def get_import_run_for(user, pk, *, action: str = "view") -> ImportRun:
    return fetch_or_404(import_run_visible_to(user), pk, user=user, action=action)


def bank_branch_list(*, priority_only: bool = False) -> QuerySet[BankBranch]:
    branches = BankBranch.objects.filter(is_active=True)
    return branches.filter(has_priority_window=True) if priority_only else branches


def batch_reconciliation(batch: Batch) -> dict:
    """Count and totals of the batch as prepared against its payments by result (the batch's
    tallies, kept by the services that change a payment's status); ``matches`` when they add
    up to the batch's totals. One query of four rows, whatever the batch's size (the failed
    payments themselves: ``batch_failed_payments``)."""
    by_status = {tally.status: tally for tally in batch.tallies.all()}
    zero = batch.total_mop * 0
    lines = []
    for status in PaymentStatus:
        tally = by_status.get(status.value)
        lines.append({"status": status.value, "label": status.label,
                      "count": tally.count if tally else 0,
                      "mop": tally.amount_mop if tally else zero,
                      "cny": tally.amount_cny if tally else zero})
    count = sum(line["count"] for line in lines)
    total_mop = sum((line["mop"] for line in lines), start=zero)
    total_cny = sum((line["cny"] for line in lines), start=zero)
    return {"count": count, "total_mop": total_mop, "total_cny": total_cny,
            "matches": (count == batch.payment_count and total_mop == batch.total_mop
                        and total_cny == batch.total_cny),
            "lines": lines, "carried_in": batch.carried_in_count,
            "pending": by_status[PaymentStatus.PENDING].count
            if PaymentStatus.PENDING in by_status else 0}


def batch_failed_payments(batch: Batch) -> QuerySet[Payment]:
    """The batch's payments that failed or were carried over to a later batch, to follow up."""
    return (batch.payments.filter(status__in=[PaymentStatus.FAILED, PaymentStatus.CARRIED_OVER])
            .order_by("reference"))


def recipient_filter(queryset: QuerySet[Recipient], *, q: str = "", district: str = "",
                     status: str = "", onboarding: str = "") -> QuerySet[Recipient]:
    if q:
        queryset = queryset.filter(Q(ias_case_no__icontains=q) | Q(person__name_zh__icontains=q))
    if district:
        queryset = queryset.filter(district=district)
    if status:
        queryset = queryset.filter(status=status)
    if onboarding:
        queryset = queryset.filter(onboarding_status=onboarding)
    return queryset


def recipients_of_person(user, person) -> QuerySet[Recipient]:
    """The person's place on the remittance roster, if the user may see it (the roster holds
    a person once)."""
    return recipient_visible_to(user).filter(person=person).order_by("id")


def payments_of_person(user, person) -> QuerySet[Payment]:
    return payment_visible_to(user).filter(recipient__person=person).order_by(
        "-period", "-id")


# ---------------------------------------------------------------------- the batch check page

#: How many added or dropped people the check page lists by name (the counts are always whole).
BATCH_CHANGES_LISTED = 200


def first_unpaid_month(today: datetime.date | None = None) -> datetime.date:
    """The month a new batch most likely pays: the one after the latest batch not sent back,
    or the current month when there is none."""
    latest = (Batch.objects.exclude(status=BatchStatus.REJECTED)
              .order_by("-period").values_list("period", flat=True).first())
    if latest is None:
        return (today or timezone.localdate()).replace(day=1)
    return (latest.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@dataclass
class BatchChanges:
    """Who is paid in ``batch`` and not in the previous month's batch (added) and the other way
    round (dropped), as the checker may see them."""

    previous: Batch | None
    added_count: int
    dropped_count: int
    added: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


def batch_changes(user, batch: Batch) -> BatchChanges:
    """Compared with the latest earlier batch not sent back. Names and case numbers come
    through the payments' visibility door, so a checker sees only people they may see; the
    counts are of the whole batch."""
    previous = (Batch.objects.exclude(status=BatchStatus.REJECTED).exclude(pk=batch.pk)
                .filter(period__lt=batch.period).order_by("-period", "-pk").first())
    if previous is None:
        return BatchChanges(previous=None, added_count=0, dropped_count=0)
    now_ids = set(batch.payments.values_list("recipient_id", flat=True))
    before_ids = set(Payment.objects.filter(batch=previous)
                     .values_list("recipient_id", flat=True))
    added_ids, dropped_ids = now_ids - before_ids, before_ids - now_ids
    visible = payment_visible_to(user)

    def rows(batch_of, ids):
        found = list(visible.filter(batch=batch_of, recipient_id__in=ids)
                     .order_by("recipient__ias_case_no")
                     .values("recipient__ias_case_no", "recipient__person__name_zh",
                             "recipient__status", "amount_mop")[:BATCH_CHANGES_LISTED])
        for row in found:
            row["status_label"] = RecipientStatus(row["recipient__status"]).label
        return found

    return BatchChanges(previous=previous, added_count=len(added_ids),
                        dropped_count=len(dropped_ids), added=rows(batch, added_ids),
                        dropped=rows(previous, dropped_ids))


def bank_document_of(recipient: Recipient):
    """The document a bank's desk checks at the counter: the Macau ID, else the travel permit."""
    return (IdentityDocument.objects.filter(person_id=recipient.person_id,
                                            document_type__in=["macau_id", "travel_permit"])
            .order_by("document_type", "id").first())
