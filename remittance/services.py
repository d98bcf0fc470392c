"""Writes of the remittance workstream. Each service is atomic, checks its guard, and writes
the audit trail.

Division of labour (seed 二（三）, tasks 7–10): the city civil-affairs bureau leads the
remittance work and the Financial Work bureau cooperates (card opening, the banks' priority
channel, the exchange with the bank); the Finance bureau has no part in it.

Maker–checker on batches: the maker (``batch_prepare``) is a city civil-affairs officer; the
checker (``batch_approve`` / ``batch_reject``) is a *second* city civil-affairs officer. The
database refuses a batch whose approver is its preparer (check constraint), so the rule holds
even outside these services. A rate more than ``RATE_JUMP`` away from the previous batch's is
refused unless the maker confirms it (a typing error of ×10 would otherwise pay ten times)."""
from __future__ import annotations

import calendar
import csv
import datetime
import hashlib
import io
import unicodedata
import uuid
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import IdentityDocument, Person, ResidenceStatus
from cases.names import apply_keys, keys_remembered
from cases.services import audit_reveal, lock_revealer, name_words_record
from core.audit import audit_record, audit_records, refusals_audited
from core.db import bulk_insert, insert_rows
from core.errors import ApplicationError
from core.files import FileKind, safe_cell, safe_filename, validate_upload
from core.identity import DocumentType, mask
from core.messages import Text
from core.models import AuditOutcome
from core.money import mop_to_cny, round_money
from core.notifications import notify_users, role_users
from core.reveal import check_rate, check_reason
from core.roles import Role, has_role
from core.visibility import user_agency

from . import conf
from . import roster_import as importer
from .models import (
    ONBOARDING_TRANSITIONS,
    Appointment,
    AppointmentStatus,
    BankBranch,
    Batch,
    BatchStatus,
    BatchTally,
    ImportRun,
    ImportStatus,
    OnboardingEvent,
    OnboardingStatus,
    Payment,
    PaymentStatus,
    Recipient,
    RecipientStatus,
    ResultFile,
)
from .permissions import (
    BANK_FILE_ROLES,
    CHECKER_ROLES,
    IMPORT_ROLES,
    MAKER_ROLES,
    REINSTATE_ROLES,
)
from .selectors import (
    appointment_changeable_by,
    bank_branch_of,
    bank_recipient_visible_to,
    recipient_changeable_by,
)

#: A rate further than this (as a share of the previous batch's rate) needs a confirmation.
RATE_JUMP = Decimal("0.10")


def _validation_message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# ------------------------------------------------------------------------ roster import

def roster_import_preview(*, actor, uploaded_file, is_full_roster: bool = False) -> ImportRun:
    """Check an uploaded roster file and keep the parsed preview in an ImportRun.

    ``is_full_roster``: the file lists every current recipient, so that committing it
    suspends the active recipients missing from it (``diff["disappeared"]``); a partial file
    (the default) suspends nobody. Nothing on the roster changes here. A file that cannot be read at all raises ApplicationError;
    row problems are listed in ``preview["errors"]``."""
    if not has_role(actor, *IMPORT_ROLES):
        raise ApplicationError(_("You may not import the roster."), code="forbidden", status=403)
    max_bytes = conf.import_max_bytes()
    try:
        kind = validate_upload(uploaded_file, kinds={FileKind.XLSX, FileKind.CSV},
                               max_bytes=max_bytes)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="bad_file", field="file") from None
    data = uploaded_file.read()
    uploaded_file.seek(0)
    try:
        header, rows = importer.read_table(data, kind, max_rows=conf.import_max_rows())
        positions = importer.map_header(header)
    except importer.FileProblem as problem:
        raise ApplicationError(str(problem), code="bad_file", field="file") from None
    clean, errors = importer.check_rows(positions, rows)
    with keys_remembered():  # a roster names some people alike
        matched, match_errors, diff = importer.match_register(clean)
    errors = sorted(errors + match_errors, key=lambda error: error["row"])
    name = safe_filename(getattr(uploaded_file, "name", "") or "roster")
    with transaction.atomic():
        run = ImportRun(original_name=name, sha256=hashlib.sha256(data).hexdigest(), kind=kind,
                        is_full_roster=bool(is_full_roster),
                        uploaded_by=actor, row_count=len(rows), error_count=len(errors),
                        preview={"rows": matched, "errors": errors, "diff": diff})
        run.file.save(name, ContentFile(data), save=False)
        run.save()
        audit_record(actor=actor, action="roster_import.preview", obj=run,
                     changes={"file": name, "rows": len(rows), "errors": len(errors),
                              "sha256": run.sha256, "full_roster": run.is_full_roster})
    return run


