"""Writes for temporary relief. Each workflow step is one service: it locks the application
(and the fund row when money moves), checks the guard, saves with ``update_fields`` and writes
the audit trail. Money moves only through ``_book`` (the ledger)."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Person
from cases.secretariat.selectors import key_case_approval_for
from cases.secretariat.services import agenda_item_propose_key_case
from core.assignment import guard_assignment, record_assignment
from core.audit import audit_record, refusals_audited
from core.calendar import add_working_days
from core.errors import ApplicationError
from core.files import FileKind, safe_filename, validate_upload
from core.messages import Text
from core.models import Agency, Side
from core.money import format_money, parse_amount
from core.notifications import notify_users
from core.roles import Role, has_role
from core.visibility import share_with_agency, unshare_with_agency, user_agency
from zhuao.celery import enqueue_after_commit
from zhuao.formats import date_display

from .models import (
    FUND_KIND_FOR_RESIDENCE,
    GRANTED_STATUSES,
    Application,
    ApplicationDocument,
    EmergencyKind,
    EntryKind,
    Fund,
    FundAllocation,
    FundKind,
    LedgerEntry,
    PolicyVersion,
    Route,
    Status,
)
from .permissions import FILER_ROLES

ELIGIBLE_RESIDENCE = ("macau_resident", "hengqin_resident")
DOCUMENT_KINDS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}


# --- helpers -----------------------------------------------------------------------------

def _require_role(actor, *roles: str) -> None:
    if not has_role(actor, *roles):
        raise ApplicationError(_("Your role may not do this."), code="forbidden", status=403)


def _amount(raw, field: str) -> Decimal:
    """User input -> Decimal CNY via core.money.parse_amount; refused with a clear message."""
    if raw is None or raw == "":
        raise ApplicationError(_("Enter an amount."), code="required", field=field)
    if isinstance(raw, float):
        raw = str(raw)
    try:
        return parse_amount(raw)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid",
                               field=field) from None


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    return value


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_district_of(actor, application: Application) -> None:
    _require_role(actor, Role.DISTRICT)
    agency = user_agency(actor)
    if agency is None or agency.district != application.district:
        raise ApplicationError(_("This application belongs to another district."),
                               code="forbidden", status=403)


def policy_in_effect(on: date | None = None) -> PolicyVersion:
    on = on or timezone.localdate()
    policy = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if policy is None:
        raise ApplicationError(_("No temporary-relief policy is in effect; the city bureau must "
                                 "enter one first."), code="no_policy")
    return policy


def route_for(policy: PolicyVersion, amount: Decimal, *, is_fast_track: bool = False) -> str:
    if is_fast_track:
        return Route.FAST_TRACK
    if amount <= policy.district_limit:
        return Route.DISTRICT
    if amount <= policy.city_limit:
        return Route.CITY
    return Route.KEY_CASE


def _fund_of_kind(kind: str) -> Fund:
    fund = Fund.objects.filter(kind=kind).first()
    if fund is None:
        if kind == FundKind.ORDINARY:
            message = _("The ordinary temporary-relief budget has not been set up.")
        else:
            message = _("The special fund has not been set up.")
        raise ApplicationError(message, code="no_fund")
    return fund


def default_fund() -> Fund:
    """The special fund for Macau residents: where an allocation goes when no fund is named."""
    return _fund_of_kind(FundKind.MACAU_SPECIAL)


def fund_for(application: Application) -> Fund:
    """The fund that pays ``application``, by the applicant's residence (seed 二（四）): the
    special fund for Macau residents, the ordinary budget for Cooperation Zone residents. Once
    approved, the application keeps the fund it was reserved on."""
    if application.fund_id is not None:
        return application.fund
    kind = FUND_KIND_FOR_RESIDENCE.get(application.person.residence_status)
    if kind is None:
        raise ApplicationError(_("Temporary relief here is for Macau residents and Cooperation "
                                 "Zone residents."), code="not_eligible")
    return _fund_of_kind(kind)


# --- the ledger --------------------------------------------------------------------------

#: kind -> (effect on balance, effect on reserved), as multiples of the amount.
_EFFECTS = {
    EntryKind.ALLOCATION: (1, 0),
    EntryKind.RESERVATION: (0, 1),
    EntryKind.RELEASE: (0, -1),
    EntryKind.DISBURSEMENT: (-1, -1),
    EntryKind.REVERSAL: (1, 0),
}


def _book(*, fund: Fund, kind: str, amount: Decimal, actor, application=None, allocation=None,
          reference: str = "") -> LedgerEntry:
    """Move money on ``fund`` (already locked with select_for_update by the caller)."""
    balance_sign, reserved_sign = _EFFECTS[kind]
    balance = fund.balance + balance_sign * amount
    reserved = fund.reserved + reserved_sign * amount
    available = balance - reserved
    if balance < 0 or available < 0 or reserved < 0:
        raise ApplicationError(
            _("The fund's available balance (%(available)s) does not cover %(amount)s.") % {
                "available": format_money(fund.available, "CNY"),
                "amount": format_money(amount, "CNY")},
            code="insufficient_funds", status=409)
    was_low = fund.is_low
    fund.balance, fund.reserved, fund.available = balance, reserved, available
    fields = ["balance", "reserved", "available", "updated_at"]
    if not fund.is_low and fund.low_balance_alerted_at is not None:
        fund.low_balance_alerted_at = None  # topped up: the next drop alerts again
        fields.append("low_balance_alerted_at")
    fund.save(update_fields=fields)
    entry = LedgerEntry(fund=fund, kind=kind, amount=amount,
                        balance_delta=balance_sign * amount,
                        available_delta=balance_sign * amount - reserved_sign * amount,
                        balance_after=balance, available_after=available,
                        application=application, allocation=allocation,
                        reference=reference[:120], booked_at=timezone.now(),
                        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    entry.save()
    if fund.is_low and not was_low and fund.low_balance_alerted_at is None:
        enqueue_after_commit("tempaid.fund_low_balance_alert", fund.pk)
    return entry


def _lock_fund(fund: Fund | None) -> Fund:
    fund = fund or default_fund()
    return Fund.objects.select_for_update().get(pk=fund.pk)


# --- policy ------------------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def policy_version_create(*, actor, effective_from: date, standard_amount,
                          district_limit_multiple="3", city_limit_multiple="6",
                          fast_track_limit_multiple="1", fast_track_paperwork_days: int = 5,
                          frequency_limit: int = 2, frequency_window_months: int = 12,
                          note: str = "") -> PolicyVersion:
    """A new version of the policy from ``effective_from``. Earlier versions are untouched:
    applications keep the version they were routed and decided under."""
    _require_role(actor, Role.CITY)
    if effective_from is None:
        raise ApplicationError(_("Enter the date the version takes effect."), code="required",
                               field="effective_from")
    if PolicyVersion.objects.filter(effective_from=effective_from).exists():
        raise ApplicationError(_("A version already takes effect on that date."),
                               code="duplicate", field="effective_from")
    multiples = {}
    for field, raw in (("district_limit_multiple", district_limit_multiple),
                       ("city_limit_multiple", city_limit_multiple),
                       ("fast_track_limit_multiple", fast_track_limit_multiple)):
        multiples[field] = _amount(str(raw), field)
    if not (multiples["fast_track_limit_multiple"] <= multiples["district_limit_multiple"]
            <= multiples["city_limit_multiple"]):
        raise ApplicationError(_("The limits must grow: fast track ≤ district ≤ city."),
                               code="limits_order", field="city_limit_multiple")
    policy = PolicyVersion(effective_from=effective_from,
                           standard_amount=_amount(standard_amount, "standard_amount"),
                           fast_track_paperwork_days=fast_track_paperwork_days,
                           frequency_limit=frequency_limit,
                           frequency_window_months=frequency_window_months,
                           note=(note or "").strip(), created_by=actor, **multiples)
    policy.full_clean()
    policy.save()
    audit_record(actor=actor, action="policyversion.create", obj=policy, changes={
        "effective_from": effective_from.isoformat(), "standard_amount": str(policy.standard_amount),
        "district_limit_multiple": str(policy.district_limit_multiple),
        "city_limit_multiple": str(policy.city_limit_multiple),
        "fast_track_limit_multiple": str(policy.fast_track_limit_multiple),
        "frequency_limit": frequency_limit})
    return policy


# --- the fund ----------------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def fund_create(*, actor, code: str, name: str, low_balance_threshold="0",
                kind: str = FundKind.MACAU_SPECIAL) -> Fund:
    """Set up the special fund or the ordinary budget: one fund of each kind."""
    _require_role(actor, Role.FINANCE, Role.CITY)
    if kind not in FundKind.values:
        raise ApplicationError(_("Choose the kind of fund."), code="invalid", field="kind")
    fund = Fund(code=code, name=name, kind=kind,
                low_balance_threshold=parse_amount(str(low_balance_threshold), allow_zero=True))
    try:
        fund.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], code="invalid",
                               field=None if field == "__all__" else field) from None
    fund.save()
    audit_record(actor=actor, action="fund.create", obj=fund,
                 changes={"code": code, "kind": kind})
    return fund


@refusals_audited
@transaction.atomic
def fund_threshold_set(*, actor, fund: Fund, low_balance_threshold) -> Fund:
    _require_role(actor, Role.FINANCE, Role.CITY)
    try:
        threshold = parse_amount(str(low_balance_threshold), allow_zero=True)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code="invalid",
                               field="low_balance_threshold") from None
    fund = _lock_fund(fund)
    fund.low_balance_threshold = threshold
    fields = ["low_balance_threshold", "updated_at"]
    if not fund.is_low:
        fund.low_balance_alerted_at = None
        fields.append("low_balance_alerted_at")
    fund.save(update_fields=fields)
    audit_record(actor=actor, action="fund.threshold", obj=fund,
                 changes={"low_balance_threshold": str(threshold)})
    if fund.is_low and fund.low_balance_alerted_at is None:
        enqueue_after_commit("tempaid.fund_low_balance_alert", fund.pk)
    return fund


@refusals_audited
@transaction.atomic
def fund_allocate(*, actor, fund: Fund | None = None, amount, allocated_on: date,
                  document_reference: str) -> FundAllocation:
    """An allocation from the Finance bureau: the ledger's only source of money."""
    _require_role(actor, Role.FINANCE)
    value = _amount(amount, "amount")
    reference = _text(document_reference, "document_reference",
                      _("Enter the allocation's document reference."))
    if allocated_on is None:
        raise ApplicationError(_("Enter the allocation date."), code="required",
                               field="allocated_on")
    fund = _lock_fund(fund)
    allocation = FundAllocation(fund=fund, amount=value, allocated_on=allocated_on,
                                document_reference=reference, created_by=actor)
    allocation.full_clean()
    allocation.save()
    _book(fund=fund, kind=EntryKind.ALLOCATION, amount=value, actor=actor, allocation=allocation,
          reference=reference)
    audit_record(actor=actor, action="fundallocation.create", obj=allocation,
                 changes={"amount": str(value), "document_reference": reference,
                          "allocated_on": allocated_on.isoformat()})
    return allocation


