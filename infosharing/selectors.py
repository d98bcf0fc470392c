"""Reads of the information-sharing workstream, and the one place that decides who sees what.

A verification request is NOT seen through the case's shares: the receiving agency sees the
request itself, the identifying data of the person to check and the authorization scan, never
the case. Leadership, finance and NGO roles see none of these records (aggregates only)."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import audit_record
from core.db import attach_rows
from core.models import Agency, agency_name_fields
from core.roles import Role, has_role
from core.visibility import fetch_or_404, scope, user_agency

from . import conf
from .models import (
    AWAITING_ANSWER,
    PENDING,
    Authorization,
    Bulletin,
    BulletinRecipient,
    BulletinSection,
    BulletinStatus,
    RequestDirection,
    RequestStatus,
    UrgentDelivery,
    UrgentNotification,
    UrgentRecipient,
    VerificationRequest,
)
from .permissions import BULLETIN_WRITER_ROLES, CITYWIDE_ROLES, WORKING_ROLES


def authorization_visible_to(user) -> QuerySet[Authorization]:
    """The agency that holds it, the district's officers, city officers. An authorization a
    Macau or Hengqin liaison holds (for a person its agency registered) is that agency's
    alone: the side it asks sees the signed form through the request only."""
    queryset = Authorization.objects.select_related("person", "owner_agency", "received_by")
    if not has_role(user, *WORKING_ROLES):
        return queryset.none()
    return scope(queryset, user, citywide_roles=CITYWIDE_ROLES, owner_field="owner_agency",
                 district_field="district", own_side_only=True)


def authorizations_for_api(user) -> QuerySet[Authorization]:
    """The person and agency are shown as ids, so they are not joined."""
    return authorization_visible_to(user).select_related(None)


def get_authorization_for(user, pk, *, action: str = "view") -> Authorization:
    return fetch_or_404(authorization_visible_to(user), pk, user=user, action=action)


def authorizations_expiring(user, *, within_days: int | None = None) -> QuerySet[Authorization]:
    today = timezone.localdate()
    within_days = conf.authorization_expiry_warning_days() if within_days is None else within_days
    return authorization_visible_to(user).filter(
        revoked_at__isnull=True, valid_until__gte=today,
        valid_until__lte=today + timedelta(days=within_days)).order_by("valid_until", "id")


def usable_authorizations(user, person) -> QuerySet[Authorization]:
    """Unrevoked, unexpired authorizations of ``person`` visible to ``user``."""
    today = timezone.localdate()
    return authorization_visible_to(user).filter(person=person, revoked_at__isnull=True,
                                                 valid_until__gte=today)


def verification_request_visible_to(user) -> QuerySet[VerificationRequest]:
    """The requesting agency (district officers: their district), city officers, and the
    receiving agency once the request was sent."""
    queryset = VerificationRequest.objects.select_related(
        "person", "requesting_agency", "receiving_agency", "case")
    if not has_role(user, *WORKING_ROLES):
        return queryset.none()
    agency = user_agency(user)
    extra = (Q(receiving_agency=agency) & ~Q(status=RequestStatus.DRAFT)) if agency else None
    return scope(queryset, user, citywide_roles=CITYWIDE_ROLES, owner_field="requesting_agency",
                 district_field="district", extra=extra)


def verification_requests_for_api_list(user) -> QuerySet[VerificationRequest]:
    """A list shows the person as an id: fewer joins to plan."""
    return (verification_request_visible_to(user).select_related(None)
            .select_related("requesting_agency", "receiving_agency"))


def get_verification_request_for(user, pk, *, action: str = "view") -> VerificationRequest:
    return fetch_or_404(verification_request_visible_to(user), pk, user=user, action=action)


def is_requester(user, request: VerificationRequest) -> bool:
    return user_agency(user) == request.requesting_agency


def is_receiver(user, request: VerificationRequest) -> bool:
    return user_agency(user) == request.receiving_agency


def verification_findings_for(user, request: VerificationRequest, *, channel: str = "web"):
    """The findings of a visible request; every call is an audited view of them."""
    if not request.has_findings:
        return [], []
    findings = list(request.findings.select_related("recorded_by").order_by("category"))
    attachments = list(request.attachments.all())
    audit_record(actor=user, action="verificationfinding.view", obj=request,
                 summary=gettext("view of cross-border findings"),
                 changes={"findings": len(findings), "channel": channel})
    return findings, attachments


def verification_requests_overdue(user) -> QuerySet[VerificationRequest]:
    return verification_request_visible_to(user).filter(
        status__in=AWAITING_ANSWER, due_date__lt=timezone.localdate()).order_by("due_date", "id")


def verification_requests_overdue_count() -> int:
    """Across every agency, for monitoring (``core.metrics``): a count, no record."""
    return VerificationRequest.objects.filter(
        status__in=AWAITING_ANSWER, due_date__lt=timezone.localdate()).count()


def verification_requests_to_route(user) -> QuerySet[VerificationRequest]:
    """Inbound requests waiting at the user's bureau for a city officer to name the district
    that answers (none for other roles)."""
    agency = user_agency(user)
    if agency is None or not has_role(user, Role.CITY):
        return VerificationRequest.objects.none()
    return verification_request_visible_to(user).filter(
        direction=RequestDirection.INBOUND, status=RequestStatus.SENT, routed_at__isnull=True,
        receiving_agency=agency).order_by("due_date", "id")


def may_route(user, request: VerificationRequest) -> bool:
    return (has_role(user, Role.CITY) and request.can_route()
            and user_agency(user) == request.receiving_agency)


def verification_requests_waiting_for(user) -> QuerySet[VerificationRequest]:
    """Requests the user's agency must acknowledge or answer."""
    agency = user_agency(user)
    if agency is None:
        return VerificationRequest.objects.none()
    return verification_request_visible_to(user).filter(
        receiving_agency=agency, status__in=AWAITING_ANSWER).order_by("due_date", "id")




