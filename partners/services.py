"""Writes for the partners workstream. Every service is atomic, validates with full_clean(),
checks the model's guard on workflow steps (rows locked) and writes the audit trail."""
from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumValidationError

from cases.selectors import case_visible_to, person_visible_to
from cases.services import guard_not_merged
from core.audit import audit_record, refusals_audited
from core.errors import ApplicationError, full_clean_or_refuse
from core.files import FileKind, safe_filename, validate_upload
from core.messages import Text
from core.models import AgencyKind, Side, SpreadsheetImportKind
from core.money import parse_amount
from core.notifications import REASON_ON_PAGE, notify_users
from core.roles import Role, has_role
from core.visibility import user_agency
from web import imports
from web.imports import header_key
from zhuao.formats import date_display

from . import service_import
from .kpis import kpi_actuals
from .models import (
    EXPIRY_WARNING_DAYS,
    Contract,
    ContractKpi,
    ContractStatus,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Milestone,
    MilestoneStatus,
    Organisation,
    OrganisationStatus,
    Referral,
    ReferralStatus,
    RegistrationPlace,
    ServiceRecord,
    ServiceReviewStatus,
    SocialWorker,
)
from .permissions import LIAISON_REFERRER_ROLES, REFERRER_ROLES
from .selectors import (
    contract_visible_to,
    referral_visible_to,
    service_record_visible_to,
    social_worker_visible_to,
    social_workers_expiring,
    user_organisation,
)

MACAU_REGISTRATION = re.compile(r"[A-Za-z0-9/\-]{1,40}")
MAX_SERVICE_MINUTES = 24 * 60


# ----------------------------------------------------------------------------- helpers

def _role_users(*roles, agency=None):
    users = get_user_model().objects.filter(is_active=True, groups__name__in=list(roles))
    if agency is not None:
        users = users.filter(staff__agency=agency)
    return users.distinct()




def _amount(raw, *, field: str, allow_zero: bool = True) -> Decimal:
    try:
        return parse_amount(raw if not isinstance(raw, float) else str(raw), allow_zero=allow_zero)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid", field=field) \
            from None


def _actor_organisation(actor) -> Organisation | None:
    agency = user_agency(actor)
    if agency is None:
        return None
    return Organisation.objects.filter(agency=agency).first()


def _require_roles(actor, *roles) -> None:
    if not has_role(actor, *roles):
        raise ApplicationError(_("You may not do this."), code="forbidden", status=403)


def _require_provider_staff(actor, organisation: Organisation) -> None:
    agency = user_agency(actor)
    if not has_role(actor, Role.NGO) or agency is None or organisation.agency_id != agency.pk:
        raise ApplicationError(_("Only the provider's staff may do this."), code="forbidden",
                               status=403)


def _next_number(model, prefix: str, instance) -> str:
    year = timezone.localdate().year
    return f"{prefix}-{year}-{instance.pk:05d}"


# ------------------------------------------------------------------------ organisations

def validate_uscc(raw: str) -> str:
    """The canonical unified social credit code, or ApplicationError with a clear message."""
    text = (raw or "").strip().upper().replace(" ", "").replace("-", "")
    if not text:
        raise ApplicationError(_("Enter the unified social credit code of a mainland-registered "
                                 "organisation."), code="required", field="uscc")
    try:
        return stdnum_uscc.validate(text)
    except InvalidLength:
        message = _("A unified social credit code has 18 characters; “%(code)s” has %(count)s.")
        raise ApplicationError(message % {"code": text, "count": len(text)}, code="invalid_uscc",
                               field="uscc") from None
    except InvalidChecksum:
        message = _("The unified social credit code “%(code)s” is not valid: its last character "
                    "(check character) does not match. Check for a typing error.")
        raise ApplicationError(message % {"code": text}, code="invalid_uscc", field="uscc") \
            from None
    except StdnumValidationError:
        message = _("The unified social credit code “%(code)s” is not valid: it contains "
                    "characters or codes that are not allowed.")
        raise ApplicationError(message % {"code": text}, code="invalid_uscc", field="uscc") \
            from None


def _registration(registered_in: str, uscc: str, macau_registration_number: str) -> tuple[str, str]:
    if registered_in == RegistrationPlace.MAINLAND:
        return validate_uscc(uscc), ""
    number = (macau_registration_number or "").strip()
    if not number:
        raise ApplicationError(_("Enter the Macau registration number of an organisation "
                                 "registered in Macau."), code="required",
                               field="macau_registration_number")
    if not MACAU_REGISTRATION.fullmatch(number):
        raise ApplicationError(_("A Macau registration number has only letters, digits, "
                                 "“/” and “-”."), code="invalid",
                               field="macau_registration_number")
    return "", number


def _check_agency(agency, organisation=None) -> None:
    if agency is None:
        return
    if agency.kind != AgencyKind.NGO:
        raise ApplicationError(_("Only an agency of the kind “social organisation” can hold an "
                                 "organisation's staff accounts."), field="agency")
    taken = Organisation.objects.filter(agency=agency)
    if organisation is not None and organisation.pk:
        taken = taken.exclude(pk=organisation.pk)
    if taken.exists():
        raise ApplicationError(_("This agency already belongs to another organisation."),
                               field="agency")