def fund_low_balance_alert_send(*, fund_id: int) -> bool:
    """Alert the city and Finance bureaus once per drop below the threshold (idempotent)."""
    with transaction.atomic():
        fund = Fund.objects.select_for_update().filter(pk=fund_id).first()
        if fund is None or not fund.is_low or fund.low_balance_alerted_at is not None:
            return False
        fund.low_balance_alerted_at = timezone.now()
        fund.save(update_fields=["low_balance_alerted_at"])
        title = Text(gettext_lazy("Relief fund low: %(name)s"), name=fund.name)
        body = Text(gettext_lazy(
            "The available balance of %(name)s is %(available)s, below the alert threshold "
            "of %(threshold)s. Please arrange an allocation."),
            name=fund.name, available=format_money(fund.available, "CNY"),
            threshold=format_money(fund.low_balance_threshold, "CNY"))
        recipients = _alert_recipients()
        url = reverse("tempaid:fund")
        notify_users(recipients=recipients, title=title, body=body, url=url,
                     kind="tempaid.fund_low", email=True)
        audit_record(actor=None, action="fund.low_balance_alert", obj=fund,
                     changes={"available": str(fund.available),
                              "recipients": len(recipients)})
    return True


def _alert_recipients() -> list:
    return list(get_user_model().objects.filter(
        is_active=True, groups__name__in=[Role.CITY, Role.FINANCE]).distinct().order_by("id"))


