"""Writes to the register. Each service runs in a transaction, validates with full_clean()
and writes the audit trail."""
from __future__ import annotations

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuao.audit import audit_record
from zhuao.errors import ApplicationError
from zhuao.identity import mask, normalize_and_validate
from zhuao.visibility import user_agency

from .models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    IdentityDocument,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Person,
)


def person_find_by_document(*, document_type: str, number: str) -> Person | None:
    """The person already registered with this document, if any (numbers are canonical)."""
    canonical = normalize_and_validate(document_type, number)
    document = (IdentityDocument.objects.select_related("person")
                .filter(document_type=document_type, number=canonical).first())
    return document.person if document else None


@transaction.atomic
def person_register(*, actor, name_zh: str, sex: str, date_of_birth: date,
                    residence_status: str, document_type: str, document_number: str,
                    name_latin: str = "", phone: str = "", address: str = "",
                    district: str = "", owner_agency=None) -> Person:
    """Register a person with one identity document. An existing number raises
    ApplicationError(code="duplicate") whose ``existing`` attribute is that person."""
    canonical = normalize_and_validate(document_type, document_number)
    existing = person_find_by_document(document_type=document_type, number=canonical)
    if existing is not None:
        error = ApplicationError(_("A person with this document number is already registered."),
                                 code="duplicate", field="document_number", status=409)
        error.existing = existing
        raise error
    agency = owner_agency or user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    person = Person(name_zh=name_zh.strip(), name_latin=name_latin.strip(), sex=sex,
                    date_of_birth=date_of_birth, residence_status=residence_status,
                    phone=phone.strip(), address=address.strip(),
                    district=district or agency.district, owner_agency=agency, created_by=actor)
    person.full_clean()
    person.save()
    document = IdentityDocument(person=person, document_type=document_type, number=canonical)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # registered concurrently by someone else
        error = ApplicationError(_("A person with this document number is already registered."),
                                 code="duplicate", field="document_number", status=409)
        error.existing = person_find_by_document(document_type=document_type, number=canonical)
        raise error from None
    audit_record(actor=actor, action="person.create", obj=person,
                 changes={"document_type": document_type, "document_number": mask(canonical)})
    return person


@transaction.atomic
def case_open(*, actor, subject: Person, category: str, household=None, summary: str = "",
              risk_level: str = "low", district: str = "", owner_agency=None,
              assigned_officer=None) -> Case:
    """Open a case. Its number is ``ZH-<year>-<id, six digits>``: unique without a counter."""
    agency = owner_agency or user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    now = timezone.now()
    case = Case(number=f"tmp-{uuid.uuid4().hex[:16]}", subject=subject, household=household,
                owner_agency=agency, district=district or subject.district or agency.district,
                category=category, status=CaseStatus.OPEN, risk_level=risk_level,
                summary=summary, opened_at=now, assigned_officer=assigned_officer or actor)
    case.full_clean()
    case.save()
    case.number = f"ZH-{timezone.localdate(now).year}-{case.pk:06d}"
    case.save(update_fields=["number"])
    CaseEvent.objects.create(case=case, kind=CaseEventKind.OPENED, actor=actor)
    audit_record(actor=actor, action="case.create", obj=case,
                 changes={"number": case.number, "category": category})
    return case


def meeting_next_joint_conference(*, now=None) -> Meeting | None:
    """The next scheduled (future, not yet held) joint conference, if any."""
    now = now or timezone.now()
    return (Meeting.objects.filter(kind=MeetingKind.JOINT_CONFERENCE,
                                   status=MeetingStatus.SCHEDULED, starts_at__gt=now)
            .order_by("starts_at", "id").first())


def _next_position(meeting: Meeting | None) -> int:
    if meeting is None:
        return 0
    last = (AgendaItem.objects.filter(meeting=meeting).order_by("-position")
            .values_list("position", flat=True).first())
    return (last or 0) + 1


@transaction.atomic
def agenda_item_propose_key_case(*, actor, case: Case, title: str, reason: str,
                                 source: str = "") -> AgendaItem:
    """Mark ``case`` as a key case and put a key-case review (重点个案研判) on the agenda of the
    next scheduled joint conference; with none scheduled the item waits unassigned
    (``meeting=None``) in the secretariat's queue of pending key-case reviews.

    Proposing the same case again from the same ``source`` while its review is still pending
    or scheduled returns that item instead of a second one."""
    title = (title or "").strip()
    reason = (reason or "").strip()
    if not title:
        raise ApplicationError(_("Give the agenda item a title."), code="required", field="title")
    if not reason:
        raise ApplicationError(_("State why the case needs a key-case review."),
                               code="required", field="reason")
    case = Case.objects.select_for_update().get(pk=case.pk)
    existing = (AgendaItem.objects.filter(
        cases=case, kind=AgendaItemKind.KEY_CASE_REVIEW, source=source,
        status__in=[AgendaItemStatus.PENDING, AgendaItemStatus.SCHEDULED]).first())
    if existing is not None:
        return existing
    if not case.is_key_case:
        case.is_key_case = True
        case.save(update_fields=["is_key_case", "updated_at"])
    meeting = meeting_next_joint_conference()
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem(
        meeting=meeting, position=_next_position(meeting), kind=AgendaItemKind.KEY_CASE_REVIEW,
        title=title[:200], reason=reason, source=source[:120],
        status=AgendaItemStatus.SCHEDULED if meeting else AgendaItemStatus.PENDING,
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
        proposed_by_agency=user_agency(actor),
    )
    item.full_clean()
    item.save()
    item.cases.add(case)
    CaseEvent.objects.create(case=case, kind=CaseEventKind.OTHER, actor=item.proposed_by,
                             text=_("Proposed for key-case review: %(title)s") % {"title": item.title})
    audit_record(actor=actor, action="agendaitem.propose_key_case", obj=item,
                 changes={"case": case.number, "meeting": meeting.pk if meeting else None,
                          "source": source})
    return item
