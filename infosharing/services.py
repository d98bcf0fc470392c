"""Writes of the information-sharing workstream. Every workflow step is one service: it locks
the row, checks the model's guard, saves with ``update_fields`` and writes the audit trail;
follow-up work (e-mail, escalation checks) runs after the commit."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.selectors import person_visible_to
from cases.services import guard_not_merged, person_shares_withdraw_without_consent
from core.assignment import guard_assignment, record_assignment
from core.audit import audit_record, refusals_audited
from core.calendar import add_working_days, agency_sides_closed_on
from core.errors import ApplicationError, full_clean_or_refuse
from core.files import FileKind, safe_filename, validate_upload
from core.messages import Since, Text, choice_label
from core.models import Agency, AgencyKind, LiaisonRole, Side
from core.notifications import (
    REASON_ON_PAGE,
    current_liaisons,
    liaison_users,
    notify_users,
    user_languages,
)
from core.roles import Role, has_role
from core.visibility import user_agency
from zhuao.celery import enqueue_after_commit
from zhuao.formats import date_display

from . import conf
from .bulletins import side_figures
from .models import (
    AWAITING_ANSWER,
    BULLETIN_SIDES,
    PENDING,
    AskableSide,
    Authorization,
    Bulletin,
    BulletinRecipient,
    BulletinSection,
    BulletinStatus,
    DeliveryChannel,
    EscalationLevel,
    FindingAttachment,
    FindingOutcome,
    RequestDirection,
    RequestStatus,
    UrgentDelivery,
    UrgentNotification,
    UrgentRecipient,
    VerificationFinding,
    VerificationRequest,
    category_labels,
)
from .pdf import bulletin_pdf
from .permissions import BULLETIN_WRITER_ROLES
from .selectors import bulletin_contributing_agency, bulletin_writer_side

logger = logging.getLogger(__name__)

SCAN_KINDS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}


# ------------------------------------------------------------------------------- helpers

def _agency_of(actor) -> Agency:
    agency = user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."), code="no_agency",
                               status=403)
    return agency


def _checked_file(uploaded, *, field: str, kinds=SCAN_KINDS) -> tuple[str, str]:
    """Validate an upload; return (safe display name, kind). Names carrying a path are refused
    (the stored file is named by a random id anyway)."""
    raw_name = getattr(uploaded, "name", "") or ""
    if "/" in raw_name or "\\" in raw_name or ".." in raw_name or raw_name.startswith("."):
        raise ApplicationError(_("The file name must not contain a folder path."),
                               code="path_in_filename", field=field)
    try:
        kind = validate_upload(uploaded, kinds=set(kinds), max_bytes=settings.UPLOAD_MAX_BYTES)
        name = safe_filename(raw_name)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid_file",
                               field=field) from None
    return name, kind




def _in_language_of(agency: Agency) -> str:
    """An agency's own mailbox (no user behind it) reads its side's language."""
    return agency.default_language


# ------------------------------------------------------------------------ authorizations

@refusals_audited
@transaction.atomic
def authorization_record(*, actor, person, signatories: str, categories: list[str],
                         sides: list[str], valid_from: date, valid_until: date, scan,
                         received_on: date | None = None) -> Authorization:
    """Put a signed authorization on file, with its checked scan."""
    guard_not_merged(person)
    agency = _agency_of(actor)
    scan_name, scan_kind = _checked_file(scan, field="scan")
    authorization = Authorization(
        person=person, signatories=signatories.strip(), categories=list(dict.fromkeys(categories)),
        sides=list(dict.fromkeys(sides)), valid_from=valid_from, valid_until=valid_until,
        received_by=actor, received_on=received_on or timezone.localdate(), owner_agency=agency,
        district=person.district or agency.district, scan_name=scan_name, scan_kind=scan_kind)
    authorization.scan = scan
    full_clean_or_refuse(authorization)
    authorization.save()
    audit_record(actor=actor, action="authorization.create", obj=authorization,
                 changes={"person": person.pk, "categories": ",".join(authorization.categories),
                          "sides": ",".join(authorization.sides),
                          "valid_from": str(valid_from), "valid_until": str(valid_until)})
    return authorization


@refusals_audited
@transaction.atomic
def authorization_revoke(*, actor, authorization: Authorization, reason: str,
                         revoked_on: date | None = None) -> Authorization:
    """Revoke: no new request may rely on it from now on, and its pending requests are
    withdrawn (each audited)."""
    authorization = Authorization.objects.select_for_update().get(pk=authorization.pk)
    if authorization.is_revoked:
        raise ApplicationError(_("The authorization is already revoked."), code="already_revoked")
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the revocation."), code="reason_required",
                               field="reason")
    if _agency_of(actor) != authorization.owner_agency and not has_role(actor, Role.CITY):
        raise ApplicationError(_("Only the agency that holds the authorization can revoke it."),
                               code="not_owner", status=403)
    authorization.revoked_at = timezone.now()
    authorization.revoked_on = revoked_on or timezone.localdate()
    authorization.revoked_by = actor
    authorization.revocation_reason = reason.strip()
    authorization.save(update_fields=["revoked_at", "revoked_on", "revoked_by",
                                      "revocation_reason", "updated_at"])
    audit_record(actor=actor, action="authorization.revoke", obj=authorization,
                 summary=reason[:400], changes={"revoked_on": str(authorization.revoked_on)})
    pending = VerificationRequest.objects.select_for_update().filter(
        authorization=authorization,
        status__in=PENDING)
    for request in pending:
        _withdraw(actor=actor, request=request,
                  reason=_("The authorization was revoked: %(reason)s") % {"reason": reason.strip()})
    if authorization.person.owner_agency.side != Side.ZHUHAI:
        # a Macau or Hengqin record shared with Zhuhai on the strength of this consent

        person_shares_withdraw_without_consent(
            actor=actor, person=authorization.person,
            reason=_("The authorization was revoked: %(reason)s") % {"reason": reason.strip()})
    return authorization


# ----------------------------------------------------------------- verification requests

def receiving_agency_for(side: str) -> Agency:
    code = conf.RECEIVING_AGENCY_CODES.get(side)
    agency = Agency.objects.filter(code=code, is_active=True).first() if code else None
    if agency is None:
        raise ApplicationError(_("No agency answers requests for this side."), code="no_receiver",
                               field="receiving_side")
    return agency


def _require_requester(actor, request: VerificationRequest) -> None:
    if user_agency(actor) != request.requesting_agency:
        raise ApplicationError(_("Only the requesting agency can do this."), code="not_requester",
                               status=403)


def _require_receiver(actor, request: VerificationRequest) -> None:
    if user_agency(actor) != request.receiving_agency:
        raise ApplicationError(_("Only the receiving agency can do this."), code="not_receiver",
                               status=403)


def _refuse_step(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_status", status=409)


def _locked(request: VerificationRequest) -> VerificationRequest:
    return VerificationRequest.objects.select_for_update(of=("self",)).select_related(
        "requesting_agency", "receiving_agency", "authorization").get(pk=request.pk)


@refusals_audited
@transaction.atomic
def verification_request_create(*, actor, case=None, categories: list[str], receiving_side: str,
                                question: str = "", authorization: Authorization | None = None,
                                person=None) -> VerificationRequest:
    """A draft request about ``person`` (the case's subject unless given) of ``case``.

    Outbound: Zhuhai asks Macau or Hengqin, about a case. Inbound: a Macau or Hengqin liaison
    asks Zhuhai about a person its agency registered (no Zhuhai case); it goes to the city
    bureau, whose officer routes it to the district that answers."""
    agency = _agency_of(actor)
    if receiving_side not in AskableSide.values:
        raise ApplicationError(_("Choose the side to ask."), field="receiving_side")
    if receiving_side == agency.side:
        raise ApplicationError(_("A request goes to the other side: %(side)s is your own side.")
                               % {"side": AskableSide(receiving_side).label},
                               code="own_side", field="receiving_side")
    inbound = agency.side in (Side.MACAU, Side.HENGQIN)
    if inbound and receiving_side != AskableSide.ZHUHAI:
        raise ApplicationError(_("Macau and Hengqin send their verification requests to "
                                 "Zhuhai."), code="inbound_to_zhuhai", field="receiving_side")
    if case is None and person is None:
        raise ApplicationError(_("Choose the person to verify."), code="required",
                               field="person")
    if not inbound and case is None:
        raise ApplicationError(_("Choose the case."), code="required", field="case")
    person = person or case.subject
    guard_not_merged(person)
    if inbound:

        if not person_visible_to(actor).filter(pk=person.pk).exists():
            raise ApplicationError(_("Choose the person to verify."), code="not_visible",
                                   field="person", status=404)
    if authorization is not None and authorization.person_id != person.pk:
        raise ApplicationError(_("This authorization was signed for another person."),
                               code="authorization_other_person", field="authorization")
    request = VerificationRequest(
        number=f"tmp-{uuid.uuid4().hex[:16]}", case=case, person=person,
        direction=RequestDirection.INBOUND if inbound else RequestDirection.OUTBOUND,
        authorization=authorization, requesting_agency=agency,
        # an inbound request belongs to no district until the city bureau routes it
        district="" if inbound else (case.district or agency.district),
        receiving_side=receiving_side, receiving_agency=receiving_agency_for(receiving_side),
        categories=list(dict.fromkeys(categories)), question=question.strip(),
        created_by=actor, responsible_officer=None if inbound else actor)
    full_clean_or_refuse(request)
    request.save()
    request.number = f"XC-{timezone.localdate().year}-{request.pk:06d}"
    request.save(update_fields=["number"])
    audit_record(actor=actor, action="verificationrequest.create", obj=request,
                 changes={"number": request.number, "case": case.number if case else None,
                          "person": person.pk, "direction": request.direction,
                          "receiving_agency": request.receiving_agency.code,
                          "categories": ",".join(request.categories)})
    return request


@refusals_audited
@transaction.atomic
def verification_request_update(*, actor, request: VerificationRequest, categories: list[str],
                                question: str, authorization: Authorization | None
                                ) -> VerificationRequest:
    """Change a draft, or a request returned for more information, before (re)sending."""
    request = _locked(request)
    _require_requester(actor, request)
    if not request.can_edit():
        raise _refuse_step(_("Only a draft or a returned request can be changed."))
    if authorization is not None and authorization.person_id != request.person_id:
        raise ApplicationError(_("This authorization was signed for another person."),
                               code="authorization_other_person", field="authorization")
    request.categories = list(dict.fromkeys(categories))
    request.question = question.strip()
    request.authorization = authorization
    full_clean_or_refuse(request)
    request.save(update_fields=["categories", "question", "authorization", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.update", obj=request,
                 changes={"categories": ",".join(request.categories),
                          "authorization": authorization.pk if authorization else None})
    return request


def send_refusal(request: VerificationRequest, *, on: date | None = None) -> tuple[str, str] | None:
    """Why ``request`` may not be sent (code, message), or None."""
    on = on or timezone.localdate()
    authorization = request.authorization
    if authorization is None or authorization.person_id != request.person_id:
        return "no_authorization", _("No signed authorization of this person is attached to "
                                     "the request; record one and attach it first.")
    return authorization.refusal(categories=request.categories, side=request.receiving_side, on=on)


@refusals_audited
@transaction.atomic
def verification_request_send(*, actor, request: VerificationRequest) -> VerificationRequest:
    """Send to the receiving agency. Refused, with the failing condition named, unless a
    valid, unrevoked, unexpired authorization covers every category and the side."""
    request = _locked(request)
    _require_requester(actor, request)
    if not request.can_send():
        raise _refuse_step(_("Only a draft or a returned request can be sent."))
    if request.authorization_id:
        Authorization.objects.select_for_update().filter(pk=request.authorization_id).first()
        request.authorization.refresh_from_db()
    refusal = send_refusal(request)
    if refusal is not None:
        code, message = refusal
        raise ApplicationError(message, code=code, field="authorization")
    now = timezone.now()
    was_returned = request.status == RequestStatus.RETURNED
    request.status = RequestStatus.SENT
    request.sent_at = now
    # the answering side's working days: a request to Macau skips Macau's holidays
    request.due_date = add_working_days(timezone.localdate(now),
                                        conf.verification_due_working_days(),
                                        request.receiving_agency)
    request.status_reason = ""
    request.save(update_fields=["status", "sent_at", "due_date", "status_reason", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.send", obj=request,
                 summary=_("cross-border disclosure of identifying data"),
                 changes={"receiving_agency": request.receiving_agency.code,
                          "due_date": str(request.due_date), "resent": was_returned})
    _notify_agency(request.receiving_agency, request,
                   title=Text(gettext_lazy("Verification request %(number)s received"),
                               number=request.number),
                   body=Text(gettext_lazy("Please acknowledge and answer by %(date)s."),
                             date=request.due_date))
    return request


def _request_url(request: VerificationRequest) -> str:
    return reverse("infosharing:request_detail", args=[request.pk])


def _agency_officers(agency: Agency) -> list:
    """The agency's active users of the working roles (an agency without liaisons)."""
    return list(get_user_model().objects.filter(
        is_active=True, staff__agency=agency,
        groups__name__in=[Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN])
        .distinct().order_by("pk"))


def _notify_agency(agency: Agency, request: VerificationRequest, *, title: Text,
                   body: Text | str) -> None:
    users = (liaison_users(agency, role=LiaisonRole.PRIMARY)
             + liaison_users(agency, role=LiaisonRole.BACKUP))
    if not users:  # e.g. a district bureau: its officers
        users = _agency_officers(agency)
    notify_users(recipients=users, title=title, body=body, url=_request_url(request),
            kind="infosharing.verification")


def _notify_requester(request: VerificationRequest, *, title: Text, body: Text | str = "") -> None:
    notify_users(recipients=[request.created_by], title=title, body=body, url=_request_url(request),
            kind="infosharing.verification")


def district_answering_agency(district: str) -> Agency:
    """The district civil-affairs department that answers for ``district``."""
    agency = (Agency.objects.filter(kind=AgencyKind.DISTRICT_BUREAU, district=district,
                                    is_active=True).order_by("pk").first() if district else None)
    if agency is None:
        raise ApplicationError(_("Choose the district that answers."), code="no_district",
                               field="district")
    return agency


@refusals_audited
@transaction.atomic
def verification_request_route(*, actor, request: VerificationRequest,
                               district: str) -> VerificationRequest:
    """A Zhuhai city officer hands an inbound request to the district that answers it. The
    due date stays the one set when it was sent (the same service level as outbound)."""
    request = _locked(request)
    if not has_role(actor, Role.CITY) or user_agency(actor) != request.receiving_agency:
        raise ApplicationError(_("Only a city officer of the receiving bureau routes a "
                                 "request."), code="not_router", status=403)
    if not request.can_route():
        raise _refuse_step(_("Only an inbound request waiting to be routed can be routed."))
    answering = district_answering_agency(district)
    request.receiving_agency = answering
    request.district = answering.district
    request.routed_at = timezone.now()
    request.routed_by = actor
    request.save(update_fields=["receiving_agency", "district", "routed_at", "routed_by",
                                "updated_at"])
    audit_record(actor=actor, action="verificationrequest.route", obj=request,
                 changes={"receiving_agency": answering.code, "district": answering.district})
    _notify_agency(answering, request,
                   title=Text(gettext_lazy("Verification request %(number)s received"),
                               number=request.number),
                   body=Text(gettext_lazy("Please acknowledge and answer by %(date)s."),
                             date=request.due_date))
    _notify_requester(request, title=Text(gettext_lazy(
        "Verification request %(number)s was routed to %(agency)s"),
        number=request.number, agency=answering))
    return request


@refusals_audited
@transaction.atomic
def verification_request_receive(*, actor, request: VerificationRequest) -> VerificationRequest:
    """The receiving liaison acknowledges receipt."""
    request = _locked(request)
    _require_receiver(actor, request)
    if request.needs_routing():
        raise _refuse_step(_("A city officer routes this request to a district first."))
    if not request.can_receive():
        raise _refuse_step(_("Only a sent request can be acknowledged."))
    request.status = RequestStatus.RECEIVED
    request.received_at = timezone.now()
    request.received_by = actor
    if request.responsible_officer_id is None:
        request.responsible_officer = actor
    request.save(update_fields=["status", "received_at", "received_by", "responsible_officer",
                                "updated_at"])
    audit_record(actor=actor, action="verificationrequest.receive", obj=request)
    _notify_requester(request, title=Text(
        gettext_lazy("Verification request %(number)s was received"), number=request.number))
    return request


@refusals_audited
@transaction.atomic
def verification_request_answer(*, actor, request: VerificationRequest, findings: list[dict],
                                attachments: Iterable = ()) -> VerificationRequest:
    """Answer with one finding per requested category (``{"category", "outcome", "text"}``)
    and optional attachments (PDF/JPEG/PNG)."""
    request = _locked(request)
    _require_receiver(actor, request)
    if not request.can_answer():
        raise _refuse_step(_("Acknowledge the request before answering it."))
    by_category = {item["category"]: item for item in findings}
    missing = [category for category in request.categories if category not in by_category]
    extra = [category for category in by_category if category not in request.categories]
    if missing:

        raise ApplicationError(_("Give a finding for every requested category; missing: "
                                 "%(categories)s.") % {"categories": category_labels(missing)},
                               code="findings_incomplete", field="findings")
    if extra:
        raise ApplicationError(_("Findings may only be given for the requested categories."),
                               code="findings_extra", field="findings")
    now = timezone.now()
    rows = []
    for category in request.categories:
        item = by_category[category]
        if item.get("outcome") not in FindingOutcome.values:
            raise ApplicationError(_("Choose the outcome of every finding."),
                                   code="invalid_outcome", field="findings")
        rows.append(VerificationFinding(request=request, category=category,
                                        outcome=item["outcome"],
                                        text=str(item.get("text", "")).strip(),
                                        recorded_by=actor, recorded_at=now))
    VerificationFinding.objects.bulk_create(rows)
    for uploaded in attachments:
        name, kind = _checked_file(uploaded, field="attachments")
        attachment = FindingAttachment(request=request, name=name, kind=kind, uploaded_by=actor)
        attachment.file = uploaded
        attachment.save()
    request.status = RequestStatus.ANSWERED
    request.answered_at = now
    request.answered_by = actor
    request.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.answer", obj=request,
                 summary=_("cross-border disclosure of findings"),
                 changes={"categories": ",".join(request.categories),
                          "attachments": request.attachments.count()})
    _notify_requester(request, title=Text(
        gettext_lazy("Verification request %(number)s was answered"), number=request.number))
    return request