# --- applications ------------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def application_create(*, actor, case, kind: str, description: str, amount_requested,
                       household_situation: str = "", is_fast_track: bool = False) -> Application:
    """A draft application by a district officer for the subject of ``case``, a Macau or
    Cooperation Zone resident in the register."""
    _require_role(actor, *FILER_ROLES)
    agency = user_agency(actor)
    if agency is None or not agency.district:
        raise ApplicationError(_("Your account does not belong to a district bureau."),
                               code="forbidden", status=403)
    if case is None:
        raise ApplicationError(_("Choose the case."), code="required", field="case")
    if case.district != agency.district:
        raise ApplicationError(_("The case belongs to another district."), code="forbidden",
                               field="case", status=403)
    person = case.subject
    if person.residence_status not in ELIGIBLE_RESIDENCE:
        raise ApplicationError(_("Temporary relief here is for Macau residents and Cooperation "
                                 "Zone residents."), code="not_eligible", field="case")
    if kind not in EmergencyKind.values:
        raise ApplicationError(_("Choose the kind of emergency."), code="invalid", field="kind")
    value = _amount(amount_requested, "amount_requested")
    application = Application(
        number=f"tmp-{uuid.uuid4().hex[:16]}", person=person, case=case,
        owner_agency=agency, district=agency.district, kind=kind,
        description=_text(description, "description", _("Describe what happened.")),
        household_situation=(household_situation or "").strip(), amount_requested=value,
        is_fast_track=bool(is_fast_track), created_by=actor, responsible_officer=actor)
    application.full_clean(exclude=["number"])
    application.save()
    application.number = f"TA-{timezone.localdate().year}-{application.pk:06d}"
    application.save(update_fields=["number"])
    audit_record(actor=actor, action="application.create", obj=application, changes={
        "number": application.number, "case": case.number, "kind": kind,
        "amount_requested": str(value), "is_fast_track": application.is_fast_track})
    return application