def bulletin_writer_side(user) -> str | None:
    """The side whose bulletin section ``user`` writes (its city officers for Zhuhai, the
    liaisons of the Macau and Hengqin agencies), or None."""
    agency = user_agency(user)
    if agency is None:
        return None
    role = BULLETIN_WRITER_ROLES.get(agency.side)
    return agency.side if role is not None and has_role(user, role) else None


def bulletin_visible_to(user) -> QuerySet[Bulletin]:
    """A published bulletin: its recipient agencies' working roles and city officers. An open
    one: the sides that write it (each sees its own section only, see
    ``bulletin_sections_for``). Leadership, finance, NGO and bank roles see none."""
    queryset = Bulletin.objects.select_related("agency")
    agency = user_agency(user)
    if agency is None or not has_role(user, *WORKING_ROLES):
        return queryset.none()
    if has_role(user, *CITYWIDE_ROLES):
        return queryset
    received = Exists(BulletinRecipient.objects.filter(bulletin=OuterRef("pk"), agency=agency))
    visible = Q(status=BulletinStatus.PUBLISHED) & received
    if bulletin_writer_side(user) is not None:
        visible |= Q(status=BulletinStatus.OPEN, agency__isnull=True)
    return queryset.filter(visible)


def bulletins_listed_for(user) -> QuerySet[Bulletin]:
    """The visible bulletins as lists show them (page and API): without the addresses they
    were e-mailed to; the sections only a bulletin's own page reads."""
    return bulletin_visible_to(user).defer("emailed_to")


def get_bulletin_for(user, pk, *, action: str = "view") -> Bulletin:
    return fetch_or_404(bulletin_visible_to(user), pk, user=user, action=action)