@refusals_audited
@transaction.atomic
def roster_import_commit(*, actor, import_run: ImportRun) -> ImportRun:
    """Apply a previewed file, all or nothing. The stored preview is matched again against the
    register (it may have changed since); any new conflict refuses the whole commit."""
    if not has_role(actor, *IMPORT_ROLES):
        raise ApplicationError(_("You may not import the roster."), code="forbidden", status=403)
    run = ImportRun.objects.select_for_update().get(pk=import_run.pk)
    if run.status != ImportStatus.PREVIEWED:
        raise ApplicationError(_("This import has already been committed or discarded."),
                               code="not_previewed", status=409)
    if run.error_count:
        raise ApplicationError(_("A file with errors cannot be imported; correct the file and "
                                 "upload it again."), code="has_errors")
    rows = [dict(row) for row in run.preview.get("rows", [])]
    with keys_remembered():  # each new person's name keys: for its matches, then stored
        rows, errors, diff = importer.match_register(
            rows, flagged=run.preview.get("diff", {}).get("possible_duplicates", []))
        if errors:
            raise ApplicationError(_("The register changed since the preview (%(count)s rows "
                                     "now conflict); upload the file again.")
                                   % {"count": len(errors)}, code="stale_preview", status=409)
        agency = user_agency(actor)
        now = timezone.now()

        # 1. People new to the register, with their documents.
        new_rows = [row for row in rows if row["person_id"] is None]
        people = [Person(name_zh=row["name"], sex=row["sex"],
                         date_of_birth=datetime.date.fromisoformat(row["date_of_birth"]),
                         residence_status=ResidenceStatus.MACAU_RESIDENT, phone=row["phone"],
                         address=row["address"], district=row["district"], owner_agency=agency,
                         created_by=actor, created_at=now) for row in new_rows]
        for person in people:
            apply_keys(person)  # the name keys global search looks people up by
    bulk_insert(Person, people, set_pks=True)
    name_words_record(people=people)
    for row, person in zip(new_rows, people):
        row["person_id"] = person.pk
    documents = []
    for row in rows:
        if row["add_macau_id"]:
            documents.append(IdentityDocument(person_id=row["person_id"],
                                              document_type=DocumentType.MACAU_ID,
                                              number=row["macau_id"]))
        if row["add_travel_permit"]:
            documents.append(IdentityDocument(person_id=row["person_id"],
                                              document_type=DocumentType.TRAVEL_PERMIT,
                                              number=row["travel_permit_no"]))
    try:
        with transaction.atomic():
            bulk_insert(IdentityDocument, documents)
    except IntegrityError:
        raise ApplicationError(_("Someone registered one of these documents meanwhile; upload "
                                 "the file again."), code="stale_preview", status=409) from None
    audit_records(actor=actor, action="person.create", entries=[
        ("cases.person", str(row["person_id"]),
         {"source": "roster_import", "import": run.pk,
          "document_number": mask(row["macau_id"] or row["travel_permit_no"])})
        for row in new_rows])

    # 2. Recipients added or changed.
    added = [Recipient(person_id=row["person_id"], ias_case_no=row["ias_case_no"],
                       aid_type=row["aid_type"], monthly_amount_mop=importer.amount(row),
                       effective_from=datetime.date.fromisoformat(row["effective_from"]),
                       district=row["district"], address=row["address"], phone=row["phone"],
                       last_import=run, created_at=now)
             for row in rows if row["recipient_id"] is None]
    bulk_insert(Recipient, added)
    changed_rows = {row["recipient_id"]: row for row in rows if row["changed"]}
    changed = list(Recipient.objects.filter(pk__in=list(changed_rows))) if changed_rows else []
    for recipient in changed:
        row = changed_rows[recipient.pk]
        recipient.aid_type = row["aid_type"]
        recipient.monthly_amount_mop = importer.amount(row)
        recipient.effective_from = datetime.date.fromisoformat(row["effective_from"])
        recipient.district = row["district"]
        recipient.address = row["address"]
        recipient.phone = row["phone"]
        recipient.last_import = run
        recipient.updated_at = now
    Recipient.objects.bulk_update(changed, importer.COMPARED_FIELDS + ["last_import",
                                                                       "updated_at"],
                                  batch_size=1000)
    # New recipients are not audited one by one: each points at this import (``last_import``),
    # whose audit event says who committed which file; new people are audited one by one.
    audit_records(actor=actor, action="recipient.change", entries=[
        ("remittance.recipient", str(recipient.pk),
         {"fields": ",".join(changed_rows[recipient.pk]["changed"]), "import": run.pk})
        for recipient in changed])

    # 3. A full roster: the active recipients missing from it are suspended (not paid) until
    #    a civil-affairs officer reinstates them. A partial roster leaves them as they are.
    suspended = []
    if run.is_full_roster and diff["disappeared"]:
        suspended = list(Recipient.objects.select_for_update().filter(
            ias_case_no__in=diff["disappeared"], status=RecipientStatus.ACTIVE)
            .order_by("ias_case_no"))
        for recipient in suspended:
            recipient.status = RecipientStatus.SUSPENDED
            recipient.suspended_by_import = run
            recipient.updated_at = now
        Recipient.objects.bulk_update(suspended, ["status", "suspended_by_import", "updated_at"],
                                      batch_size=1000)
        audit_records(actor=actor, action="recipient.suspend", entries=[
            ("remittance.recipient", str(recipient.pk),
             {"from": RecipientStatus.ACTIVE, "to": RecipientStatus.SUSPENDED, "import": run.pk,
              "reason": "missing_from_full_roster"}) for recipient in suspended])

    run.status = ImportStatus.COMMITTED
    run.committed_by = actor
    run.committed_at = now
    run.summary = {"added": len(added), "changed": len(changed),
                   "unchanged": diff["unchanged"], "disappeared": len(diff["disappeared"]),
                   "suspended": len(suspended), "people_registered": len(new_rows),
                   "possible_duplicates": len(diff.get("possible_duplicates", [])), "diff": diff}
    run.save(update_fields=["status", "committed_by", "committed_at", "summary", "updated_at"])
    audit_record(actor=actor, action="roster_import.commit", obj=run,
                 changes={"added": len(added), "changed": len(changed),
                          "disappeared": len(diff["disappeared"]), "sha256": run.sha256,
                          "full_roster": run.is_full_roster, "suspended": len(suspended),
                          "possible_duplicates": len(diff.get("possible_duplicates", []))})
    if suspended:
        _notify_roster_sides(run=run, title=Text(gettext_lazy(
            "Roster import no. %(number)s: %(count)s recipients missing from the full roster "
            "are suspended until a civil-affairs officer reinstates them."),
            number=run.pk, count=len(suspended)), kind="remittance.roster_suspend")
    return run


def _roster_side_users():
    """Both sides of the roster: IAS's liaisons, and the civil-affairs officers (city) and
    Financial Work officers who run the disbursement."""
    return list(role_users(Role.MACAU, Role.CITY, Role.FINWORK))