@refusals_audited
@transaction.atomic
def application_update(*, actor, application: Application, **fields) -> Application:
    """Change a draft: kind, description, household situation, amount, fast track."""
    application = _locked(application)
    _require_district_of(actor, application)
    if application.status != Status.DRAFT:
        raise ApplicationError(_("Only a draft can be changed."), code="invalid_state", status=409)
    changed = []
    for name in ("kind", "description", "household_situation", "amount_requested",
                 "is_fast_track"):
        if name not in fields:
            continue
        value = fields[name]
        if name == "amount_requested":
            value = _amount(value, name)
        elif name == "kind" and value not in EmergencyKind.values:
            raise ApplicationError(_("Choose the kind of emergency."), code="invalid", field="kind")
        elif name == "description":
            value = _text(value, name, _("Describe what happened."))
        elif name == "is_fast_track":
            value = bool(value)
        setattr(application, name, value)
        changed.append(name)
    application.full_clean()
    application.save(update_fields=changed + ["updated_at"])
    audit_record(actor=actor, action="application.change", obj=application,
                 changes={name: str(getattr(application, name))[:100] for name in changed})
    return application


def _lock_person(person_id: int) -> None:
    """Serialise every grant decision for one person: the frequency limit is a count of the
    person's earlier grants, and two approvals counting at the same moment would both see room
    for one more. The lock is held to the end of the transaction, so the second count runs after
    the first grant is committed (READ COMMITTED takes a new snapshot per statement). ``no_key``
    leaves rows that merely refer to the person (cases, audit) free to be written."""
    list(Person.objects.select_for_update(no_key=True).filter(pk=person_id)
         .values_list("pk", flat=True))


def grants_in_window(application: Application, policy: PolicyVersion) -> int:
    since = timezone.now() - relativedelta(months=policy.frequency_window_months)
    return (Application.objects.filter(person_id=application.person_id,
                                       status__in=GRANTED_STATUSES, decided_at__gte=since)
            .exclude(pk=application.pk).count())