def bulletin_sections_for(user, bulletin: Bulletin) -> list[BulletinSection]:
    """Every section of a published bulletin; of an open one, the sections' state for all who
    see it, but the content of the user's own side only (``shows_content``)."""
    sections = list(bulletin.sections.select_related("agency", "submitted_by")
                    .order_by("id"))
    own_side = bulletin_writer_side(user)
    for section in sections:
        section.shows_content = (not bulletin.is_open) or section.side == own_side
    return sections


def bulletin_recipients_for(user, bulletin: Bulletin) -> list[BulletinRecipient]:
    """The recipients of a bulletin with their acknowledgements: all of them for a city
    officer, the user's own agency otherwise."""
    recipients = bulletin.recipients.select_related("agency", "acknowledged_by")
    if not has_role(user, *CITYWIDE_ROLES):
        recipients = recipients.filter(agency=user_agency(user))
    return list(recipients.order_by("agency__code"))


def bulletin_recipient_for(user, bulletin: Bulletin) -> BulletinRecipient | None:
    """The user's agency's recipient row, when it may still acknowledge."""
    agency = user_agency(user)
    if agency is None or not has_role(user, *WORKING_ROLES) or bulletin.is_open:
        return None
    return bulletin.recipients.filter(agency=agency).first()


def bulletin_acknowledgements_overdue(user, *, today=None) -> QuerySet[BulletinRecipient]:
    """Acknowledgements past their due date, for the bulletins the user sees."""
    today = today or timezone.localdate()
    recipients = BulletinRecipient.objects.filter(
        bulletin__in=bulletin_visible_to(user).values("pk"), acknowledged_at__isnull=True,
        ack_due_date__lt=today).select_related("agency", "bulletin").defer("bulletin__emailed_to")
    if not has_role(user, *CITYWIDE_ROLES):
        recipients = recipients.filter(agency=user_agency(user))
    return recipients.order_by("ack_due_date", "id")


def urgent_notification_visible_to(user) -> QuerySet[UrgentNotification]:
    """The reporting agency (and its district's officers), city officers, the notified
    agencies, and anyone it was delivered to by escalation."""
    queryset = UrgentNotification.objects.select_related("person", "reporting_agency",
                                                         "reported_by")
    agency = user_agency(user)
    if agency is None:
        return queryset.none()
    delivered = UrgentDelivery.objects.filter(user=user).values("recipient__notification_id")
    if not has_role(user, *WORKING_ROLES):
        return queryset.filter(pk__in=delivered)
    notified = UrgentRecipient.objects.filter(agency=agency).values("notification_id")
    return scope(queryset, user, citywide_roles=CITYWIDE_ROLES, owner_field="reporting_agency",
                 district_field="district", extra_ids=(notified, delivered))


def urgent_notifications_for_list(user) -> QuerySet[UrgentNotification]:
    """The list page's rows: the person's name, the reporting agency's name and each
    recipient's acknowledgement."""
    recipients = (UrgentRecipient.objects.select_related("agency")
                  .only("notification_id", "acknowledged_at", "escalation_level", "agency__code"))
    return (urgent_notification_visible_to(user)
            .select_related(None).select_related("person", "reporting_agency")
            .only("pk", "created_at", "kind", "person__name_zh",
                  *agency_name_fields("reporting_agency"))
            .prefetch_related(Prefetch("recipients", recipients)))


def urgent_notifications_for_api(user, *, fields) -> QuerySet[UrgentNotification]:
    """``fields`` of each notification and its reporting agency's code."""
    return (urgent_notification_visible_to(user).select_related(None)
            .select_related("reporting_agency").only(*fields, "reporting_agency__code"))