ORGANISATION_FIELDS = ["name", "name_en", "kind", "registered_in", "uscc",
                       "macau_registration_number", "agency", "contact_person", "contact_phone",
                       "contact_email", "address", "services_offered", "districts_served",
                       "status"]


def _apply_organisation(organisation: Organisation, data: dict) -> None:
    for field, value in data.items():
        if field not in ORGANISATION_FIELDS:
            raise TypeError(f"unknown organisation field {field}")
        if field == "districts_served" and isinstance(value, (list, tuple)):
            value = ",".join(value)
        setattr(organisation, field, value.strip() if isinstance(value, str) and
                field not in ("districts_served",) else value)
    organisation.uscc, organisation.macau_registration_number = _registration(
        organisation.registered_in, organisation.uscc, organisation.macau_registration_number)
    if organisation.uscc and Organisation.objects.filter(uscc=organisation.uscc).exclude(
            pk=organisation.pk).exists():
        raise ApplicationError(_("An organisation with this unified social credit code is "
                                 "already registered."), code="duplicate", field="uscc")
    _check_agency(organisation.agency, organisation)


@refusals_audited
@transaction.atomic
def organisation_create(*, actor, **data) -> Organisation:
    _require_roles(actor, Role.CITY)
    organisation = Organisation()
    _apply_organisation(organisation, data)
    full_clean_or_refuse(organisation)
    organisation.save()
    audit_record(actor=actor, action="organisation.create", obj=organisation,
                 changes={"name": organisation.name, "registration": organisation.registration_number})
    return organisation


@refusals_audited
@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **data) -> Organisation:
    _require_roles(actor, Role.CITY)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _apply_organisation(organisation, data)
    full_clean_or_refuse(organisation)
    organisation.save(update_fields=[*ORGANISATION_FIELDS, "updated_at"])
    audit_record(actor=actor, action="organisation.change", obj=organisation,
                 changes={field: getattr(organisation, field) for field in data
                          if field != "agency"})
    return organisation


# ------------------------------------------------------------------------ social workers

WORKER_FIELDS = ["organisation", "name", "phone", "is_macau_social_worker",
                 "macau_registration_number", "macau_registration_valid_until",
                 "qualification_level", "practice_registration_number", "practice_valid_from",
                 "practice_valid_until", "supervisor", "is_active"]


def _apply_worker(worker: SocialWorker, data: dict) -> None:
    for field, value in data.items():
        if field not in WORKER_FIELDS:
            raise TypeError(f"unknown social-worker field {field}")
        setattr(worker, field, value.strip() if isinstance(value, str) else value)
    if worker.is_macau_social_worker:
        if not worker.macau_registration_number or not worker.macau_registration_valid_until:
            raise ApplicationError(_("A Macau social worker needs the Macau registration number "
                                     "and its validity."), field="macau_registration_number")
    if worker.practice_valid_until and worker.practice_valid_from and \
            worker.practice_valid_until < worker.practice_valid_from:
        raise ApplicationError(_("The practice registration cannot end before it starts."),
                               field="practice_valid_until")
    if worker.supervisor_id and worker.supervisor_id == worker.pk:
        raise ApplicationError(_("A social worker cannot supervise themselves."),
                               field="supervisor")
    if worker.organisation.status != OrganisationStatus.ACTIVE and worker._state.adding:
        raise ApplicationError(_("The organisation is not active."), field="organisation")


@refusals_audited
@transaction.atomic
def social_worker_create(*, actor, **data) -> SocialWorker:
    _require_roles(actor, Role.CITY)
    worker = SocialWorker()
    _apply_worker(worker, data)
    full_clean_or_refuse(worker)
    worker.save()
    audit_record(actor=actor, action="socialworker.create", obj=worker,
                 changes={"organisation": worker.organisation_id,
                          "practice_valid_until": worker.practice_valid_until})
    return worker


@refusals_audited
@transaction.atomic
def social_worker_update(*, actor, worker: SocialWorker, **data) -> SocialWorker:
    _require_roles(actor, Role.CITY)
    worker = SocialWorker.objects.select_for_update().get(pk=worker.pk)
    _apply_worker(worker, data)
    full_clean_or_refuse(worker)
    worker.save(update_fields=[*WORKER_FIELDS, "updated_at"])
    audit_record(actor=actor, action="socialworker.change", obj=worker,
                 changes={field: str(getattr(worker, field)) for field in data})
    return worker


@refusals_audited
@transaction.atomic
def social_worker_expiry_notify(*, today: date | None = None) -> int:
    """Tell the city bureau's officers, once per expiry date, which registrations end within
    60 days. Safe to run twice: a worker already reported for the same date is skipped."""
    today = today or timezone.localdate()
    workers = [worker for worker in social_workers_expiring(today=today).select_for_update(
        of=("self",)) if worker.expiry_notified_for != worker.expires_on]
    if not workers:
        return 0
    # the workers' names stay on the list (behind its door), out of inboxes and e-mail
    first_expiry = min(worker.expires_on for worker in workers)
    recipients = list(_role_users(Role.CITY))
    notify_users(recipients=recipients,
            title=Text(gettext_lazy("%(count)s social-worker registrations expire within "
                                    "%(days)s days"),
                       count=len(workers), days=EXPIRY_WARNING_DAYS),
            body=Text(gettext_lazy("The first expires on %(date)s. The list shows who they are."),
                      date=first_expiry),
            url=reverse("partners:social_worker_list") + "?expiring=1",
            kind="partners.registration_expiring")
    for worker in workers:
        worker.expiry_notified_for = worker.expires_on
        worker.save(update_fields=["expiry_notified_for"])
    audit_record(actor=None, action="socialworker.expiry_notify", object_type="partners.socialworker",
                 changes={"workers": len(workers), "recipients": len(recipients)},
                 username="celery")
    return len(workers)