def _check_frequency(actor, application: Application, policy: PolicyVersion,
                     override_reason: str) -> None:
    """At most ``frequency_limit`` grants per person in the window, unless the officer gives a
    reason for exceeding it (audited). Callers hold the application's lock; the person is locked
    here, before counting, and stays locked until the grant is committed."""
    _lock_person(application.person_id)
    count = grants_in_window(application, policy)
    if count < policy.frequency_limit:
        return
    reason = (override_reason or application.frequency_override_reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("This person has already received %(count)s grants in the last %(months)s months "
              "(limit %(limit)s). Give a reason to exceed the limit.") % {
                "count": count, "months": policy.frequency_window_months,
                "limit": policy.frequency_limit},
            code="frequency_limit", field="frequency_override_reason")
    if reason != application.frequency_override_reason:
        application.frequency_override_reason = reason[:500]
        application.save(update_fields=["frequency_override_reason"])
        audit_record(actor=actor, action="application.frequency_override", obj=application,
                     summary=reason[:400], changes={"grants_in_window": count,
                                                    "limit": policy.frequency_limit})


def _reserve_and_approve(*, actor, application: Application, amount: Decimal, note: str,
                         fields: list[str]) -> Application:
    fund = _lock_fund(fund_for(application))
    _book(fund=fund, kind=EntryKind.RESERVATION, amount=amount, actor=actor,
          application=application, reference=application.number)
    now = timezone.now()
    application.fund = fund
    application.amount_approved = amount
    application.status = Status.APPROVED
    application.decided_by = actor
    application.decided_at = now
    application.decision_note = (note or "").strip()
    application.full_clean()
    application.save(update_fields=fields + ["fund", "amount_approved", "status", "decided_by",
                                             "decided_at", "decision_note", "updated_at"])
    audit_record(actor=actor, action="application.approve", obj=application, changes={
        "amount_approved": str(amount), "route": application.route,
        "policy": str(application.policy), "fund": fund.code})
    return application


@refusals_audited
@transaction.atomic
def application_submit(*, actor, application: Application,
                       frequency_override_reason: str = "") -> Application:
    """Route by the policy in force: fast track is approved at once (the district's emergency
    power, its checks being the payment by Finance and the paperwork deadline); otherwise the
    application waits for district review."""
    application = _locked(application)
    _require_district_of(actor, application)
    if not application.can_submit():
        raise ApplicationError(_("Only a draft can be submitted."), code="invalid_state",
                               status=409)
    policy = policy_in_effect()
    application.policy = policy
    application.route = route_for(policy, application.amount_requested,
                                  is_fast_track=application.is_fast_track)
    if application.is_fast_track and application.amount_requested > policy.fast_track_limit:
        raise ApplicationError(
            _("The fast track pays at most %(limit)s at once; the request is %(amount)s.") % {
                "limit": format_money(policy.fast_track_limit, "CNY"),
                "amount": format_money(application.amount_requested, "CNY")},
            code="fast_track_limit", field="amount_requested")
    _check_frequency(actor, application, policy, frequency_override_reason)
    application.submitted_at = timezone.now()
    fields = ["policy", "route", "submitted_at", "status"]
    audit_record(actor=actor, action="application.submit", obj=application,
                 changes={"route": application.route, "policy": str(policy)})
    if application.route == Route.FAST_TRACK:
        # the owner district completes the paperwork: its (mainland) working days
        application.paperwork_due = add_working_days(timezone.localdate(),
                                                     policy.fast_track_paperwork_days,
                                                     application.owner_agency)
        return _reserve_and_approve(actor=actor, application=application,
                                    amount=application.amount_requested,
                                    note=_("Emergency fast track"),
                                    fields=fields + ["paperwork_due"])
    application.status = Status.SUBMITTED
    application.save(update_fields=fields + ["updated_at"])
    return application


@refusals_audited
@transaction.atomic
def application_review_start(*, actor, application: Application) -> Application:
    application = _locked(application)
    _require_district_of(actor, application)
    if not application.can_start_review():
        raise ApplicationError(_("Only a submitted application can be taken into review."),
                               code="invalid_state", status=409)
    application.status = Status.DISTRICT_REVIEW
    application.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="application.review", obj=application)
    return application


def _refuse_own(actor, application: Application) -> None:
    if actor.pk == application.created_by_id:
        raise ApplicationError(_("You cannot approve an application you filed yourself."),
                               code="own_application", status=403)