@refusals_audited
@transaction.atomic
def verification_request_close(*, actor, request: VerificationRequest) -> VerificationRequest:
    request = _locked(request)
    _require_requester(actor, request)
    if not request.can_close():
        raise _refuse_step(_("Only an answered request can be closed."))
    request.status = RequestStatus.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.close", obj=request)
    return request


def _reason_required(reason: str) -> str:
    if not reason or not reason.strip():
        raise ApplicationError(_("Give the reason."), code="reason_required", field="reason")
    return reason.strip()


@refusals_audited
@transaction.atomic
def verification_request_return(*, actor, request: VerificationRequest,
                                reason: str) -> VerificationRequest:
    """The receiving side asks for more information; the requester may change and resend."""
    reason = _reason_required(reason)
    request = _locked(request)
    _require_receiver(actor, request)
    if not request.can_return():
        raise _refuse_step(_("Only a request awaiting an answer can be returned."))
    request.status = RequestStatus.RETURNED
    request.status_reason = reason
    request.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.return", obj=request, summary=reason[:400])
    _notify_requester(request, title=Text(
        gettext_lazy("Verification request %(number)s was returned"), number=request.number),
        body=REASON_ON_PAGE)
    return request


@refusals_audited
@transaction.atomic
def verification_request_decline(*, actor, request: VerificationRequest,
                                 reason: str) -> VerificationRequest:
    reason = _reason_required(reason)
    request = _locked(request)
    _require_receiver(actor, request)
    if not request.can_decline():
        raise _refuse_step(_("Only a request awaiting an answer can be declined."))
    request.status = RequestStatus.DECLINED
    request.status_reason = reason
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "status_reason", "closed_at", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.decline", obj=request,
                 summary=reason[:400])
    _notify_requester(request, title=Text(
        gettext_lazy("Verification request %(number)s was declined"), number=request.number),
        body=REASON_ON_PAGE)
    return request


