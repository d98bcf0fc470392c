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

from .models import Case, CaseEvent, CaseEventKind, CaseStatus, IdentityDocument, Person


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