@refusals_audited
@transaction.atomic
def application_approve(*, actor, application: Application, amount=None,
                        note: str = "", frequency_override_reason: str = "") -> Application:
    """District approval within the district limit, or city approval within the city limit
    (above it, after the joint conference's key-case review, stated in ``note``). Reserves the
    amount on the fund; refused when the fund's available balance does not cover it."""
    application = _locked(application)
    if application.status == Status.DISTRICT_REVIEW:
        _require_district_of(actor, application)
        if application.route != Route.DISTRICT:
            raise ApplicationError(
                _("The amount is above the district limit (%(limit)s): forward it to the city "
                  "bureau.") % {"limit": format_money(application.policy.district_limit, "CNY")},
                code="above_district_limit", status=409)
        limit = application.policy.district_limit
    elif application.status == Status.CITY_REVIEW:
        _require_role(actor, Role.CITY)
        limit = application.policy.city_limit
        if application.route == Route.KEY_CASE:
            limit = application.amount_requested

            if key_case_approval_for(application.key_case_agenda_item_id) is None:
                raise ApplicationError(
                    _("Above the city limit: the joint conference's key-case review must first "
                      "approve it at a held meeting, with its participants recorded."),
                    code="key_case_decision_required")
    else:
        raise ApplicationError(_("This application is not waiting for a decision."),
                               code="invalid_state", status=409)
    _refuse_own(actor, application)
    value = application.amount_requested if amount in (None, "") else _amount(amount, "amount")
    if value > application.amount_requested:
        raise ApplicationError(_("The approved amount cannot exceed the amount requested."),
                               code="above_request", field="amount")
    if value > limit:
        raise ApplicationError(_("The approved amount is above your approval limit (%(limit)s).")
                               % {"limit": format_money(limit, "CNY")},
                               code="above_limit", field="amount")
    _check_frequency(actor, application, application.policy, frequency_override_reason)
    return _reserve_and_approve(actor=actor, application=application, amount=value, note=note,
                                fields=[])


@refusals_audited
@transaction.atomic
def application_forward(*, actor, application: Application, note: str = "") -> Application:
    """District review → city review, for amounts above the district limit. Above the city
    limit the case is also put up for key-case review at the next joint conference."""
    application = _locked(application)
    _require_district_of(actor, application)
    if not application.can_decide_in_district():
        raise ApplicationError(_("Only an application in district review can be forwarded."),
                               code="invalid_state", status=409)
    if application.route not in (Route.CITY, Route.KEY_CASE):
        raise ApplicationError(_("Within the district limit the district decides."),
                               code="within_district_limit", status=409)
    application.status = Status.CITY_REVIEW
    application.district_note = (note or "").strip()
    fields = ["status", "district_note", "updated_at"]
    if application.route == Route.KEY_CASE and application.key_case_agenda_item_id is None:

        item = agenda_item_propose_key_case(
            actor=actor, case=application.case,
            title=_("Temporary relief %(number)s above the city limit") % {
                "number": application.number},
            reason=_("%(amount)s requested (%(kind)s), above the city approval limit of "
                     "%(limit)s.") % {
                "amount": format_money(application.amount_requested, "CNY"),
                "kind": application.get_kind_display(),
                "limit": format_money(application.policy.city_limit, "CNY")},
            source=f"tempaid:{application.number}")
        application.key_case_agenda_item_id = item.pk
        fields.append("key_case_agenda_item_id")
    application.save(update_fields=fields)
    audit_record(actor=actor, action="application.forward", obj=application,
                 changes={"route": application.route,
                          "agenda_item": application.key_case_agenda_item_id})
    return application


@refusals_audited
@transaction.atomic
def application_reject(*, actor, application: Application, reason: str) -> Application:
    application = _locked(application)
    if application.status == Status.DISTRICT_REVIEW:
        _require_district_of(actor, application)
    elif application.status == Status.CITY_REVIEW:
        _require_role(actor, Role.CITY)
    else:
        raise ApplicationError(_("This application is not waiting for a decision."),
                               code="invalid_state", status=409)
    application.rejection_reason = _text(reason, "reason", _("Give the reason for rejection."))
    application.status = Status.REJECTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["rejection_reason", "status", "decided_by", "decided_at",
                                    "updated_at"])
    audit_record(actor=actor, action="application.reject", obj=application,
                 summary=application.rejection_reason[:400])
    return application


