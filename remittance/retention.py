"""Retention of the roster, the bank files and the roster imports (see core.retention; periods
in docs/operations.md).

- A recipient no longer active and unchanged for five years (or whose person has been
  anonymised) loses address, phone, card account, reasons and notes, the account number on its
  payments, and its IAS case number (replaced, so a later roster with that number registers
  someone new). District, aid type, amounts, statuses and dates stay: the dashboard counts the
  roster and activations by district and sums the payments by month. A recipient with a
  payment still awaiting the bank is kept.
- A reconciled batch unchanged for five years loses its bank instruction file and the bank's
  result files (names and account numbers of every recipient paid) and its payments' account
  numbers; the payments, totals and checksums stay.
- A roster import unchanged for one year loses the uploaded IAS file and the parsed preview
  (the register holds what was committed); a preview never committed is discarded. Counts,
  checksum and who did what stay.
The person stays in the register while a recipient is active, changed less than the period
ago, or has a payment awaiting the bank."""
from __future__ import annotations

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from core.retention import ANONYMISED, Rule, delete_files

from .models import (
    Appointment,
    Batch,
    BatchStatus,
    ImportRun,
    ImportStatus,
    OnboardingEvent,
    Payment,
    PaymentStatus,
    Recipient,
    RecipientStatus,
    ResultFile,
)


def _awaiting_bank(cutoff=None):
    return Payment.objects.filter(status=PaymentStatus.PENDING).values("recipient_id")


def _recipients_due(cutoff):
    return (Recipient.objects.exclude(status=RecipientStatus.ACTIVE)
            .filter(Q(updated_at__lt=cutoff) | Q(person__name_zh=ANONYMISED))
            .exclude(ias_case_no__startswith=ANONYMISED))


def _recipients_anonymise(recipients) -> int:
    OnboardingEvent.objects.filter(recipient__in=recipients).update(note="")
    Appointment.objects.filter(recipient__in=recipients).update(outcome="")
    Payment.objects.filter(recipient__in=recipients).update(account_no=ANONYMISED)
    return recipients.update(
        ias_case_no=Concat(Value(f"{ANONYMISED}-"), Cast("pk", CharField())), address="",
        phone="", card_account_no="", onboarding_reason="")


def _batches_due(cutoff):
    return (Batch.objects.filter(status=BatchStatus.RECONCILED, updated_at__lt=cutoff)
            .exclude(export_file=""))


def _batches_anonymise(batches) -> int:
    results = ResultFile.objects.filter(batch__in=batches)
    delete_files(batches, "export_file")
    delete_files(results, "file")
    results.update(file="")
    Payment.objects.filter(batch__in=batches).update(account_no=ANONYMISED)
    return batches.update(export_file="")


def _imports_due(cutoff):
    return ImportRun.objects.filter(updated_at__lt=cutoff).exclude(file="")


def _imports_anonymise(runs) -> int:
    delete_files(runs, "file")
    runs.filter(status=ImportStatus.PREVIEWED).update(status=ImportStatus.DISCARDED)
    for run in runs.only("pk", "summary"):
        ImportRun.objects.filter(pk=run.pk).update(summary={
            key: value for key, value in run.summary.items() if key != "diff"})
    return runs.update(file="", preview={})


def _people_held(cutoff):
    return (Recipient.objects.filter(Q(status=RecipientStatus.ACTIVE) | Q(updated_at__gte=cutoff)
                                     | Q(pk__in=_awaiting_bank()))
            .values("person_id"))


RULES = [
    Rule(name="remittance.recipient", due=_recipients_due, apply=_recipients_anonymise,
         description="Recipients ended five years ago: address, phone, card account, notes "
                     "and IAS case number removed; district, statuses and amounts kept."),
    Rule(name="remittance.batch", due=_batches_due, apply=_batches_anonymise,
         description="Reconciled batches five years on: bank and result files deleted, "
                     "account numbers removed; payments and totals kept."),
    Rule(name="remittance.importrun", due=_imports_due, apply=_imports_anonymise,
         default_days=365,
         description="Roster imports one year on: the uploaded file and preview deleted; "
                     "counts kept."),
]
HOLDS = {"cases.person": _people_held, "remittance.recipient": _awaiting_bank}