def _notify_roster_sides(*, run: ImportRun, title: Text, kind: str) -> None:
    notify_users(recipients=_roster_side_users(), title=title, kind=kind,
                 url=reverse("remittance:import_detail", kwargs={"pk": run.pk}))


@refusals_audited
@transaction.atomic
def recipient_reinstate(*, actor, recipient: Recipient, note: str = "") -> Recipient:
    """A civil-affairs officer confirms that a suspended recipient is paid again (from the
    next batch on). Both sides are told; the import that suspended them stays recorded."""
    if not has_role(actor, *REINSTATE_ROLES):
        raise ApplicationError(_("Only a civil-affairs officer may reinstate a suspended "
                                 "recipient."), code="forbidden", status=403)
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.status != RecipientStatus.SUSPENDED:
        raise ApplicationError(_("Only a suspended recipient can be reinstated."),
                               code="bad_transition", status=409)
    recipient.status = RecipientStatus.ACTIVE
    recipient.effective_until = None
    recipient.full_clean()
    recipient.save(update_fields=["status", "effective_until", "updated_at"])
    audit_record(actor=actor, action="recipient.reinstate", obj=recipient,
                 changes={"from": RecipientStatus.SUSPENDED, "to": RecipientStatus.ACTIVE,
                          "import": recipient.suspended_by_import_id, "note": note[:200]})
    if recipient.suspended_by_import_id:
        _notify_roster_sides(run=recipient.suspended_by_import, title=Text(gettext_lazy(
            "Roster import no. %(number)s: recipient %(case)s was reinstated and is paid "
            "again from the next batch."), number=recipient.suspended_by_import_id,
            case=recipient.ias_case_no),
            kind="remittance.roster_reinstate")
    return recipient


@refusals_audited
@transaction.atomic
def roster_import_discard(*, actor, import_run: ImportRun) -> ImportRun:
    run = ImportRun.objects.select_for_update().get(pk=import_run.pk)
    if run.status != ImportStatus.PREVIEWED:
        raise ApplicationError(_("This import has already been committed or discarded."),
                               code="not_previewed", status=409)
    run.status = ImportStatus.DISCARDED
    run.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="roster_import.discard", obj=run)
    return run


@refusals_audited
@transaction.atomic
def recipient_set_status(*, actor, recipient: Recipient, status: str, note: str = "") -> Recipient:
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if status not in RecipientStatus.values:
        raise ApplicationError(_("Unknown status."), field="status")
    if (recipient.status == RecipientStatus.SUSPENDED and status == RecipientStatus.ACTIVE
            and not has_role(actor, *REINSTATE_ROLES)):
        raise ApplicationError(_("Only a civil-affairs officer may reinstate a suspended "
                                 "recipient."), code="forbidden", status=403)
    old = recipient.status
    recipient.status = status
    if status != RecipientStatus.ACTIVE and recipient.effective_until is None:
        recipient.effective_until = timezone.localdate()
    elif status == RecipientStatus.ACTIVE:
        recipient.effective_until = None
    recipient.full_clean()
    recipient.save(update_fields=["status", "effective_until", "updated_at"])
    audit_record(actor=actor, action="recipient.status", obj=recipient,
                 changes={"from": old, "to": status, "note": note[:200]})
    return recipient


# ---------------------------------------------------------------------- card onboarding

def _onboarding_step(*, actor, recipient: Recipient, target: str, on_date: datetime.date,
                     note: str = "", fields: dict | None = None) -> Recipient:
    if not recipient_changeable_by(actor, recipient):
        raise ApplicationError(_("You may not record the card steps of this recipient."),
                               code="forbidden", status=403)
    branch = (fields or {}).get("bank_branch")
    if (branch is not None and has_role(actor, Role.BANK)
            and not bank_branch_of(actor).filter(pk=branch.pk).exists()):
        raise ApplicationError(_("Choose a branch of your own bank."), field="bank_branch")
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.onboarding_status not in ONBOARDING_TRANSITIONS[target]:
        raise ApplicationError(
            _("The card status cannot change from “%(from)s” to “%(to)s”.")
            % {"from": recipient.get_onboarding_status_display(),
               "to": OnboardingStatus(target).label}, code="bad_transition", status=409)
    if on_date > timezone.localdate() and target != OnboardingStatus.VISIT_SCHEDULED:
        raise ApplicationError(_("The date cannot be in the future."), field="on_date")
    old = recipient.onboarding_status
    recipient.onboarding_status = target
    recipient.onboarding_changed_on = on_date
    recipient.onboarding_reason = note[:300] if target in (OnboardingStatus.FAILED,
                                                           OnboardingStatus.DECLINED) else ""
    update = ["onboarding_status", "onboarding_changed_on", "onboarding_reason", "updated_at"]
    for field, value in (fields or {}).items():
        setattr(recipient, field, value)
        update.append(field)
    recipient.full_clean(exclude=[field.name for field in Recipient._meta.fields
                                  if field.name not in update], validate_unique=False)
    recipient.save(update_fields=update)
    OnboardingEvent.objects.create(recipient=recipient, from_status=old, to_status=target,
                                   on_date=on_date, note=note[:300], actor=actor)
    changes = {"from": old, "to": target, "date": on_date.isoformat()}
    if "card_account_no" in (fields or {}):
        changes["card_account_no"] = mask(recipient.card_account_no)
    audit_record(actor=actor, action="recipient.onboarding", obj=recipient, changes=changes)
    return recipient


@refusals_audited
@transaction.atomic
def onboarding_schedule_visit(*, actor, recipient: Recipient, visit_date: datetime.date,
                              officers: str, bank_branch: BankBranch | None = None) -> Recipient:
    """Book the home visit at which the bank opens and activates the card (task 9)."""
    if not officers.strip():
        raise ApplicationError(_("Name the visiting officers."), field="officers")
    fields = {"visit_date": visit_date, "visit_officers": officers.strip()[:200]}
    if bank_branch is not None:
        fields["bank_branch"] = bank_branch
    return _onboarding_step(actor=actor, recipient=recipient,
                            target=OnboardingStatus.VISIT_SCHEDULED, on_date=visit_date,
                            note=officers.strip()[:300], fields=fields)