def _withdraw(*, actor, request: VerificationRequest, reason: str) -> VerificationRequest:
    was_sent = request.status != RequestStatus.DRAFT
    request.status = RequestStatus.WITHDRAWN
    request.status_reason = reason
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "status_reason", "closed_at", "updated_at"])
    audit_record(actor=actor, action="verificationrequest.withdraw", obj=request,
                 summary=reason[:400])
    if was_sent:
        _notify_agency(request.receiving_agency, request,
                       title=Text(gettext_lazy("Verification request %(number)s was withdrawn"),
                                  number=request.number), body=REASON_ON_PAGE)
    return request


@refusals_audited
@transaction.atomic
def verification_request_withdraw(*, actor, request: VerificationRequest,
                                  reason: str) -> VerificationRequest:
    reason = _reason_required(reason)
    request = _locked(request)
    _require_requester(actor, request)
    if not request.can_withdraw():
        raise _refuse_step(_("This request can no longer be withdrawn."))
    return _withdraw(actor=actor, request=request, reason=reason)


def verification_overdue_remind(*, today: date | None = None) -> int:
    """Daily: remind the receiving agency (and the requester) of each overdue request, once a
    day, on the receiving side's working days only (a Macau office is not reminded on a Macau
    holiday). Returns how many were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    overdue_ids = list(VerificationRequest.objects.filter(
        status__in=AWAITING_ANSWER, due_date__lt=today).exclude(
        receiving_agency__side__in=agency_sides_closed_on(today)).filter(
        Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)).values_list("pk", flat=True))
    for pk in overdue_ids:
        with transaction.atomic():
            request = (VerificationRequest.objects.select_for_update()
                       .select_related("receiving_agency", "created_by").get(pk=pk))
            if request.last_reminded_on == today or not request.is_overdue(today):
                continue
            request.last_reminded_on = today
            request.save(update_fields=["last_reminded_on"])
            title = Text(gettext_lazy("Verification request %(number)s is overdue (due %(date)s)"),
                         number=request.number, date=request.due_date)
            _notify_agency(request.receiving_agency, request, title=title, body="")
            _notify_requester(request, title=title)
            audit_record(actor=None, action="verificationrequest.remind", obj=request,
                         username="system", changes={"due_date": str(request.due_date)})
            reminded += 1
    return reminded


# ------------------------------------------------------------------ urgent notifications

def _urgent_url(notification: UrgentNotification) -> str:
    return reverse("infosharing:urgent_detail", args=[notification.pk])


def escalation_targets(agency: Agency, level: int) -> tuple[list, list[str]]:
    """(users, extra e-mail addresses) to deliver to at ``level``.

    Level 2 ("leadership") means the agency's users holding the leadership role. Macau and
    Hengqin (and the district bureaus) have no leadership users in the application, so their
    level 2 goes to the agency's own e-mail address and to the city bureau's primary liaison.

    An agency without a primary liaison on the roster (a district bureau that Macau or Hengqin
    notifies, issue 25) gets level 0 at its officers, as verification requests do: a
    notification must reach someone who can acknowledge it."""
    if level == EscalationLevel.PRIMARY:
        return (liaison_users(agency, role=LiaisonRole.PRIMARY) or _agency_officers(agency)), []
    if level == EscalationLevel.BACKUP:
        return liaison_users(agency, role=LiaisonRole.BACKUP), []

    leaders = list(get_user_model().objects.filter(
        is_active=True, groups__name=Role.LEADERSHIP, staff__agency=agency).distinct())
    if leaders:
        return leaders, []
    city = Agency.objects.filter(code=conf.CITY_BUREAU_CODE).first()
    users = liaison_users(city, role=LiaisonRole.PRIMARY) if city else []
    return users, [agency.email] if agency.email else []


def _deliver(recipient: UrgentRecipient, level: int) -> list[UrgentDelivery]:
    notification = recipient.notification
    users, addresses = escalation_targets(recipient.agency, level)
    now = timezone.now()
    rows = []
    for user in users:
        rows.append(UrgentDelivery(recipient=recipient, user=user, channel=DeliveryChannel.INBOX,
                                   escalation_level=level, delivered_at=now))
        if user.email:
            rows.append(UrgentDelivery(recipient=recipient, user=user, address=user.email,
                                       channel=DeliveryChannel.EMAIL, escalation_level=level,
                                       delivered_at=now))
    for address in addresses:
        rows.append(UrgentDelivery(recipient=recipient, address=address,
                                   channel=DeliveryChannel.EMAIL, escalation_level=level,
                                   delivered_at=now))
    UrgentDelivery.objects.bulk_create(rows)
    title, body = _urgent_message(recipient, level, now)
    url = _urgent_url(notification)
    notify_users(recipients=users, title=title, body=body, url=url, kind="infosharing.urgent")
    if addresses:  # the agency's own mailbox: in the agency's language
        with translation.override(_in_language_of(recipient.agency)):
            title, body = str(title), str(body)
        transaction.on_commit(lambda: send_mail(title, f"{body}\n\n{url}",
                                                settings.DEFAULT_FROM_EMAIL, addresses,
                                                fail_silently=True))
    return rows


def _urgent_message(recipient: UrgentRecipient, level: int, now: datetime
                    ) -> tuple[Text, Text]:
    """What happened, where to act and how late; never who it is about nor the reporter's
    words. The message reaches the leadership and the agency's own mailbox, who may not see
    the person, and e-mail leaves the application: the record's page shows the rest to
    whoever may see it."""
    notification = recipient.notification
    values = {"number": notification.number, "kind": choice_label(notification, "kind"),
              "agency": recipient.agency, "reporter": notification.reporting_agency,
              "reported": notification.created_at, "due": recipient.ack_due_at}
    if level == EscalationLevel.PRIMARY:
        title = Text(gettext_lazy("Urgent notification %(number)s: %(kind)s"), **values)
        body = Text(gettext_lazy(
            "%(reporter)s reported an emergency (%(kind)s) to %(agency)s at %(reported)s. "
            "Acknowledge it by %(due)s on the notification's page."), **values)
        return title, body
    values["late"] = Since(recipient.ack_due_at, now)
    title = Text(gettext_lazy(
        "[Escalated] Urgent notification %(number)s not acknowledged: %(kind)s"), **values)
    body = Text(gettext_lazy(
        "%(agency)s has not acknowledged urgent notification %(number)s (%(kind)s, "
        "reported by %(reporter)s at %(reported)s). The acknowledgement was due at "
        "%(due)s, %(late)s ago. Open the notification's page to acknowledge it or to see "
        "who has been told."), **values)
    return title, body


def _schedule_escalation_check(recipient_id: int, seconds: float) -> None:
    enqueue_after_commit("infosharing.urgent_escalate", recipient_id,
                         countdown=max(0.0, seconds))


@refusals_audited
@transaction.atomic
def urgent_notification_send(*, actor, person, kind: str, occurred_at: datetime,
                             description: str, agencies: Iterable[Agency],
                             case=None) -> UrgentNotification:
    """Report an emergency to ``agencies``: delivered at once to each one's primary liaison
    (inbox and e-mail); each agency must acknowledge within the configured time."""
    guard_not_merged(person)
    agency = _agency_of(actor)
    agencies = list(dict.fromkeys(agencies))
    if not agencies:
        raise ApplicationError(_("Choose at least one agency to notify."), code="no_recipients",
                               field="agencies")
    notification = UrgentNotification(
        person=person, case=case, kind=kind, occurred_at=occurred_at,
        description=description.strip(), reporting_agency=agency,
        district=(case.district if case else "") or person.district or agency.district,
        reported_by=actor)
    full_clean_or_refuse(notification)
    notification.save()
    ack_seconds = conf.urgent_ack_seconds()
    now = timezone.now()
    due = now + timedelta(seconds=ack_seconds)
    UrgentRecipient.objects.bulk_create([
        UrgentRecipient(notification=notification, agency=target, ack_due_at=due,
                        next_escalation_at=due) for target in agencies])
    audit_record(actor=actor, action="urgentnotification.create", obj=notification,
                 summary=_("disclosure of an emergency concerning a person"),
                 changes={"kind": kind, "agencies": ",".join(a.code for a in agencies)})
    for recipient in UrgentRecipient.objects.filter(notification=notification).select_related(
            "agency", "notification__reporting_agency"):
        deliveries = _deliver(recipient, EscalationLevel.PRIMARY)
        audit_record(actor=actor, action="urgentnotification.deliver", obj=notification,
                     changes={"agency": recipient.agency.code, "level": 0,
                              "deliveries": len(deliveries)})
        _schedule_escalation_check(recipient.pk, ack_seconds)
    return notification


@refusals_audited
@transaction.atomic
def urgent_acknowledge(*, actor, recipient: UrgentRecipient) -> UrgentRecipient:
    """The recipient agency acknowledges (any of its users, or anyone it was escalated to)."""
    recipient = UrgentRecipient.objects.select_for_update().select_related("agency").get(
        pk=recipient.pk)
    delivered_to_actor = UrgentDelivery.objects.filter(recipient=recipient, user=actor).exists()
    if user_agency(actor) != recipient.agency and not delivered_to_actor:
        raise ApplicationError(_("Only the notified agency can acknowledge."), code="not_recipient",
                               status=403)
    if recipient.is_acknowledged:
        raise ApplicationError(_("This notification was already acknowledged."),
                               code="already_acknowledged", status=409)
    recipient.acknowledged_at = timezone.now()
    recipient.acknowledged_by = actor
    recipient.next_escalation_at = None
    recipient.save(update_fields=["acknowledged_at", "acknowledged_by", "next_escalation_at"])
    audit_record(actor=actor, action="urgentnotification.acknowledge", obj=recipient.notification,
                 changes={"agency": recipient.agency.code, "level": recipient.escalation_level,
                          "in_time": recipient.acknowledged_in_time})
    notify_users(recipients=[recipient.notification.reported_by],
            title=Text(gettext_lazy("%(agency)s acknowledged the urgent notification"),
                       agency=recipient.agency),
            body="", url=_urgent_url(recipient.notification), kind="infosharing.urgent",
            email=False)
    return recipient


@refusals_audited
@transaction.atomic
def urgent_recipient_escalate(*, recipient_id: int, now: datetime | None = None) -> bool:
    """Escalate one level if the acknowledgement is overdue. Safe to run twice: the second
    run finds the next deadline in the future and does nothing."""
    now = now or timezone.now()
    recipient = (UrgentRecipient.objects.select_for_update()
                 .filter(pk=recipient_id).first())
    if recipient is None or recipient.is_acknowledged:
        return False
    if recipient.escalation_level >= EscalationLevel.LEADERSHIP:
        return False
    if recipient.next_escalation_at is None or recipient.next_escalation_at > now:
        return False
    recipient = UrgentRecipient.objects.select_related(
        "agency", "notification__reporting_agency").get(pk=recipient_id)
    level = recipient.escalation_level + 1
    recipient.escalation_level = level
    fields = ["escalation_level", "next_escalation_at"]
    if level == EscalationLevel.BACKUP:
        recipient.escalated_to_backup_at = now
        fields.append("escalated_to_backup_at")
    else:
        recipient.escalated_to_leadership_at = now
        fields.append("escalated_to_leadership_at")
    ack_seconds = conf.urgent_ack_seconds()
    recipient.next_escalation_at = (now + timedelta(seconds=ack_seconds)
                                    if level < EscalationLevel.LEADERSHIP else None)
    recipient.save(update_fields=fields)
    deliveries = _deliver(recipient, level)
    audit_record(actor=None, username="system", action="urgentnotification.escalate",
                 obj=recipient.notification,
                 changes={"agency": recipient.agency.code, "level": level,
                          "deliveries": len(deliveries)})
    if recipient.next_escalation_at is not None:
        _schedule_escalation_check(recipient.pk, ack_seconds)
    return True


def urgent_escalate_due(*, now: datetime | None = None) -> int:
    """Beat's sweep: escalate every recipient whose acknowledgement is overdue."""
    now = now or timezone.now()
    due = list(UrgentRecipient.objects.filter(
        acknowledged_at__isnull=True, next_escalation_at__lte=now,
        escalation_level__lt=EscalationLevel.LEADERSHIP).values_list("pk", flat=True))
    return sum(1 for pk in due if urgent_recipient_escalate(recipient_id=pk, now=now))