# ----------------------------------------------------------------------------- contracts

def _lock_contract(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _check_period(start, end, field="period_end") -> None:
    if start and end and end < start:
        raise ApplicationError(_("The period cannot end before it starts."), field=field)


@refusals_audited
@transaction.atomic
def contract_create(*, actor, title: str, provider: Organisation, budget, period_start: date,
                    period_end: date, service_scope: str = "", purchasing_agency=None) -> Contract:
    _require_roles(actor, Role.CITY)
    amount = _amount(budget, field="budget")
    _check_period(period_start, period_end)
    if provider.status != OrganisationStatus.ACTIVE:
        raise ApplicationError(_("The provider is not active."), field="provider")
    contract = Contract(number=f"tmp-{uuid.uuid4().hex[:16]}", title=title.strip(),
                        purchasing_agency=purchasing_agency or user_agency(actor),
                        provider=provider, budget=amount, period_start=period_start,
                        period_end=period_end, service_scope=service_scope.strip(),
                        created_by=actor)
    full_clean_or_refuse(contract)
    contract.save()
    contract.number = _next_number(Contract, "GM", contract)
    contract.save(update_fields=["number"])
    audit_record(actor=actor, action="contract.create", obj=contract,
                 changes={"number": contract.number, "budget": str(amount),
                          "provider": provider.pk})
    return contract


@refusals_audited
@transaction.atomic
def contract_update(*, actor, contract: Contract, title: str, budget, period_start: date,
                    period_end: date, service_scope: str = "") -> Contract:
    _require_roles(actor, Role.CITY)
    contract = _lock_contract(contract)
    if not contract.is_editable:
        raise ApplicationError(_("Only a draft contract can be changed."), code="state")
    contract.title = title.strip()
    contract.budget = _amount(budget, field="budget")
    # The contract row is locked, as in milestone_add: the milestones cannot change meanwhile.
    planned = sum((m.amount for m in contract.milestones.all()), Decimal("0.00"))
    if planned > contract.budget:
        raise ApplicationError(
            _("The milestone payments (%(total)s CNY) would exceed the budget (%(budget)s CNY).")
            % {"total": planned, "budget": contract.budget}, field="budget")
    _check_period(period_start, period_end)
    contract.period_start, contract.period_end = period_start, period_end
    contract.service_scope = service_scope.strip()
    if contract.finance_checked_at is not None:  # the finance check was of other figures
        contract.finance_checked_at = None
        contract.finance_checked_by = None
    full_clean_or_refuse(contract)
    contract.save(update_fields=["title", "budget", "period_start", "period_end",
                                 "service_scope", "finance_checked_at", "finance_checked_by",
                                 "updated_at"])
    audit_record(actor=actor, action="contract.change", obj=contract,
                 changes={"title": contract.title, "budget": str(contract.budget)})
    return contract


@refusals_audited
@transaction.atomic
def contract_kpi_add(*, actor, contract: Contract, name: str, measure: str, target,
                     service_type: str = "") -> ContractKpi:
    _require_roles(actor, Role.CITY)
    contract = _lock_contract(contract)
    if not contract.is_editable:
        raise ApplicationError(_("KPIs can only be added to a draft contract."), code="state")
    value = _amount(target, field="target", allow_zero=False)
    kpi = ContractKpi(contract=contract, name=name.strip(), measure=measure, target=value,
                      service_type=service_type or "")
    full_clean_or_refuse(kpi)
    kpi.save()
    audit_record(actor=actor, action="contract.kpi_add", obj=contract,
                 changes={"kpi": kpi.name, "measure": measure, "target": str(value)})
    return kpi


@refusals_audited
@transaction.atomic
def milestone_add(*, actor, contract: Contract, title: str, period_start: date,
                  period_end: date, amount) -> Milestone:
    _require_roles(actor, Role.CITY)
    contract = _lock_contract(contract)
    if not contract.is_editable:
        raise ApplicationError(_("Milestones can only be added to a draft contract."),
                               code="state")
    value = _amount(amount, field="amount")
    _check_period(period_start, period_end)
    if period_start < contract.period_start or period_end > contract.period_end:
        raise ApplicationError(_("The milestone's period must lie within the contract period."),
                               field="period_start")
    planned = sum((m.amount for m in contract.milestones.all()), Decimal("0.00"))
    if planned + value > contract.budget:
        raise ApplicationError(
            _("The milestone payments (%(total)s CNY) would exceed the budget (%(budget)s CNY).")
            % {"total": planned + value, "budget": contract.budget}, field="amount")
    milestone = Milestone(contract=contract, title=title.strip(), period_start=period_start,
                          period_end=period_end, amount=value)
    full_clean_or_refuse(milestone)
    milestone.save()
    audit_record(actor=actor, action="contract.milestone_add", obj=contract,
                 changes={"milestone": milestone.title, "amount": str(value)})
    return milestone


@refusals_audited
@transaction.atomic
def contract_finance_check(*, actor, contract: Contract) -> Contract:
    _require_roles(actor, Role.FINANCE)
    contract = _lock_contract(contract)
    if not contract.can_finance_check():
        raise ApplicationError(_("This contract is not waiting for the finance check."),
                               code="state", status=409)
    contract.finance_checked_by = actor
    contract.finance_checked_at = timezone.now()
    contract.save(update_fields=["finance_checked_by", "finance_checked_at", "updated_at"])
    audit_record(actor=actor, action="contract.finance_check", obj=contract,
                 changes={"budget": str(contract.budget)})
    return contract


@refusals_audited
@transaction.atomic
def contract_approve(*, actor, contract: Contract) -> Contract:
    _require_roles(actor, Role.CITY)
    contract = _lock_contract(contract)
    if contract.status != ContractStatus.DRAFT:
        raise ApplicationError(_("Only a draft contract can be approved."), code="state",
                               status=409)
    if contract.finance_checked_at is None:
        raise ApplicationError(_("The Finance bureau must check the contract before it is "
                                 "approved."), code="finance_check", status=409)
    if not contract.kpis.exists():
        raise ApplicationError(_("Add at least one KPI before approving the contract."),
                               code="no_kpi")
    contract.status = ContractStatus.APPROVED
    contract.approved_by = actor
    contract.approved_at = timezone.now()
    contract.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action="contract.approve", obj=contract)
    return contract