@refusals_audited
@transaction.atomic
def onboarding_card_opened(*, actor, recipient: Recipient, on_date: datetime.date,
                           account_no: str, bank_branch: BankBranch) -> Recipient:
    account = "".join(account_no.split())
    if not (account.isascii() and account.isdigit()) or not 12 <= len(account) <= 32:
        raise ApplicationError(_("A card account number has 12 to 32 digits."),
                               field="account_no")
    return _onboarding_step(actor=actor, recipient=recipient, target=OnboardingStatus.CARD_OPENED,
                            on_date=on_date, fields={"card_account_no": account,
                                                     "bank_branch": bank_branch})


@refusals_audited
@transaction.atomic
def onboarding_activate(*, actor, recipient: Recipient, on_date: datetime.date) -> Recipient:
    return _onboarding_step(actor=actor, recipient=recipient, target=OnboardingStatus.ACTIVATED,
                            on_date=on_date)


@refusals_audited
@transaction.atomic
def onboarding_fail(*, actor, recipient: Recipient, on_date: datetime.date, reason: str,
                    declined: bool = False) -> Recipient:
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    target = OnboardingStatus.DECLINED if declined else OnboardingStatus.FAILED
    return _onboarding_step(actor=actor, recipient=recipient, target=target, on_date=on_date,
                            note=reason.strip())


# --------------------------------------------------------------------- priority channel

@refusals_audited
@transaction.atomic
def bank_branch_create(*, actor, bank_name: str, name: str, address: str = "",
                       district: str = "", phone: str = "", has_priority_window: bool = False,
                       priority_hours: str = "") -> BankBranch:
    branch = BankBranch(bank_name=bank_name.strip(), name=name.strip(), address=address.strip(),
                        district=district, phone=phone.strip(),
                        has_priority_window=has_priority_window,
                        priority_hours=priority_hours.strip())
    branch.full_clean()
    branch.save()
    audit_record(actor=actor, action="bank_branch.create", obj=branch,
                 changes={"bank": branch.bank_name, "branch": branch.name})
    return branch


@refusals_audited
@transaction.atomic
def appointment_book(*, actor, recipient: Recipient, branch: BankBranch,
                     scheduled_at: datetime.datetime, purpose: str) -> Appointment:
    if not branch.has_priority_window or not branch.is_active:
        raise ApplicationError(_("This branch offers no priority window."), field="branch")
    if scheduled_at < timezone.now() - datetime.timedelta(hours=1):
        raise ApplicationError(_("The appointment cannot be in the past."),
                               field="scheduled_at")
    appointment = Appointment(recipient=recipient, branch=branch, scheduled_at=scheduled_at,
                              purpose=purpose, created_by=actor)
    appointment.full_clean()
    appointment.save()
    audit_record(actor=actor, action="appointment.create", obj=appointment,
                 changes={"recipient": recipient.pk, "branch": branch.pk,
                          "at": scheduled_at.isoformat()})
    return appointment


@refusals_audited
@transaction.atomic
def appointment_record_outcome(*, actor, appointment: Appointment, status: str,
                               outcome: str = "") -> Appointment:
    if not appointment_changeable_by(actor, appointment):
        raise ApplicationError(_("You may not record the outcome of this appointment."),
                               code="forbidden", status=403)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ApplicationError(_("The outcome of this appointment is already recorded."),
                               code="bad_transition", status=409)
    if status not in (AppointmentStatus.SERVED, AppointmentStatus.NO_SHOW,
                      AppointmentStatus.CANCELLED):
        raise ApplicationError(_("Choose the outcome."), field="status")
    appointment.status = status
    appointment.outcome = outcome.strip()[:300]
    appointment.full_clean()
    appointment.save(update_fields=["status", "outcome", "updated_at"])
    audit_record(actor=actor, action="appointment.outcome", obj=appointment,
                 changes={"status": status})
    return appointment


# ----------------------------------------------------------------------------- batches

def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def month_end(value: datetime.date) -> datetime.date:
    return value.replace(day=calendar.monthrange(value.year, value.month)[1])


def payable_recipients(period: datetime.date):
    """Active recipients with an activated card whose aid covers ``period`` and who have no
    live payment for it yet."""
    live = Payment.objects.filter(period=period).exclude(status=PaymentStatus.CARRIED_OVER)
    return (Recipient.objects.filter(
        status=RecipientStatus.ACTIVE, onboarding_status=OnboardingStatus.ACTIVATED,
        effective_from__lte=month_end(period))
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=period))
        .exclude(card_account_no="")
        .exclude(pk__in=live.values("recipient_id")))


def _check_rate(rate) -> Decimal:
    if isinstance(rate, str):
        try:
            rate = Decimal("".join(rate.split()))
        except ArithmeticError:
            raise ApplicationError(_("The exchange rate must be a positive number."),
                                   field="rate") from None
    try:
        mop_to_cny(Decimal("1.00"), rate)
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), field="rate") from None
    return rate


def previous_batch() -> Batch | None:
    """The batch prepared last and not sent back: the rate a new batch is compared with."""
    return (Batch.objects.exclude(status=BatchStatus.REJECTED)
            .order_by("-prepared_at", "-pk").first())


def rate_change(rate: Decimal, previous: Batch | None) -> Decimal | None:
    """The relative change from the previous batch's rate when it exceeds ``RATE_JUMP``."""
    if previous is None or not previous.rate:
        return None
    change = abs(rate - previous.rate) / previous.rate
    return change if change > RATE_JUMP else None