# ------------------------------------------------------------------------------ bulletins
# The two-way bulletin (issue 25): one per period, a section per side, each written by that
# side before its deadline (counted on its own working-day calendar), published when all are in
# or when the deadline has passed, acknowledged by each recipient agency.

BULLETIN_AGENCY_KINDS = (AgencyKind.CITY_BUREAU, AgencyKind.DISTRICT_BUREAU, AgencyKind.IAS,
                         AgencyKind.COOPERATION_ZONE)


def previous_month(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def bulletin_recipient_agencies():
    return Agency.objects.filter(is_active=True, kind__in=BULLETIN_AGENCY_KINDS).order_by("code")


def _bulletin_url(bulletin: Bulletin) -> str:
    return reverse("infosharing:bulletin_detail", args=[bulletin.pk])


def _bulletin_period(bulletin: Bulletin) -> dict:
    return {"start": date_display(bulletin.period_start),
            "end": date_display(bulletin.period_end)}


def _agency_readers(agency: Agency) -> list:
    """Who is told about a bulletin for ``agency``: its liaisons, else its officers."""
    users = (liaison_users(agency, role=LiaisonRole.PRIMARY)
             + liaison_users(agency, role=LiaisonRole.BACKUP))
    writer_roles = [role for role in (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)]
    users = [user for user in users if has_role(user, *writer_roles)
             and getattr(user_agency(user), "pk", None) == agency.pk]
    return list(dict.fromkeys(users)) or _agency_officers(agency)


def _section_writers(section: BulletinSection) -> list:
    role = BULLETIN_WRITER_ROLES[section.side]
    return [user for user in _agency_officers(section.agency) if has_role(user, role)]


@refusals_audited
@transaction.atomic
def bulletin_open(*, period_start: date, period_end: date, opened_on: date | None = None
                  ) -> tuple[Bulletin, bool]:
    """The two-way bulletin of the period, opened for the sides' sections; once per period (a
    second run returns the first). Each section is due ``bulletin_section_working_days``
    working days of its own side after the opening; the bulletin's deadline is the latest."""
    if period_end < period_start:
        raise ApplicationError(_("The period must not end before it starts."),
                               code="period_order", field="period_end")
    existing = Bulletin.objects.filter(agency__isnull=True, period_start=period_start).first()
    if existing is not None:
        return existing, False
    opened_on = opened_on or timezone.localdate()
    days = conf.bulletin_section_working_days()
    sections = []
    for side in BULLETIN_SIDES:
        agency = bulletin_contributing_agency(side)
        if agency is not None:
            sections.append(BulletinSection(side=side, agency=agency,
                                            due_date=add_working_days(opened_on, days, side)))
    bulletin = Bulletin(period_start=period_start, period_end=period_end,
                        status=BulletinStatus.OPEN,
                        deadline=max((section.due_date for section in sections),
                                     default=add_working_days(opened_on, days, Side.ZHUHAI)))
    bulletin.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            bulletin.save()
    except IntegrityError:  # opened concurrently by another worker
        return Bulletin.objects.get(agency__isnull=True, period_start=period_start), False
    for section in sections:
        section.bulletin = bulletin
    BulletinSection.objects.bulk_create(sections)
    audit_record(actor=None, username="system", action="bulletin.open", obj=bulletin,
                 changes={"period_start": str(period_start), "period_end": str(period_end),
                          "deadline": str(bulletin.deadline),
                          "sides": ",".join(section.side for section in sections)})
    for section in sections:
        notify_users(recipients=_section_writers(section),
                title=Text(gettext_lazy("Regular bulletin %(start)s – %(end)s: your section is "
                                        "due by %(due)s"), start=bulletin.period_start,
                           end=bulletin.period_end, due=section.due_date),
                body=gettext_lazy("Write your side's section of the bulletin on its page."),
                url=_bulletin_url(bulletin), kind="infosharing.bulletin")
    return bulletin, True


def bulletins_produce(*, period_start: date | None = None, period_end: date | None = None) -> int:
    """Open the bulletin of the period (the previous month by default). Returns 1 when it was
    opened now, 0 when it already was."""
    if period_start is None or period_end is None:
        period_start, period_end = previous_month()
    _bulletin, was_created = bulletin_open(period_start=period_start, period_end=period_end)
    return int(was_created)


def _locked_bulletin(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().order_by().get(pk=bulletin.pk)


@refusals_audited
@transaction.atomic
def bulletin_section_save(*, actor, bulletin: Bulletin, side: str, common_concern: str,
                          submit: bool = True) -> BulletinSection:
    """Write ``side``'s section: its counts, computed now from the side's own records, and the
    cases of common concern. ``submit`` hands it in (the section is "in"); otherwise it stays a
    draft only its side sees. The last section handed in publishes the bulletin."""
    writer_side = bulletin_writer_side(actor)
    if writer_side is None or writer_side != side:
        raise ApplicationError(_("You may write only your own side's section of a bulletin."),
                               code="not_your_section", status=403)
    bulletin = _locked_bulletin(bulletin)
    if not bulletin.can_contribute():
        raise ApplicationError(_("This bulletin is already published: its sections can no "
                                 "longer change."), code="bulletin_published", status=409)
    section = BulletinSection.objects.select_for_update().filter(bulletin=bulletin,
                                                                 side=side).first()
    if section is None:
        raise ApplicationError(_("This bulletin has no section for your side."),
                               code="no_section", status=403)
    section.common_concern = (common_concern or "").strip()
    with translation.override(_in_language_of(section.agency)):
        section.content = side_figures(side=side, start=bulletin.period_start,
                                       end=bulletin.period_end)
    now = timezone.now()
    section.submitted_at = now if submit else None
    section.submitted_by = actor if submit else None
    try:
        section.full_clean(exclude=["bulletin", "agency", "submitted_by"])
    except ValidationError as error:
        messages = error.message_dict.get("common_concern") or error.messages
        raise ApplicationError(messages[0], code="invalid", field="common_concern") from None
    section.save(update_fields=["common_concern", "content", "submitted_at", "submitted_by"])
    audit_record(actor=actor, action="bulletin.contribute", obj=bulletin,
                 changes={"side": side, "submitted": bool(submit),
                          "common_concern_length": len(section.common_concern)})
    if submit and not BulletinSection.objects.filter(bulletin=bulletin,
                                                     submitted_at__isnull=True).exists():
        _bulletin_publish(bulletin, actor=actor, reason="complete")
    return section


def _bulletin_publish(bulletin: Bulletin, *, actor, reason: str) -> Bulletin:
    """Publish the locked ``bulletin``: the missing sides named, one recipient row per
    recipient agency with its acknowledgement due on its own calendar, the recipients told."""
    now = timezone.now()
    today = timezone.localdate()
    sections = list(bulletin.sections.all())
    missing = [section.side for section in sections if not section.is_in]
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_at = now
    bulletin.published_by = actor
    bulletin.missing_sides = missing
    bulletin.save(update_fields=["status", "published_at", "published_by", "missing_sides"])
    days = conf.bulletin_ack_working_days()
    recipients = BulletinRecipient.objects.bulk_create([
        BulletinRecipient(bulletin=bulletin, agency=agency,
                          ack_due_date=add_working_days(today, days, agency))
        for agency in bulletin_recipient_agencies()], ignore_conflicts=True)
    audit_record(actor=actor, username="" if actor else "system", action="bulletin.publish",
                 obj=bulletin, summary=_("disclosure to the recipient agencies"),
                 changes={"reason": reason, "missing": ",".join(missing),
                          "recipients": len(recipients)})
    for recipient in BulletinRecipient.objects.filter(bulletin=bulletin).select_related("agency"):
        notify_users(recipients=_agency_readers(recipient.agency),
                title=Text(gettext_lazy("Regular bulletin %(start)s – %(end)s published"),
                           start=bulletin.period_start, end=bulletin.period_end),
                body=Text(gettext_lazy("Please acknowledge receipt by %(due)s."),
                          due=recipient.ack_due_date),
                url=_bulletin_url(bulletin), kind="infosharing.bulletin", email=False)
    enqueue_after_commit("infosharing.bulletin_email", bulletin.pk)
    return bulletin


@refusals_audited
@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin) -> Bulletin:
    """A Zhuhai city officer (the bulletin's coordinator) publishes the bulletin now; the
    sections not handed in are named on it as missing."""
    if not has_role(actor, Role.CITY) or bulletin_writer_side(actor) != Side.ZHUHAI:
        raise ApplicationError(_("Only a city bureau officer may publish a bulletin."),
                               code="not_coordinator", status=403)
    bulletin = _locked_bulletin(bulletin)
    if not bulletin.can_publish():
        raise ApplicationError(_("This bulletin is already published."),
                               code="bulletin_published", status=409)
    return _bulletin_publish(bulletin, actor=actor, reason="officer")


@transaction.atomic
def bulletin_publish_if_due(*, bulletin_id: int, today: date | None = None) -> bool:
    """Publish the bulletin if it is still open and its deadline has passed; safe to run
    twice."""
    today = today or timezone.localdate()
    bulletin = Bulletin.objects.select_for_update().order_by().filter(pk=bulletin_id).first()
    if bulletin is None or not bulletin.can_publish() or bulletin.deadline is None \
            or bulletin.deadline >= today:
        return False
    _bulletin_publish(bulletin, actor=None, reason="deadline")
    return True


def bulletins_publish_due(*, today: date | None = None) -> int:
    """Beat's sweep: publish every open bulletin whose deadline has passed."""
    today = today or timezone.localdate()
    due = list(Bulletin.objects.filter(status=BulletinStatus.OPEN, deadline__lt=today)
               .values_list("pk", flat=True))
    return sum(1 for pk in due if bulletin_publish_if_due(bulletin_id=pk, today=today))


@refusals_audited
@transaction.atomic
def bulletin_acknowledge(*, actor, bulletin: Bulletin) -> BulletinRecipient:
    """The actor's agency acknowledges receipt of the published bulletin; once."""
    agency = _agency_of(actor)
    if not has_role(actor, Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN):
        raise ApplicationError(_("Your role may not acknowledge bulletins."), code="role",
                               status=403)
    status = Bulletin.objects.filter(pk=bulletin.pk).values_list("status", flat=True).first()
    if status != BulletinStatus.PUBLISHED:
        raise ApplicationError(_("This bulletin is not published yet."),
                               code="bulletin_open", status=409)
    recipient = (BulletinRecipient.objects.select_for_update()
                 .filter(bulletin=bulletin, agency=agency).first())
    if recipient is None:
        raise ApplicationError(_("Your agency is not a recipient of this bulletin."),
                               code="not_recipient", status=403)
    if not recipient.can_acknowledge():
        raise ApplicationError(_("Your agency has already acknowledged this bulletin."),
                               code="already_acknowledged", status=409)
    recipient.acknowledged_at = timezone.now()
    recipient.acknowledged_by = actor
    recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action="bulletin.acknowledge", obj=bulletin,
                 changes={"agency": agency.code,
                          "overdue": bool(recipient.ack_due_date
                                          and recipient.ack_due_date < timezone.localdate())})
    return recipient