def _contract_step(actor, contract, guard: str, new_status: str, action: str, message) -> Contract:
    _require_roles(actor, Role.CITY)
    contract = _lock_contract(contract)
    if not getattr(contract, guard)():
        raise ApplicationError(message, code="state", status=409)
    old = contract.status
    contract.status = new_status
    contract.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=action, obj=contract,
                 changes={"from": old, "to": new_status})
    return contract


@refusals_audited
@transaction.atomic
def contract_activate(*, actor, contract: Contract) -> Contract:
    return _contract_step(actor, contract, "can_activate", ContractStatus.ACTIVE,
                          "contract.activate", _("Only an approved contract can be activated."))


@refusals_audited
@transaction.atomic
def contract_begin_closing(*, actor, contract: Contract) -> Contract:
    return _contract_step(actor, contract, "can_begin_closing", ContractStatus.CLOSING,
                          "contract.begin_closing", _("Only an active contract can be closed."))


@refusals_audited
@transaction.atomic
def contract_close(*, actor, contract: Contract) -> Contract:
    return _contract_step(actor, contract, "can_close", ContractStatus.CLOSED,
                          "contract.close", _("Only a contract in closing can be closed."))


@refusals_audited
@transaction.atomic
def milestone_release(*, actor, milestone: Milestone) -> Milestone:
    """Release a milestone payment: the Finance bureau, after the evaluation for that
    milestone's period has been approved."""
    _require_roles(actor, Role.FINANCE)
    milestone = Milestone.objects.select_for_update().select_related("contract").get(
        pk=milestone.pk)
    if milestone.status != MilestoneStatus.PENDING:
        raise ApplicationError(_("This milestone's payment has already been released."),
                               code="state", status=409)
    if milestone.contract.status in (ContractStatus.DRAFT, ContractStatus.APPROVED):
        raise ApplicationError(_("Payments are released only for an active contract."),
                               code="state", status=409)
    if not milestone.evaluations.filter(status=EvaluationStatus.APPROVED).exists():
        raise ApplicationError(_("The payment can be released only after the evaluation for "
                                 "this period has been approved."), code="no_evaluation",
                               status=409)
    milestone.status = MilestoneStatus.RELEASED
    milestone.released_by = actor
    milestone.released_at = timezone.now()
    milestone.save(update_fields=["status", "released_by", "released_at"])
    audit_record(actor=actor, action="contract.milestone_release", obj=milestone.contract,
                 changes={"milestone": milestone.title, "amount": str(milestone.amount)})
    return milestone


# ----------------------------------------------------------------------------- referrals

def _store_consent_form(referral: Referral, upload) -> None:
    if not upload:
        return


    try:
        validate_upload(upload, kinds={FileKind.PDF, FileKind.JPEG, FileKind.PNG},
                        max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code="bad_file", field="consent_form") from None
    referral.consent_form_name = safe_filename(upload.name)[:120]
    referral.consent_form.save(upload.name, upload, save=False)


def _check_consent(consent_given: bool, consent_date: date | None) -> None:
    if consent_given and consent_date is None:
        raise ApplicationError(_("Enter the date on which the person gave consent."),
                               field="consent_date")
    if consent_date and consent_date > timezone.localdate():
        raise ApplicationError(_("The consent date cannot be in the future."),
                               field="consent_date")