@refusals_audited
def batch_prepare(*, actor, period: datetime.date, rate, rate_date: datetime.date,
                  rate_source: str, rate_confirmed: bool = False) -> Batch:
    """The maker's step: one payment per payable recipient for ``period`` (CNY = MOP × rate,
    rounded per payment), plus every failed, not yet carried payment of earlier batches whose
    recipient is still payable. Two batches racing for the same month cannot both pay anyone:
    the database's unique constraint on (recipient, period) refuses the second.

    A rate more than 10 % away from the previous batch's is refused (and the refusal audited)
    unless ``rate_confirmed``; a confirmed jump is audited with the batch. The checks run
    outside the transaction of ``_batch_prepare`` so that the refusal's audit row stays."""
    if not has_role(actor, *MAKER_ROLES):
        raise ApplicationError(_("You may not prepare disbursement batches."),
                               code="forbidden", status=403)
    rate = _check_rate(rate)
    if not rate_source.strip():
        raise ApplicationError(_("State the source of the exchange rate."), field="rate_source")
    if rate_date > timezone.localdate():
        raise ApplicationError(_("The rate date cannot be in the future."), field="rate_date")
    previous = previous_batch()
    change = rate_change(rate, previous)
    if change is not None and not rate_confirmed:
        details = {"rate": str(rate), "previous_rate": str(previous.rate),
                   "previous_batch": previous.number, "change": f"{change:.4f}"}
        audit_record(actor=actor, action="batch.rate_unconfirmed", object_type="remittance.batch",
                     outcome=AuditOutcome.DENIED, changes=details,
                     summary=_("rate too far from the previous batch's, not confirmed"))
        raise ApplicationError(
            _("The rate %(rate)s is %(change)s away from the rate of the previous batch "
              "%(number)s (%(previous)s). Check it for a typing error; if it is right, confirm "
              "the rate and prepare the batch again.") % {
                "rate": rate, "change": f"{change:.0%}", "number": previous.number,
                "previous": previous.rate},
            code="rate_unconfirmed", field="rate_confirmed")
    return _batch_prepare(actor=actor, period=period, rate=rate, rate_date=rate_date,
                          rate_source=rate_source, previous=previous, change=change)


class _Tallies:
    """Moves of payments between statuses, per batch, written to the batches' ``BatchTally``
    rows as increments when the service's changes are saved. The caller locks each batch
    moved before its payments are changed."""

    def __init__(self):
        self._moves: dict[tuple[int, str], list] = {}

    def move(self, batch_id: int, source: str, target: str, count: int, mop: Decimal,
             cny: Decimal) -> None:
        for status, sign in ((source, -1), (target, 1)):
            totals = self._moves.setdefault((batch_id, status), [0, Decimal(0), Decimal(0)])
            totals[0] += sign * count
            totals[1] += sign * mop
            totals[2] += sign * cny

    def save(self) -> None:
        for (batch_id, status), (count, mop, cny) in sorted(self._moves.items()):
            if count or mop or cny:
                BatchTally.objects.filter(batch_id=batch_id, status=status).update(
                    count=F("count") + count, amount_mop=F("amount_mop") + mop,
                    amount_cny=F("amount_cny") + cny)


def recount_tallies(batch: Batch, *, fix: bool = True) -> bool:
    """Count the batch's payments by status (and those carried into it) and compare with the
    stored tallies; ``True`` when they agree. ``fix`` writes the counted figures where they do
    not. For payments written outside the services (the scale seed) and for
    ``manage.py batch_recount``."""
    rows = {row["status"]: row for row in batch.payments.values("status").annotate(
        count=Count("id"), amount_mop=Sum("amount_mop"), amount_cny=Sum("amount_cny"))
        .order_by("status")}
    # SQLite (the embedded run) sums decimals as floats (417031.820000001): back to the fen.
    counted = {status: (rows[status]["count"], round_money(rows[status]["amount_mop"]),
                        round_money(rows[status]["amount_cny"])) if status in rows
               else (0, Decimal("0.00"), Decimal("0.00")) for status in PaymentStatus.values}
    carried_in = batch.payments.exclude(carried_from=None).count()
    stored = {tally.status: (tally.count, tally.amount_mop, tally.amount_cny)
              for tally in batch.tallies.all()}
    if stored == counted and batch.carried_in_count == carried_in:
        return True
    if fix:
        with transaction.atomic():
            batch.tallies.all().delete()
            BatchTally.objects.bulk_create(
                BatchTally(batch=batch, status=status, count=count, amount_mop=mop,
                           amount_cny=cny) for status, (count, mop, cny) in counted.items())
            Batch.objects.filter(pk=batch.pk).update(carried_in_count=carried_in)
        batch.carried_in_count = carried_in
    return False


def _locked_batches(pks) -> list[int]:
    """Lock the batches ``pks`` (a list or a subquery), in one order so that two services
    locking several cannot wait on each other; their pks."""
    return list(Batch.objects.select_for_update().filter(pk__in=pks).order_by("pk")
                .values_list("pk", flat=True))


class _PaymentRow(NamedTuple):
    """A payment of a batch being prepared, as ``insert_rows`` takes it (with the batch)."""
    recipient_id: int
    period: datetime.date
    reference: str
    amount_mop: Decimal
    amount_cny: Decimal
    account_no: str
    carried_from_id: int | None