def bulletin_addresses(agency: Agency) -> tuple[list, list[str]]:
    """(liaison users, e-mail addresses): the agency's current liaisons, or its own address."""
    assignments = list(current_liaisons(agency))
    users = list(dict.fromkeys(a.user for a in assignments))
    addresses = list(dict.fromkeys(a.email or a.user.email for a in assignments
                                   if a.email or a.user.email))
    if not addresses and agency.email:
        addresses = [agency.email]
    return users, addresses


def bulletin_addresses_by_language(agency: Agency) -> dict[str, list[str]]:
    """The bulletin's e-mail addresses by the language their reader chose: a liaison's in the
    liaison's language setting, the agency's own mailbox (no liaison) in the agency's."""
    assignments = list(current_liaisons(agency))
    languages = user_languages({assignment.user for assignment in assignments})
    grouped: dict[str, list[str]] = {}
    for assignment in assignments:
        address = assignment.email or assignment.user.email
        if address and not any(address in group for group in grouped.values()):
            grouped.setdefault(languages[assignment.user.pk], []).append(address)
    if not grouped and agency.email:
        grouped[_in_language_of(agency)] = [agency.email]
    return grouped


@refusals_audited
@transaction.atomic
def bulletin_email(*, bulletin_id: int) -> bool:
    """E-mail the published bulletin's PDF to each recipient agency's liaisons, in the
    agency's language; once."""
    bulletin = Bulletin.objects.select_for_update().order_by().filter(pk=bulletin_id).first()
    if (bulletin is None or bulletin.emailed_at is not None
            or bulletin.status != BulletinStatus.PUBLISHED):
        return False
    sent_to = []
    for recipient in bulletin.recipients.select_related("agency"):
        # each reader's language: the e-mail, and the PDF's headings and labels
        for language, addresses in bulletin_addresses_by_language(recipient.agency).items():
            with translation.override(language):
                title = _("Regular bulletin %(start)s – %(end)s") % _bulletin_period(bulletin)
                body = _("The regular bulletin of the Zhuhai–Macau social-assistance pilot is "
                         "attached. Please acknowledge receipt on its page.")
                pdf = bulletin_pdf(bulletin)
            message = EmailMessage(title, f"{body}\n\n{_bulletin_url(bulletin)}",
                                   settings.DEFAULT_FROM_EMAIL, addresses)
            message.attach(f"bulletin-{bulletin.period_start:%Y-%m}.pdf", pdf, "application/pdf")
            message.send(fail_silently=False)
            sent_to += addresses
    bulletin.emailed_at = timezone.now()
    bulletin.emailed_to = ", ".join(dict.fromkeys(sent_to))
    bulletin.save(update_fields=["emailed_at", "emailed_to"])
    audit_record(actor=None, username="system", action="bulletin.email", obj=bulletin,
                 summary=_("disclosure to the agency's liaisons"),
                 changes={"recipients": len(sent_to)})
    return True