@refusals_audited
@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str) -> Application:
    """Withdrawn at any point before payment; an approved amount's reservation is released."""
    application = _locked(application)
    if not has_role(actor, Role.CITY):
        _require_district_of(actor, application)
    if not application.can_withdraw():
        raise ApplicationError(_("A paid, rejected or closed application cannot be withdrawn."),
                               code="invalid_state", status=409)
    text = _text(reason, "reason", _("Give the reason for withdrawal."))
    if application.status == Status.APPROVED:
        fund = _lock_fund(application.fund)
        _book(fund=fund, kind=EntryKind.RELEASE, amount=application.amount_approved, actor=actor,
              application=application, reference=application.number)
    previous = application.status
    application.status = Status.WITHDRAWN
    application.withdrawal_reason = text
    application.save(update_fields=["status", "withdrawal_reason", "updated_at"])
    audit_record(actor=actor, action="application.withdraw", obj=application, summary=text[:400],
                 changes={"from": previous})
    return application


@refusals_audited
@transaction.atomic
def application_payment_record(*, actor, application: Application,
                               payment_reference: str = "") -> Application:
    """The Finance bureau, as checker, records the payment: never the approver."""
    _require_role(actor, Role.FINANCE)
    application = _locked(application)
    if not application.can_record_payment():
        raise ApplicationError(_("Only an approved application can be paid."),
                               code="invalid_state", status=409)
    if actor.pk in (application.decided_by_id, application.created_by_id):
        raise ApplicationError(_("The payment must be recorded by someone other than the approver."),
                               code="same_user", status=403)
    reference = _text(payment_reference, "payment_reference",
                      _("Enter the payment reference (voucher or bank transaction)."))
    fund = _lock_fund(application.fund)
    _book(fund=fund, kind=EntryKind.DISBURSEMENT, amount=application.amount_approved,
          actor=actor, application=application, reference=reference)
    application.status = Status.PAID
    application.paid_by = actor
    application.paid_at = timezone.now()
    application.payment_reference = reference[:80]
    application.save(update_fields=["status", "paid_by", "paid_at", "payment_reference",
                                    "updated_at"])
    audit_record(actor=actor, action="application.pay", obj=application,
                 changes={"amount": str(application.amount_approved), "reference": reference})
    return application


@refusals_audited
@transaction.atomic
def application_payment_reverse(*, actor, application: Application, reason: str) -> Application:
    """A payment returned (e.g. by the bank): the money comes back to the fund (reversal) and is
    reserved again, so the application is approved and can be paid again or withdrawn."""
    _require_role(actor, Role.FINANCE)
    application = _locked(application)
    if not application.can_reverse_payment():
        raise ApplicationError(_("Only a paid application can be reversed."),
                               code="invalid_state", status=409)
    text = _text(reason, "reason", _("Give the reason for the reversal."))
    fund = _lock_fund(application.fund)
    _book(fund=fund, kind=EntryKind.REVERSAL, amount=application.amount_approved, actor=actor,
          application=application, reference=application.payment_reference)
    _book(fund=fund, kind=EntryKind.RESERVATION, amount=application.amount_approved, actor=actor,
          application=application, reference=application.number)
    application.status = Status.APPROVED
    application.paid_by = None
    application.paid_at = None
    application.save(update_fields=["status", "paid_by", "paid_at", "updated_at"])
    audit_record(actor=actor, action="application.reverse", obj=application, summary=text[:400])
    return application


@refusals_audited
@transaction.atomic
def application_paperwork_complete(*, actor, application: Application) -> Application:
    application = _locked(application)
    _require_district_of(actor, application)
    if not application.can_complete_paperwork():
        raise ApplicationError(_("There is no outstanding fast-track paperwork."),
                               code="invalid_state", status=409)
    application.paperwork_completed_at = timezone.now()
    application.save(update_fields=["paperwork_completed_at", "updated_at"])
    audit_record(actor=actor, action="application.paperwork_complete", obj=application,
                 changes={"late": application.paperwork_overdue_at is not None})
    return application


@refusals_audited
@transaction.atomic
def application_close(*, actor, application: Application) -> Application:
    application = _locked(application)
    if not has_role(actor, Role.CITY):
        _require_district_of(actor, application)
    if not application.can_close():
        raise ApplicationError(_("Only a paid application with its paperwork complete can be "
                                 "closed."), code="invalid_state", status=409)
    application.status = Status.CLOSED
    application.closed_at = timezone.now()
    application.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="application.close", obj=application)
    return application