@transaction.atomic
def _batch_prepare(*, actor, period: datetime.date, rate: Decimal, rate_date: datetime.date,
                   rate_source: str, previous: Batch | None, change: Decimal | None) -> Batch:
    period = month_start(period)
    now = timezone.now()
    batch = Batch(number=f"tmp-{uuid.uuid4().hex[:16]}", period=period, rate=rate,
                  rate_date=rate_date, rate_source=rate_source.strip()[:120],
                  prepared_by=actor, prepared_at=now)
    batch.full_clean(exclude=["number"])
    batch.save()
    batch.number = f"PB{period:%Y%m}-{batch.pk:04d}"
    payments: list[_PaymentRow] = []

    def add(recipient_id, payment_period, amount_mop, account_no, carried_from=None):
        payments.append(_PaymentRow(
            recipient_id, payment_period, f"{batch.number}-{len(payments) + 1:06d}",
            amount_mop, mop_to_cny(amount_mop, rate), account_no, carried_from))

    # The batches holding failed payments are locked first: a result import on one of them
    # (which locks its batch, then its payments) must not change them under this carry-over.
    failed_now = Payment.objects.filter(status=PaymentStatus.FAILED, period__lte=period)
    holders = _locked_batches(failed_now.values("batch_id"))
    failed = list(failed_now.select_for_update(of=("self",)).filter(
        batch_id__in=holders, recipient__status=RecipientStatus.ACTIVE,
        recipient__onboarding_status=OnboardingStatus.ACTIVATED)
        .exclude(recipient__card_account_no="")
        .values_list("pk", "recipient_id", "period", "amount_mop", "recipient__card_account_no",
                     "batch_id", "amount_cny"))
    tallies = _Tallies()
    if failed:
        Payment.objects.filter(pk__in=[row[0] for row in failed]).update(
            status=PaymentStatus.CARRIED_OVER)
    for pk, recipient_id, payment_period, amount_mop, account, origin, origin_cny in failed:
        add(recipient_id, payment_period, amount_mop, account, carried_from=pk)
        tallies.move(origin, PaymentStatus.FAILED, PaymentStatus.CARRIED_OVER, 1, amount_mop,
                     origin_cny)
    carried_recipients = {(row[1], row[2]) for row in failed}
    for recipient_id, amount_mop, account in payable_recipients(period).values_list(
            "pk", "monthly_amount_mop", "card_account_no").order_by("ias_case_no"):
        if (recipient_id, period) not in carried_recipients:
            add(recipient_id, period, amount_mop, account)
    if not payments:
        raise ApplicationError(_("Nobody is due a payment for %(month)s.")
                               % {"month": f"{period:%Y-%m}"}, code="empty")
    if any(row.amount_cny <= 0 for row in payments):
        raise ApplicationError(_("At this rate some payments would be zero in CNY; check the "
                                 "exchange rate."), code="zero_payment", field="rate")
    try:
        with transaction.atomic():
            # Rows, not Payment instances: at 200,000 payments, building and taking apart the
            # instances cost more than the COPY (BENCHMARKS.md, "A million people").
            insert_rows(Payment, ["batch_id", *_PaymentRow._fields],
                        [(batch.pk, *row) for row in payments])
    except IntegrityError:
        raise ApplicationError(_("Some recipients already have a payment for %(month)s; "
                                 "another batch was prepared at the same time. Reload and "
                                 "try again.") % {"month": f"{period:%Y-%m}"},
                               code="double_payment", status=409) from None
    batch.payment_count = len(payments)
    batch.total_mop = sum((row.amount_mop for row in payments), Decimal("0.00"))
    batch.total_cny = sum((row.amount_cny for row in payments), Decimal("0.00"))
    batch.carried_in_count = len(failed)
    batch.save(update_fields=["number", "payment_count", "total_mop", "total_cny",
                              "carried_in_count"])
    BatchTally.objects.bulk_create(
        BatchTally(batch=batch, status=status, **(
            {"count": batch.payment_count, "amount_mop": batch.total_mop,
             "amount_cny": batch.total_cny} if status == PaymentStatus.PENDING else {}))
        for status in PaymentStatus.values)
    tallies.save()
    audit_record(actor=actor, action="batch.prepare", obj=batch,
                 changes={"period": f"{period:%Y-%m}", "rate": str(rate),
                          "payments": batch.payment_count, "total_mop": str(batch.total_mop),
                          "total_cny": str(batch.total_cny), "carried": len(failed)})
    if change is not None:
        audit_record(actor=actor, action="batch.rate_confirm", obj=batch,
                     summary=_("rate far from the previous batch's, confirmed by the maker"),
                     changes={"rate": str(rate), "previous_rate": str(previous.rate),
                              "previous_batch": previous.number, "change": f"{change:.4f}"})
    return batch


def _locked_batch(batch: Batch) -> Batch:
    return Batch.objects.select_for_update().get(pk=batch.pk)


@refusals_audited
@transaction.atomic
def batch_approve(*, actor, batch: Batch) -> Batch:
    """The checker's step: a second city civil-affairs officer, not the one who prepared it."""
    batch = _locked_batch(batch)
    if not has_role(actor, *CHECKER_ROLES):
        raise ApplicationError(_("You may not approve disbursement batches."),
                               code="forbidden", status=403)
    if batch.prepared_by_id == actor.pk:
        raise ApplicationError(_("The officer who prepared a batch cannot approve it; another "
                                 "officer must check it."), code="maker_checker", status=403)
    if batch.status != BatchStatus.PREPARED:
        raise ApplicationError(_("Only a prepared batch can be approved."),
                               code="bad_transition", status=409)
    batch.status = BatchStatus.APPROVED
    batch.approved_by = actor
    batch.approved_at = timezone.now()
    batch.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action="batch.approve", obj=batch,
                 changes={"payments": batch.payment_count, "total_cny": str(batch.total_cny)})
    return batch