# --- Responsible officer ----------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def verification_request_assign(*, actor, request: VerificationRequest, officer,
                                by_handover: bool = False) -> VerificationRequest:
    """Make ``officer`` (of the holding agency) responsible for an open request: the holding
    agency's team lead reassigns; a hand-over (core.handover) checks its own rule and tells
    the new officer once."""
    request = _locked(request)
    guard_assignment(actor=actor, agency=Agency.objects.get(pk=request.holding_agency_id),
                     officer=officer, by_handover=by_handover)
    if not request.is_open_for_holder():
        raise _refuse_step(_("Only an open request can be reassigned."))
    record_assignment(
        actor=actor, record=request, field="responsible_officer", officer=officer,
        by_handover=by_handover, unchanged=_("The request is already assigned to that officer."),
        told=Text(gettext_lazy("Verification request %(number)s was assigned to you"),
                  number=request.number),
        url=_request_url(request), kind="infosharing.assigned")
    return request


@refusals_audited
@transaction.atomic
def verification_request_remind(*, actor, request: VerificationRequest) -> VerificationRequest:
    """The requester reminds the receiving side of an overdue request (at most once a day;
    the daily reminder counts too)."""
    request = _locked(request)
    _require_requester(actor, request)
    today = timezone.localdate()
    if not request.is_overdue(today):
        raise _refuse_step(_("Only an overdue request can be reminded."))
    if request.last_reminded_on == today:
        raise _refuse_step(_("This request was already reminded today."))
    request.last_reminded_on = today
    request.save(update_fields=["last_reminded_on"])
    receiving = Agency.objects.get(pk=request.receiving_agency_id)
    _notify_agency(receiving, request, body="", title=Text(
        gettext_lazy("Verification request %(number)s is overdue (due %(date)s)"),
        number=request.number, date=request.due_date))
    audit_record(actor=actor, action="verificationrequest.remind", obj=request,
                 changes={"due_date": str(request.due_date)})
    return request