@refusals_audited
@transaction.atomic
def application_document_add(*, actor, application: Application, file,
                             description: str = "") -> ApplicationDocument:
    _require_district_of(actor, application)
    if application.status in (Status.CLOSED, Status.WITHDRAWN, Status.REJECTED):
        raise ApplicationError(_("This application is finished."), code="invalid_state",
                               status=409)
    try:
        validate_upload(file, kinds=DOCUMENT_KINDS,
                        max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid",
                               field="file") from None
    document = ApplicationDocument(application=application, file=file,
                                   original_name=safe_filename(file.name)[:200],
                                   description=(description or "").strip()[:200],
                                   uploaded_by=actor)
    document.save()
    audit_record(actor=actor, action="application.document_add", obj=application,
                 changes={"document": document.pk})
    return document


@refusals_audited
@transaction.atomic
def application_share(*, actor, application: Application, agency: Agency,
                      reason: str) -> None:
    """Share with Macau IAS or the Cooperation Zone bureau (read-only), audited."""
    if not has_role(actor, Role.CITY):
        _require_district_of(actor, application)
    if agency.side not in (Side.MACAU, Side.HENGQIN):
        raise ApplicationError(_("Applications are shared only with Macau or Hengqin."),
                               code="invalid", field="agency")
    share_with_agency(application, agency, actor=actor,
                      reason=_text(reason, "reason", _("Give the reason for sharing.")))


@refusals_audited
@transaction.atomic
def application_unshare(*, actor, application: Application, agency: Agency,
                        reason: str = "") -> None:
    if not has_role(actor, Role.CITY):
        _require_district_of(actor, application)
    unshare_with_agency(application, agency, actor=actor, reason=reason)


def applications_flag_overdue_paperwork(*, today: date | None = None) -> list[int]:
    """Flag fast-track applications whose paperwork is past its deadline (daily, idempotent);
    the owner district's officers and the city bureau are notified."""
    today = today or timezone.localdate()
    flagged = []
    candidates = Application.objects.filter(
        is_fast_track=True, paperwork_completed_at__isnull=True, paperwork_overdue_at__isnull=True,
        paperwork_due__lt=today, status__in=(Status.APPROVED, Status.PAID))
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if application.paperwork_overdue_at is not None or \
                    application.paperwork_completed_at is not None:
                continue
            application.paperwork_overdue_at = timezone.now()
            application.save(update_fields=["paperwork_overdue_at", "updated_at"])
            audit_record(actor=None, action="application.paperwork_overdue", obj=application,
                         changes={"due": date_display(application.paperwork_due)})
            _notify_overdue(application)
            flagged.append(pk)
    return flagged


def _notify_overdue(application: Application) -> None:
    recipients = get_user_model().objects.filter(is_active=True).filter(
        Q(groups__name=Role.CITY)
        | (Q(groups__name=Role.DISTRICT) & Q(staff__agency=application.owner_agency))).distinct()
    notify_users(recipients=list(recipients),
                 title=Text(gettext_lazy("Fast-track paperwork overdue: %(number)s"),
                            number=application.number),
                 body=Text(gettext_lazy("The paperwork of fast-track application %(number)s was "
                                        "due on %(due)s."),
                           number=application.number, due=application.paperwork_due),
                 url=reverse("tempaid:detail", args=[application.pk]),
                 kind="tempaid.paperwork_overdue", email=True)


# --- Responsible officer ----------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def application_assign(*, actor, application: Application, officer,
                       by_handover: bool = False) -> Application:
    """Make ``officer`` (of the district bureau) responsible for an open application: the
    bureau's team lead reassigns; a hand-over (core.handover) checks its own rule and tells the
    new officer once."""
    application = _locked(application)
    guard_assignment(actor=actor, agency=Agency.objects.get(pk=application.owner_agency_id),
                     officer=officer, by_handover=by_handover)
    if not application.is_open():
        raise ApplicationError(_("Only an open application can be reassigned."),
                               code="invalid_status", status=409)
    record_assignment(
        actor=actor, record=application, field="responsible_officer", officer=officer,
        by_handover=by_handover,
        unchanged=_("The application is already assigned to that officer."),
        told=Text(gettext_lazy("Relief application %(number)s was assigned to you"),
                  number=application.number),
        url=reverse("tempaid:detail", args=[application.pk]), kind="tempaid.assigned")
    return application