@refusals_audited
@transaction.atomic
def batch_reject(*, actor, batch: Batch, reason: str) -> Batch:
    """Send a prepared batch back: its payments are removed (carried ones become failed again)
    so the month can be prepared anew."""
    batch = _locked_batch(batch)
    if not has_role(actor, *CHECKER_ROLES):
        raise ApplicationError(_("You may not approve disbursement batches."),
                               code="forbidden", status=403)
    if batch.prepared_by_id == actor.pk:
        raise ApplicationError(_("The officer who prepared a batch cannot approve it; another "
                                 "officer must check it."), code="maker_checker", status=403)
    if batch.status != BatchStatus.PREPARED:
        raise ApplicationError(_("Only a prepared batch can be rejected."),
                               code="bad_transition", status=409)
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    origins = list(batch.payments.exclude(carried_from=None).values_list("carried_from_id",
                                                                         flat=True))
    _locked_batches(Payment.objects.filter(pk__in=origins).values("batch_id"))
    tallies = _Tallies()
    for row in (Payment.objects.filter(pk__in=origins).values("batch_id")
                .annotate(count=Count("id"), mop=Sum("amount_mop"), cny=Sum("amount_cny"))
                .order_by("batch_id")):
        tallies.move(row["batch_id"], PaymentStatus.CARRIED_OVER, PaymentStatus.FAILED,
                     row["count"], row["mop"], row["cny"])
    batch.payments.all().delete()
    Payment.objects.filter(pk__in=origins).update(status=PaymentStatus.FAILED)
    batch.tallies.update(count=0, amount_mop=0, amount_cny=0)
    batch.carried_in_count = 0
    tallies.save()
    batch.status = BatchStatus.REJECTED
    batch.rejection_reason = reason.strip()[:300]
    batch.save(update_fields=["status", "rejection_reason", "carried_in_count", "updated_at"])
    audit_record(actor=actor, action="batch.reject", obj=batch, summary=reason[:400])
    return batch


BANK_FILE_HEADER = ["record_type", "payment_reference", "account_number", "account_name",
                    "currency", "amount_cny", "amount_mop", "rate", "period", "ias_case_no"]