def _require_referrer(actor, referral: Referral) -> None:
    """Zhuhai's officers work on Zhuhai's referrals; a Macau or Hengqin referral is its
    referring agency's."""
    if referral.originating_side == Side.ZHUHAI:
        _require_roles(actor, Role.CITY, Role.DISTRICT)
        return
    agency = user_agency(actor)
    if (not has_role(actor, *LIAISON_REFERRER_ROLES) or agency is None
            or agency.pk != referral.referring_agency_id):
        raise ApplicationError(_("Only the referring agency may do this."), code="forbidden",
                               status=403)


def may_work_on_referral(user, referral: Referral) -> bool:
    """Whether ``user`` records consent on and sends ``referral`` (the referrer's side)."""
    try:
        _require_referrer(user, referral)
    except ApplicationError:
        return False
    return True


@refusals_audited
@transaction.atomic
def referral_create(*, actor, contract: Contract, reason: str, case=None, person=None,
                    needs: str = "", consent_given: bool = False,
                    consent_date: date | None = None, consent_form=None) -> Referral:
    """A draft referral. It can be sent only once the person's consent is recorded.

    Zhuhai's officers refer a case. A Macau or Hengqin liaison refers a person (no Zhuhai
    case: the referral hangs on the person and records the side it came from)."""
    _require_roles(actor, *REFERRER_ROLES)
    agency = user_agency(actor)
    inbound = has_role(actor, *LIAISON_REFERRER_ROLES) and agency.side != Side.ZHUHAI
    if inbound:
        if person is None:
            raise ApplicationError(_("Choose the person to refer."), code="required",
                                   field="person")
        if not person_visible_to(actor).filter(pk=person.pk).exists():
            raise ApplicationError(_("You may not refer this person."), code="forbidden",
                                   status=403)
        case = None
    else:
        if case is None:
            raise ApplicationError(_("Choose the case."), code="required", field="case")
        if not case_visible_to(actor).filter(pk=case.pk).exists():
            raise ApplicationError(_("You may not refer this case."), code="forbidden",
                                   status=403)
        person = case.subject

    guard_not_merged(person)
    if contract.status != ContractStatus.ACTIVE:
        raise ApplicationError(_("Cases can be referred only under an active contract."),
                               field="contract")
    if not reason.strip():
        raise ApplicationError(_("Enter the reason for the referral."), field="reason")
    _check_consent(consent_given, consent_date)
    referral = Referral(
        number=f"tmp-{uuid.uuid4().hex[:16]}", case=case, person=person, contract=contract,
        organisation=contract.provider, referring_agency=agency, referred_by=actor,
        originating_side=agency.side if inbound else Side.ZHUHAI,
        district=(case.district if case else "") or person.district, reason=reason.strip(),
        needs=needs.strip(), person_name=person.name_zh, person_phone=person.phone,
        person_address=person.address,
        consent_given=bool(consent_given), consent_date=consent_date if consent_given else None)
    _store_consent_form(referral, consent_form)
    full_clean_or_refuse(referral)
    referral.save()
    referral.number = _next_number(Referral, "ZJ", referral)
    referral.save(update_fields=["number"])
    audit_record(actor=actor, action="referral.create", obj=referral,
                 changes={"number": referral.number, "case": case.number if case else None,
                          "person": person.pk, "originating_side": referral.originating_side,
                          "organisation": contract.provider_id, "consent": referral.consent_given})
    return referral