def attach_urgent_recipients(notifications: list, *, fields) -> list:
    """Each notification's recipients as plain rows (``fields`` and ``agency``, the Agency),
    in two queries for a page: building a model instance for each and Django's prefetch cost
    more than the reading. By agency, as the model orders a notification's recipients (its
    ordering names the notification first, which would join the notifications to sort)."""
    attach_rows(notifications, UrgentRecipient.objects.order_by("agency__code"),
                foreign_key="notification_id", to_attr="listed_recipients",
                fields=[*fields, "agency_id"])
    rows = [row for notification in notifications for row in notification.listed_recipients]
    agencies = Agency.objects.only("code").in_bulk({row["agency_id"] for row in rows})
    for row in rows:
        row["agency"] = agencies[row.pop("agency_id")]
    return notifications


def get_urgent_notification_for(user, pk, *, action: str = "view") -> UrgentNotification:
    return fetch_or_404(urgent_notification_visible_to(user), pk, user=user, action=action)


def urgent_notification_shows_person(user) -> bool:
    """Whether ``user`` may read who an urgent notification is about and what happened.

    Escalation delivers a notification to the agency's leadership, whose role sees aggregates
    only: they see the reference, the kind, when, who reported it and who has not yet
    acknowledged it (what they need to act), never the person or the free text. The page and
    the API both ask this, so the same user gets the same answer from either."""
    return has_role(user, *WORKING_ROLES)


def urgent_recipients_to_acknowledge(user) -> QuerySet[UrgentRecipient]:
    """Unacknowledged notifications addressed to the user's agency or delivered to the user.
    A role that does not work with these records (leadership) has only what was delivered to
    it by escalation: the agency's other notifications are not its to see."""
    agency = user_agency(user)
    if agency is None:
        return UrgentRecipient.objects.none()
    delivered = UrgentDelivery.objects.filter(user=user).values("recipient_id")
    addressed = Q(pk__in=delivered)
    if has_role(user, *WORKING_ROLES):
        addressed |= Q(agency=agency)
    return (UrgentRecipient.objects.filter(acknowledged_at__isnull=True)
            .filter(addressed)
            .select_related("notification__person", "agency").order_by("ack_due_at"))


def acknowledgeable_recipient(user, notification: UrgentNotification) -> UrgentRecipient | None:
    return urgent_recipients_to_acknowledge(user).filter(notification=notification).first()


# --- One person's records (the 360° person page), each through its visibility door -----------

def authorizations_of_person(user, person) -> QuerySet[Authorization]:
    return authorization_visible_to(user).filter(person=person).order_by("-valid_from", "-id")


def verification_requests_of_person(user, person) -> QuerySet[VerificationRequest]:
    """The person's requests as far as the user sees them; never their findings (those are
    read, audited, on the request's page only)."""
    return verification_request_visible_to(user).filter(person=person).order_by(
        "-created_at", "-id")


def urgent_notifications_of_person(user, person) -> QuerySet[UrgentNotification]:
    return urgent_notification_visible_to(user).filter(person=person).order_by(
        "-created_at", "-id")


# --- What the check pages show before an irreversible step ------------------------------------

#: The side a verification request about a person asks by default: where they live.
_RESIDENCE_SIDES = {"macau_resident": "macau", "hengqin_resident": "hengqin"}


def side_of_residence(person) -> str | None:
    """The side to ask about ``person`` (their residence), or None when it is not one the
    requester may ask (a Zhuhai household, other)."""
    return _RESIDENCE_SIDES.get(person.residence_status)


def requests_withdrawn_by_revoking(user, authorization) -> QuerySet[VerificationRequest]:
    """The pending requests (as far as ``user`` sees them) that revoking ``authorization``
    withdraws: the same states as ``services.authorization_revoke`` withdraws."""
    return verification_request_visible_to(user).filter(
        authorization=authorization, status__in=PENDING).order_by("created_at", "id")


def bulletin_contributing_agency(side: str) -> Agency | None:
    """The agency that writes ``side``'s section: the one that answers for that side."""
    code = conf.RECEIVING_AGENCY_CODES.get(side)
    return Agency.objects.filter(code=code, is_active=True).first() if code else None