def bank_file_bytes(batch: Batch) -> bytes:
    """The bank instruction file (see docs/remittance.md): UTF-8, CRLF, a header row, one
    ``D`` row per payment and a ``T`` control row with the count and both totals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(BANK_FILE_HEADER)
    count = 0
    total_cny = total_mop = Decimal("0.00")
    for reference, account, name, amount_cny, amount_mop, period, case_no in (
            batch.payments.exclude(status=PaymentStatus.CARRIED_OVER).order_by("reference")
            .values_list("reference", "account_no", "recipient__person__name_zh", "amount_cny",
                         "amount_mop", "period", "recipient__ias_case_no")):
        writer.writerow(["D", reference, account, safe_cell(name), "CNY", f"{amount_cny:.2f}",
                         f"{amount_mop:.2f}", f"{batch.rate:.6f}", f"{period:%Y-%m}",
                         safe_cell(case_no)])
        count += 1
        total_cny += amount_cny
        total_mop += amount_mop
    writer.writerow(["T", batch.number, str(count), "", "CNY", f"{total_cny:.2f}",
                     f"{total_mop:.2f}", f"{batch.rate:.6f}", f"{batch.period:%Y-%m}", ""])
    return buffer.getvalue().encode("utf-8")


@refusals_audited
@transaction.atomic
def batch_export(*, actor, batch: Batch) -> Batch:
    """Write the bank instruction file once (approved → exported); later downloads serve the
    same stored file. Every export is audited."""
    batch = _locked_batch(batch)
    if not has_role(actor, *BANK_FILE_ROLES):
        raise ApplicationError(_("You may not export bank files."), code="forbidden",
                               status=403)
    if not batch.can_export:
        raise ApplicationError(_("Only an approved batch can be sent to the bank."),
                               code="bad_transition", status=409)
    if not batch.export_file:
        data = bank_file_bytes(batch)
        batch.export_file.save(f"{batch.number}.csv", ContentFile(data), save=False)
        batch.export_sha256 = hashlib.sha256(data).hexdigest()
        batch.status = BatchStatus.EXPORTED
        batch.exported_by = actor
        batch.exported_at = timezone.now()
        batch.save(update_fields=["export_file", "export_sha256", "status", "exported_by",
                                  "exported_at", "updated_at"])
    audit_record(actor=actor, action="batch.export", obj=batch,
                 changes={"sha256": batch.export_sha256, "payments": batch.payment_count})
    return batch


_PAID = {"PAID", "SUCCESS", "OK", "成功", "已支付", "已付"}
_FAILED = {"FAILED", "FAIL", "REJECTED", "失败", "失敗", "退回"}


def _parse_result_file(data: bytes) -> list[tuple[int, str, str, str, str]]:
    """Lines ``(row, reference, status, bank_reference, reason)``; an optional ``T`` control
    row is checked against the count of lines."""
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ApplicationError(_("The CSV file must be saved as UTF-8 or GB18030 text."),
                               field="file")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ApplicationError(_("The file is empty."), field="file")
    header = [cell.strip().lower() for cell in rows[0]]
    try:
        ref_i = header.index("payment_reference")
        status_i = header.index("status")
    except ValueError:
        raise ApplicationError(_("The result file needs the columns payment_reference and "
                                 "status."), field="file") from None
    bank_i = header.index("bank_reference") if "bank_reference" in header else None
    reason_i = header.index("reason") if "reason" in header else None
    lines = []
    control = None
    for number, row in enumerate(rows[1:], start=2):
        def get(index):
            return row[index].strip() if index is not None and index < len(row) else ""
        if row and row[0].strip().upper() == "T":
            control = (number, row)
            continue
        status = get(status_i).upper()
        if status in _PAID:
            status = PaymentStatus.PAID
        elif status in _FAILED:
            status = PaymentStatus.FAILED
        else:
            raise ApplicationError(_("Row %(row)s: unknown status “%(status)s” (use PAID or "
                                     "FAILED).") % {"row": number, "status": get(status_i)},
                                   field="file")
        lines.append((number, get(ref_i), status, get(bank_i)[:64], get(reason_i)[:300]))
    if control is not None:
        counts = [cell.strip() for cell in control[1]
                  if cell.strip().isascii() and cell.strip().isdigit()]
        if counts and int(counts[0]) != len(lines):
            raise ApplicationError(_("The control row says %(expected)s lines but the file has "
                                     "%(found)s.") % {"expected": counts[0], "found": len(lines)},
                                   field="file")
    return lines


@refusals_audited
@transaction.atomic
def batch_result_import(*, actor, batch: Batch, uploaded_file) -> tuple[ResultFile, bool]:
    """Record the bank's result per payment. Idempotent: the same file again (or a line whose
    result is already recorded) changes nothing. A line contradicting a recorded result refuses
    the whole file. Returns ``(result_file, created)``."""
    batch = _locked_batch(batch)
    if not has_role(actor, *BANK_FILE_ROLES):
        raise ApplicationError(_("You may not import bank result files."), code="forbidden",
                               status=403)
    if not batch.can_import_results:
        raise ApplicationError(_("Results can be imported only after the bank file was "
                                 "exported."), code="bad_transition", status=409)
    try:
        validate_upload(uploaded_file, kinds={FileKind.CSV}, max_bytes=conf.import_max_bytes())
    except ValidationError as error:
        raise ApplicationError(_validation_message(error), code="bad_file", field="file") from None
    data = uploaded_file.read()
    uploaded_file.seek(0)
    sha = hashlib.sha256(data).hexdigest()
    existing = ResultFile.objects.filter(batch=batch, sha256=sha).first()
    if existing is not None:
        return existing, False
    lines = _parse_result_file(data)
    payments = {payment.reference: payment for payment in batch.payments.select_for_update()}
    now = timezone.now()
    to_update: list[Payment] = []
    tallies = _Tallies()
    paid = failed = unchanged = 0
    seen = set()
    for number, reference, status, bank_reference, reason in lines:
        payment = payments.get(reference)
        if payment is None:
            raise ApplicationError(_("Row %(row)s: payment %(reference)s is not in this batch.")
                                   % {"row": number, "reference": reference}, field="file")
        if reference in seen:
            raise ApplicationError(_("Row %(row)s: payment %(reference)s appears twice.")
                                   % {"row": number, "reference": reference}, field="file")
        seen.add(reference)
        recorded = (PaymentStatus.FAILED if payment.status == PaymentStatus.CARRIED_OVER
                    else payment.status)
        if recorded == status:
            unchanged += 1
            continue
        if payment.status != PaymentStatus.PENDING:
            raise ApplicationError(_("Row %(row)s: payment %(reference)s is already recorded as "
                                     "“%(status)s”.") % {"row": number, "reference": reference,
                                                        "status": payment.get_status_display()},
                                   code="conflict", field="file", status=409)
        payment.status = status
        payment.bank_reference = bank_reference
        payment.failure_reason = reason if status == PaymentStatus.FAILED else ""
        if status == PaymentStatus.FAILED and not payment.failure_reason:
            payment.failure_reason = _("No reason given by the bank")
        payment.settled_at = now
        to_update.append(payment)
        tallies.move(batch.pk, PaymentStatus.PENDING, status, 1, payment.amount_mop,
                     payment.amount_cny)
        if status == PaymentStatus.PAID:
            paid += 1
        else:
            failed += 1
    Payment.objects.bulk_update(to_update, ["status", "bank_reference", "failure_reason",
                                            "settled_at"], batch_size=1000)
    tallies.save()
    name = safe_filename(getattr(uploaded_file, "name", "") or "result.csv")
    result = ResultFile(batch=batch, original_name=name, sha256=sha, imported_by=actor,
                        paid_count=paid, failed_count=failed, unchanged_count=unchanged)
    result.file.save(name, ContentFile(data), save=False)
    result.save()
    if not batch.payments.filter(status=PaymentStatus.PENDING).exists():
        batch.status = BatchStatus.RECONCILED
        batch.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="batch.result_import", obj=batch,
                 changes={"file": name, "paid": paid, "failed": failed, "unchanged": unchanged,
                          "sha256": sha})
    return result, True


def parse_rate(raw: str) -> Decimal:
    """A rate typed by a user (full-width digits tolerated)."""
    text = "".join(unicodedata.normalize("NFKC", raw).split())
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ApplicationError(_("The exchange rate must be a positive number."),
                               field="rate") from None
    return _check_rate(value)



# --- Revealing a full number (core.reveal) -----------------------------------------------------

def _refuse_reveal():
    raise ApplicationError(_("Your role may not see this full number."),
                           code="reveal_forbidden", status=403)


@refusals_audited
@transaction.atomic
def recipient_account_reveal(*, actor, recipient: Recipient, reason: str, note: str = "") -> str:
    """The full card account number of ``recipient``, for whoever records its card onboarding
    (the roster's writers within their visibility, the bank's staff for a recipient routed to
    their bank), with a reason; audited with it."""
    check_reason(reason, note)
    if not recipient_changeable_by(actor, recipient):
        _refuse_reveal()
    if not recipient.card_account_no:
        raise ApplicationError(_("No card account number is recorded."), code="no_number",
                               status=409)
    lock_revealer(actor)
    check_rate(actor)
    audit_reveal(actor=actor, action="recipient_account.reveal", obj=recipient, reason=reason,
                 note=note, number=recipient.card_account_no)
    return recipient.card_account_no


#: The documents a bank's desk checks at the counter.
BANK_DOCUMENT_TYPES = (DocumentType.MACAU_ID, DocumentType.TRAVEL_PERMIT)


@refusals_audited
@transaction.atomic
def recipient_document_reveal(*, actor, recipient: Recipient, document: IdentityDocument,
                              reason: str, note: str = "") -> str:
    """The full Macau ID or travel-permit number of a recipient routed to the user's bank, to
    check the person at the counter; audited with the reason."""
    check_reason(reason, note)
    if (document.person_id != recipient.person_id
            or document.document_type not in BANK_DOCUMENT_TYPES
            or not bank_recipient_visible_to(actor).filter(pk=recipient.pk).exists()):
        _refuse_reveal()
    lock_revealer(actor)
    check_rate(actor)
    audit_reveal(actor=actor, action="identity_document.reveal", obj=document, reason=reason,
                 note=note, number=document.number, person=document.person_id,
                 document_type=document.document_type, desk="bank")
    return document.number