@refusals_audited
@transaction.atomic
def referral_record_consent(*, actor, referral: Referral, consent_given: bool,
                            consent_date: date | None, consent_form=None) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_referrer(actor, referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ApplicationError(_("Consent can be changed only before the referral is sent."),
                               code="state", status=409)
    _check_consent(consent_given, consent_date)
    referral.consent_given = bool(consent_given)
    referral.consent_date = consent_date if consent_given else None
    _store_consent_form(referral, consent_form)
    full_clean_or_refuse(referral)
    referral.save(update_fields=["consent_given", "consent_date", "consent_form",
                                 "consent_form_name", "updated_at"])
    audit_record(actor=actor, action="referral.consent", obj=referral,
                 changes={"consent": referral.consent_given,
                          "consent_date": referral.consent_date,
                          "form": bool(referral.consent_form)})
    return referral


@refusals_audited
@transaction.atomic
def referral_send(*, actor, referral: Referral) -> Referral:
    """Send to the provider: the person's name, phone, address and the needs are disclosed to
    the provider (audited). Refused without the person's consent. A referral from Macau or
    Hengqin is also made known to the Zhuhai city bureau's officers, who follow it."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related(
        "person", "case", "contract", "organisation", "referring_agency").get(pk=referral.pk)
    _require_referrer(actor, referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ApplicationError(_("This referral has already been sent."), code="state",
                               status=409)
    if not referral.can_send():
        raise ApplicationError(_("The referral cannot be sent without the person's consent: "
                                 "record the consent (yes, with its date) first."),
                               code="no_consent", field="consent_given", status=409)
    if referral.contract.status != ContractStatus.ACTIVE:
        raise ApplicationError(_("Cases can be referred only under an active contract."),
                               code="state", status=409)
    person = referral.person
    referral.person_name, referral.person_phone, referral.person_address = (
        person.name_zh, person.phone, person.address)
    referral.status = ReferralStatus.SENT
    referral.sent_at = timezone.now()
    referral.save(update_fields=["person_name", "person_phone", "person_address", "status",
                                 "sent_at", "updated_at"])
    audit_record(actor=actor, action="referral.send", obj=referral,
                 changes={"organisation": referral.organisation_id,
                          "originating_side": referral.originating_side})
    audit_record(actor=actor, action="referral.disclose", obj=referral,
                 summary=_("name, phone, address, district and needs disclosed to the provider"),
                 changes={"organisation": referral.organisation_id,
                          "case": referral.case.number if referral.case else None,
                          "person": person.pk})
    url = reverse("partners:referral_detail", args=[referral.pk])
    if referral.organisation.agency_id:
        notify_users(recipients=_role_users(Role.NGO, agency=referral.organisation.agency),
                title=Text(gettext_lazy("New referral %(number)s"), number=referral.number),
                body=gettext_lazy("Accept or decline it on the referral's page."),
                url=url, kind="partners.referral_sent")
    if referral.originating_side != Side.ZHUHAI:
        notify_users(recipients=_role_users(Role.CITY).filter(
                    staff__agency__kind=AgencyKind.CITY_BUREAU),
                title=Text(gettext_lazy("%(agency)s referred a person to %(provider)s "
                                        "(%(number)s)"),
                           agency=referral.referring_agency,
                           provider=referral.organisation.name, number=referral.number),
                body=gettext_lazy("Follow it on the referral's page."), url=url,
                kind="partners.referral_inbound")
    return referral


@refusals_audited
@transaction.atomic
def referral_accept(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update().select_related("organisation").get(
        pk=referral.pk)
    _require_provider_staff(actor, referral.organisation)
    if not referral.can_respond():
        raise ApplicationError(_("This referral is not waiting for an answer."), code="state",
                               status=409)
    referral.status = ReferralStatus.ACCEPTED
    referral.responded_at = timezone.now()
    referral.responded_by = actor
    referral.save(update_fields=["status", "responded_at", "responded_by", "updated_at"])
    audit_record(actor=actor, action="referral.accept", obj=referral)
    _tell_referrer(referral, gettext_lazy("Referral %(number)s accepted"))
    return referral


@refusals_audited
@transaction.atomic
def referral_decline(*, actor, referral: Referral, reason: str) -> Referral:
    referral = Referral.objects.select_for_update().select_related("organisation").get(
        pk=referral.pk)
    _require_provider_staff(actor, referral.organisation)
    if not referral.can_respond():
        raise ApplicationError(_("This referral is not waiting for an answer."), code="state",
                               status=409)
    if not (reason or "").strip():
        raise ApplicationError(_("Give the reason for declining."), field="reason")
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason.strip()
    referral.responded_at = timezone.now()
    referral.responded_by = actor
    referral.save(update_fields=["status", "decline_reason", "responded_at", "responded_by",
                                 "updated_at"])
    audit_record(actor=actor, action="referral.decline", obj=referral,
                 changes={"reason": referral.decline_reason[:200]})
    _tell_referrer(referral, gettext_lazy("Referral %(number)s declined"))
    return referral


@refusals_audited
@transaction.atomic
def referral_close(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update().select_related("organisation").get(
        pk=referral.pk)
    if not has_role(actor, Role.CITY, Role.DISTRICT):
        _require_provider_staff(actor, referral.organisation)
    if not referral.can_close():
        raise ApplicationError(_("Only an accepted referral can be closed."), code="state",
                               status=409)
    referral.status = ReferralStatus.CLOSED
    referral.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="referral.close", obj=referral)
    return referral


def _tell_referrer(referral: Referral, title) -> None:
    notify_users(recipients=[referral.referred_by], title=Text(title, number=referral.number),
            body=REASON_ON_PAGE if referral.decline_reason else "",
            kind="partners.referral_answered",
            url=reverse("partners:referral_detail", args=[referral.pk]))


# ------------------------------------------------------------------------ service records

@refusals_audited
@transaction.atomic
def service_record_create(*, actor, contract: Contract, worker: SocialWorker, service_date: date,
                          service_type: str, duration_minutes: int, outcome: str = "",
                          follow_up: str = "", follow_up_date: date | None = None,
                          referral: Referral | None = None) -> ServiceRecord:
    _require_provider_staff(actor, contract.provider)
    if contract.status not in (ContractStatus.ACTIVE, ContractStatus.CLOSING):
        raise ApplicationError(_("Services can be recorded only under an active contract."),
                               field="contract")
    today = timezone.localdate()
    if service_date > today:
        raise ApplicationError(_("The service date cannot be in the future."),
                               field="service_date")
    if not contract.period_start <= service_date <= contract.period_end:
        raise ApplicationError(_("The service date must lie within the contract period "
                                 "(%(start)s – %(end)s).")
                               % {"start": date_display(contract.period_start),
                                  "end": date_display(contract.period_end)},
                               field="service_date")
    worker = SocialWorker.objects.select_for_update().get(pk=worker.pk)
    if worker.organisation_id != contract.provider_id or not worker.is_active:
        raise ApplicationError(_("This social worker does not work for the provider."),
                               field="worker")
    if worker.expires_on < today or worker.expires_on < service_date:
        raise ApplicationError(
            _("%(name)s's registration expired on %(date)s: an expired registration cannot be "
              "used for a new service record. Ask the city bureau to renew it.")
            % {"name": worker.name, "date": date_display(worker.expires_on)},
            code="registration_expired",
            field="worker")
    if service_date < worker.practice_valid_from:
        raise ApplicationError(
            _("%(name)s's practice registration was not yet valid on %(date)s.")
            % {"name": worker.name, "date": date_display(service_date)},
            code="registration_not_valid",
            field="worker")
    try:
        minutes = int(duration_minutes)
    except (TypeError, ValueError):
        raise ApplicationError(_("Enter the duration in whole minutes."),
                               field="duration_minutes") from None
    if not 0 < minutes <= MAX_SERVICE_MINUTES:
        raise ApplicationError(_("The duration must be between 1 minute and 24 hours."),
                               field="duration_minutes")
    if referral is not None:
        referral = Referral.objects.get(pk=referral.pk)
        if referral.contract_id != contract.pk or referral.status not in (
                ReferralStatus.ACCEPTED, ReferralStatus.CLOSED):
            raise ApplicationError(_("Services can be recorded only for an accepted referral "
                                     "under this contract."), field="referral")
    if follow_up_date and follow_up_date < service_date:
        raise ApplicationError(_("The follow-up date cannot be before the service."),
                               field="follow_up_date")
    record = ServiceRecord(contract=contract, organisation=contract.provider, referral=referral,
                           district=referral.district if referral else "", worker=worker,
                           service_date=service_date, service_type=service_type,
                           duration_minutes=minutes, outcome=outcome.strip(),
                           follow_up=follow_up.strip(), follow_up_date=follow_up_date,
                           created_by=actor)
    full_clean_or_refuse(record)
    record.save()
    audit_record(actor=actor, action="servicerecord.create", obj=record,
                 changes={"contract": contract.pk, "worker": worker.pk,
                          "minutes": minutes, "referral": referral.pk if referral else None})
    return record


def _lock_record_for_review(actor, record: ServiceRecord) -> ServiceRecord:
    """The record, locked, if the actor is an officer of the purchasing side who can see it
    (a district officer: their district's) and it still awaits review."""
    if not has_role(actor, Role.CITY, Role.DISTRICT):
        raise ApplicationError(_("Only the city or district officers review service records."),
                               code="forbidden", status=403)
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if not service_record_visible_to(actor).filter(pk=record.pk).exists():
        raise ApplicationError(_("You may not review this service record."), code="forbidden",
                               status=403)
    if record.review_status != ServiceReviewStatus.PENDING:
        raise ApplicationError(_("This service record is not awaiting review."), code="state",
                               status=409)
    return record


@refusals_audited
@transaction.atomic
def service_record_approve(*, actor, record: ServiceRecord) -> ServiceRecord:
    record = _lock_record_for_review(actor, record)
    record.review_status = ServiceReviewStatus.APPROVED
    record.reviewed_by = actor
    record.reviewed_at = timezone.now()
    record.review_note = ""
    full_clean_or_refuse(record)
    record.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note",
                               "updated_at"])
    audit_record(actor=actor, action="servicerecord.approve", obj=record)
    return record


@refusals_audited
@transaction.atomic
def service_record_return(*, actor, record: ServiceRecord, note: str) -> ServiceRecord:
    record = _lock_record_for_review(actor, record)
    if not (note or "").strip():
        raise ApplicationError(_("Say what the provider should correct."), field="note")
    record.review_status = ServiceReviewStatus.RETURNED
    record.reviewed_by = actor
    record.reviewed_at = timezone.now()
    record.review_note = note.strip()
    full_clean_or_refuse(record)
    record.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note",
                               "updated_at"])
    audit_record(actor=actor, action="servicerecord.return", obj=record,
                 changes={"note": record.review_note[:200]})


    # the note may name the person served: it stays on the page, not in the message
    notify_users(recipients=_role_users(Role.NGO, agency=record.organisation.agency),
            title=Text(gettext_lazy("A service record of %(date)s was returned for correction"),
                       date=date_display(record.service_date)),
            body=REASON_ON_PAGE, kind="partners.service_record_returned",
            url=reverse("partners:service_record_list"))
    return record


# ----------------------------------------------------------------------------- evaluations

@refusals_audited
@transaction.atomic
def evaluation_create(*, actor, contract: Contract, period_start: date, period_end: date,
                      score, remarks: str = "", milestone: Milestone | None = None) -> Evaluation:
    """Compute each KPI's actual for the period from the database and keep it with the score."""
    _require_roles(actor, Role.CITY)
    contract = _lock_contract(contract)
    if contract.status in (ContractStatus.DRAFT, ContractStatus.APPROVED):
        raise ApplicationError(_("Only an active contract can be evaluated."), code="state")
    _check_period(period_start, period_end)
    if milestone is not None:
        if milestone.contract_id != contract.pk:
            raise ApplicationError(_("The milestone belongs to another contract."),
                                   field="milestone")
        if milestone.evaluations.exists():
            raise ApplicationError(_("This milestone already has an evaluation."),
                                   field="milestone")
    value = _amount(score, field="score", allow_zero=True)
    if value > 100:
        raise ApplicationError(_("The score is between 0 and 100."), field="score")
    evaluation = Evaluation(contract=contract, milestone=milestone, period_start=period_start,
                            period_end=period_end, score=value, remarks=remarks.strip(),
                            created_by=actor)
    full_clean_or_refuse(evaluation)
    evaluation.save()
    progress = kpi_actuals(contract.kpis.all(), start=period_start, end=period_end)
    EvaluationResult.objects.bulk_create([
        EvaluationResult(evaluation=evaluation, kpi=item.kpi, target=item.kpi.target,
                         actual=item.actual) for item in progress])
    audit_record(actor=actor, action="evaluation.create", obj=evaluation,
                 changes={"contract": contract.pk, "score": str(value)})
    return evaluation


@refusals_audited
@transaction.atomic
def evaluation_approve(*, actor, evaluation: Evaluation) -> Evaluation:
    _require_roles(actor, Role.CITY)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation.can_approve():
        raise ApplicationError(_("This evaluation has already been approved."), code="state",
                               status=409)
    evaluation.status = EvaluationStatus.APPROVED
    evaluation.approved_by = actor
    evaluation.approved_at = timezone.now()
    evaluation.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action="evaluation.approve", obj=evaluation)
    return evaluation


# ------------------------------------------------------------- service records import

class _DryRun(Exception):
    """Rolls back the preview's trial run of every row."""


def _import_references(actor):
    contracts = {contract.number.upper(): contract for contract in contract_visible_to(actor)
                 .filter(status__in=[ContractStatus.ACTIVE, ContractStatus.CLOSING])}
    referrals = {referral.number.upper(): referral for referral in referral_visible_to(actor)
                 .filter(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.CLOSED])}
    workers: dict[str, list[SocialWorker]] = {}
    for worker in social_worker_visible_to(actor).filter(is_active=True):
        for value in {worker.name, worker.practice_registration_number,
                      worker.macau_registration_number}:
            if value:
                workers.setdefault(header_key(value), []).append(worker)
    return contracts, referrals, workers


def _create_from_row(actor, row: dict) -> ServiceRecord:
    return service_record_create(
        actor=actor, contract=Contract.objects.get(pk=row["contract_id"]),
        worker=SocialWorker.objects.get(pk=row["worker_id"]),
        service_date=date.fromisoformat(row["service_date"]), service_type=row["service_type"],
        duration_minutes=row["duration_minutes"], outcome=row["outcome"],
        follow_up_date=date.fromisoformat(row["follow_up_date"]) if row["follow_up_date"]
        else None,
        referral=Referral.objects.get(pk=row["referral_id"]) if row["referral_id"] else None)


@refusals_audited
def service_record_import_preview(*, actor, uploaded_file):
    """Check a provider's spreadsheet of service records and keep its preview: each row is
    tried through ``service_record_create`` (the same rules as the form) and everything is
    rolled back. Nothing is recorded here."""
    organisation = user_organisation(actor)
    if organisation is None:
        raise ApplicationError(_("Only the provider's staff may do this."), code="forbidden",
                               status=403)
    positions, rows, data, _kind = imports.read_upload(
        uploaded_file, columns=service_import.COLUMNS,
        max_bytes=int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)),
        max_rows=service_import.MAX_ROWS)
    contracts, referrals, workers = _import_references(actor)
    clean, errors = service_import.check_rows(positions, rows, contracts=contracts,
                                              referrals=referrals, workers=workers)
    good = []
    try:
        with transaction.atomic():
            for row in clean:
                try:
                    with transaction.atomic():
                        _create_from_row(actor, row)
                except ApplicationError as error:
                    errors.append({"row": row["row"], "column": error.field or "",
                                   "message": str(error.message)})
                else:
                    good.append(row)
            raise _DryRun
    except _DryRun:
        pass
    return imports.import_store(actor=actor, kind=SpreadsheetImportKind.SERVICE_RECORDS,
                                agency=user_agency(actor),
                                name=getattr(uploaded_file, "name", ""), data=data,
                                row_count=len(rows), rows=good, errors=errors, warnings=[])


@refusals_audited
@transaction.atomic
def service_record_import_commit(*, actor, import_run):
    """Record every row the preview found valid, in one transaction, each through
    ``service_record_create`` (checked and audited one by one). A row refused now (the
    contract closed, a registration expired since the preview) saves nothing at all."""
    if user_organisation(actor) is None:
        raise ApplicationError(_("Only the provider's staff may do this."), code="forbidden",
                               status=403)
    run = imports.import_lock_for_commit(import_run, actor=actor)
    created = 0
    for row in run.preview.get("rows", []):
        try:
            with transaction.atomic():
                _create_from_row(actor, row)
        except ApplicationError as error:
            raise ApplicationError(
                _("Row %(row)s: %(problem)s Nothing was imported; upload the file again.")
                % {"row": row["row"], "problem": error.message}, code="stale_preview",
                status=409) from None
        created += 1
    imports.import_mark_committed(run, actor=actor, summary={"service_records": created})
    return run
