"""Writes to the register. Each service runs in a transaction, validates with full_clean()
and writes the audit trail."""
from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.assignment import guard_assignment, record_assignment, user_label
from core.audit import audit_record, refusals_audited
from core.errors import ApplicationError, full_clean_or_refuse
from core.files import safe_filename, validate_upload
from core.identity import birth_date_from, mask, normalize_and_validate
from core.messages import Text
from core.models import Agency, AgencyKind, Side, SpreadsheetImportKind
from core.money import parse_amount
from core.notifications import REASON_ON_PAGE, current_liaisons, notify_users, role_users
from core.reveal import check_rate, check_reason, reason_text
from core.roles import LIAISON_ROLES, Role, has_role
from core.visibility import (
    agencies_shared_with,
    share_with_agency,
    unshare_with_agency,
    user_agency,
)
from infosharing.models import AskableSide, Authorization
from web import imports

from . import people_import
from .duplicates import find_matches, matches_for_person, remember_matches
from .models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Household,
    HouseholdMember,
    IdentityDocument,
    IncomeItem,
    NameWord,
    Person,
    Relationship,
    ResidenceStatus,
)
from .names import apply_keys, key_words, keys_remembered
from .permissions import PERSON_IMPORT_ROLES
from .selectors import (
    PERSON_RESIDENCE_BY_SIDE,
    identity_document_revealable_by,
    person_may_change,
    person_visible_to,
)


def name_words_record(*, people) -> None:
    """Add the romanised words of the people's name keys to the vocabulary typos are
    corrected against: one insert, words already there left as they are. Each distinct set
    of keys is split once: a million people share some tens of thousands of names."""
    words = set().union(*map(key_words, {person.name_keys for person in people}))
    if words:
        NameWord.objects.bulk_create([NameWord(word=word) for word in sorted(words)],
                                     ignore_conflicts=True)


def person_find_by_document(*, document_type: str, number: str) -> Person | None:
    """The person already registered with this document, if any (numbers are canonical)."""
    canonical = normalize_and_validate(document_type, number)
    document = (IdentityDocument.objects.select_related("person")
                .filter(document_type=document_type,
                        number_index=IdentityDocument.index_of(canonical)).first())
    return document.person if document else None


def _guard_liaison_registers_own_side(actor, agency, residence_status: str) -> None:
    """A Macau or Hengqin liaison registers its own side's residents, as its agency's records
    (never another agency's)."""
    if not has_role(actor, *LIAISON_ROLES):
        return
    own = user_agency(actor)
    if own is None or agency.pk != own.pk:
        raise ApplicationError(_("A liaison registers people as its own agency's records."),
                               code="not_owner", status=403)
    allowed = PERSON_RESIDENCE_BY_SIDE.get(own.side, ())
    if residence_status not in allowed:
        labels = dict(ResidenceStatus.choices)
        raise ApplicationError(
            _("Your agency registers its own side's residents: %(statuses)s.")
            % {"statuses": "、".join(str(labels[value]) for value in allowed)},
            code="other_side_resident", field="residence_status")


@refusals_audited
@transaction.atomic
def person_register(*, actor, name_zh: str, sex: str, date_of_birth: date,
                    residence_status: str, document_type: str, document_number: str,
                    name_latin: str = "", phone: str = "", address: str = "",
                    district: str = "", owner_agency=None, check_possible_duplicates: bool = False,
                    confirm_new_reason: str = "") -> Person:
    """Register a person with one identity document. An existing number raises
    ApplicationError(code="duplicate") whose ``existing`` attribute is that person.

    With ``check_possible_duplicates`` (an officer at the registration page or the API), people
    who probably are the same (cases.duplicates) raise ApplicationError(code=
    "possible_duplicate", status 409) whose ``matches`` are them, unless the officer gives
    ``confirm_new_reason``; the reason is audited. Code that registers in bulk (demo data, the
    roster import, which flags its rows) does not ask."""
    if not (name_zh or "").strip():
        raise ApplicationError(_("Enter the name in Chinese."), code="required", field="name_zh")
    if date_of_birth is None:
        raise ApplicationError(_("Enter the date of birth."), code="required",
                               field="date_of_birth")
    if date_of_birth > timezone.localdate():
        raise ApplicationError(_("The date of birth cannot be in the future."),
                               code="birth_date_future", field="date_of_birth")
    try:
        canonical = normalize_and_validate(document_type, document_number)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid",
                               field="document_number") from None
    encoded_birth = birth_date_from(document_type, canonical)
    if encoded_birth is not None and encoded_birth != date_of_birth:
        raise ApplicationError(_("The date of birth does not match the one in the document number."),
                               code="birth_date_mismatch", field="date_of_birth")
    existing = person_find_by_document(document_type=document_type, number=canonical)
    if existing is not None:
        error = ApplicationError(_("A person with this document number is already registered."),
                                 code="duplicate", field="document_number", status=409)
        error.existing = existing
        raise error
    agency = owner_agency or user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    _guard_liaison_registers_own_side(actor, agency, residence_status)
    confirm_new_reason = (confirm_new_reason or "").strip()
    if check_possible_duplicates and not confirm_new_reason:

        matches = find_matches(name_zh=name_zh, name_latin=name_latin,
                               date_of_birth=date_of_birth, sex=sex,
                               district=district or agency.district)
        # only people the officer may see are shown; an unseen possible match is not revealed
        visible = set(person_visible_to(actor).filter(
            pk__in=[match.person.pk for match in matches]).values_list("pk", flat=True))
        matches = [match for match in matches if match.person.pk in visible]
        if matches:
            error = ApplicationError(
                _("This person may already be registered. Open the existing record, or confirm "
                  "that this is a new person and say why."), code="possible_duplicate",
                status=409)
            error.matches = matches
            raise error
    person = Person(name_zh=name_zh.strip(), name_latin=name_latin.strip(), sex=sex,
                    date_of_birth=date_of_birth, residence_status=residence_status,
                    phone=phone.strip(), address=address.strip(),
                    district=district or agency.district, owner_agency=agency, created_by=actor)
    apply_keys(person)
    full_clean_or_refuse(person)
    person.save()
    name_words_record(people=[person])
    document = IdentityDocument(person=person, document_type=document_type, number=canonical)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # registered concurrently by someone else
        error = ApplicationError(_("A person with this document number is already registered."),
                                 code="duplicate", field="document_number", status=409)
        error.existing = person_find_by_document(document_type=document_type, number=canonical)
        raise error from None

    remember_matches(person, [match for match in matches_for_person(person, numbers=())
                              if not match.is_certain])
    changes = {"document_type": document_type, "document_number": mask(canonical)}
    if confirm_new_reason:
        changes["confirmed_new_reason"] = confirm_new_reason[:500]
    audit_record(actor=actor, action="person.create", obj=person, changes=changes)
    return person


def guard_not_merged(person: Person) -> None:
    """A person merged into another keeps no new records: they belong to the survivor."""
    if Person.objects.filter(pk=person.pk, merged_into__isnull=False).exists():
        raise ApplicationError(_("This person was merged into another record; use that one."),
                               code="person_merged", status=409)


@refusals_audited
@transaction.atomic
def case_open(*, actor, subject: Person, category: str, household=None, summary: str = "",
              risk_level: str = "low", district: str = "", owner_agency=None,
              assigned_officer=None) -> Case:
    """Open a case. Its number is ``ZH-<year>-<id, six digits>``: unique without a counter."""
    guard_not_merged(subject)
    agency = owner_agency or user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    now = timezone.now()
    case = Case(number=f"tmp-{uuid.uuid4().hex[:16]}", subject=subject, household=household,
                owner_agency=agency, district=district or subject.district or agency.district,
                category=category, status=CaseStatus.OPEN, risk_level=risk_level,
                summary=summary, opened_at=now, assigned_officer=assigned_officer or actor)
    full_clean_or_refuse(case)
    case.save()
    case.number = f"ZH-{timezone.localdate(now).year}-{case.pk:06d}"
    case.save(update_fields=["number"])
    CaseEvent.objects.create(case=case, kind=CaseEventKind.OPENED, actor=actor)
    audit_record(actor=actor, action="case.create", obj=case,
                 changes={"number": case.number, "category": category})
    return case


# --- People and households ----------------------------------------------------------------

PERSON_EDITABLE_FIELDS = ("name_zh", "name_latin", "sex", "date_of_birth", "residence_status",
                          "phone", "address", "district")


@refusals_audited
@transaction.atomic
def person_update(*, actor, person: Person, **data) -> Person:
    """Change a person's particulars (not their documents); audited with the changed fields."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    guard_not_merged(person)

    if not person_may_change(actor, person):
        raise ApplicationError(_("Only the agency that registered this person can change it."),
                               code="not_owner", status=403)
    if has_role(actor, *LIAISON_ROLES) and "residence_status" in data:
        _guard_liaison_registers_own_side(actor, person.owner_agency, data["residence_status"])
    changed = []
    for field, value in data.items():
        if field not in PERSON_EDITABLE_FIELDS:
            raise ValueError(f"person field {field!r} cannot be changed here")
        if isinstance(value, str):
            value = value.strip()
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if "date_of_birth" in changed and person.date_of_birth > timezone.localdate():
        raise ApplicationError(_("The date of birth cannot be in the future."),
                               code="birth_date_future", field="date_of_birth")
    if not changed:
        return person
    derived = apply_keys(person) if {"name_zh", "name_latin"} & set(changed) else []
    full_clean_or_refuse(person)
    person.save(update_fields=[*changed, *derived, "updated_at"])
    if derived:
        name_words_record(people=[person])
    audit_record(actor=actor, action="person.update", obj=person,
                 changes={field: str(getattr(person, field)) for field in changed
                          if field not in ("phone", "address")} | {
                     field: "changed" for field in changed if field in ("phone", "address")})
    return person


@refusals_audited
@transaction.atomic
def household_create(*, actor, head: Person, address: str = "", district: str = "",
                     living_situation: str = "") -> Household:
    """A household with ``head`` as its first member."""
    guard_not_merged(head)
    agency = user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    household = Household(head=head, address=(address or head.address).strip(),
                          district=district or head.district or agency.district,
                          living_situation=living_situation.strip(), owner_agency=agency)
    full_clean_or_refuse(household)
    household.save()
    HouseholdMember.objects.create(household=household, person=head,
                                   relationship=Relationship.HEAD)
    audit_record(actor=actor, action="household.create", obj=household,
                 changes={"head": head.pk, "district": household.district})
    return household


@refusals_audited
@transaction.atomic
def household_update(*, actor, household: Household, address: str, district: str,
                     living_situation: str) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.address = address.strip()
    household.district = district
    household.living_situation = living_situation.strip()
    full_clean_or_refuse(household)
    household.save(update_fields=["address", "district", "living_situation", "updated_at"])
    audit_record(actor=actor, action="household.update", obj=household,
                 changes={"district": district})
    return household


@refusals_audited
@transaction.atomic
def household_member_add(*, actor, household: Household, person: Person,
                         relationship: str) -> HouseholdMember:
    guard_not_merged(person)
    if relationship == Relationship.HEAD:
        raise ApplicationError(_("The household already has a head."), field="relationship")
    if HouseholdMember.objects.filter(household=household, person=person).exists():
        raise ApplicationError(_("This person is already a member of the household."),
                               code="duplicate", field="person")
    member = HouseholdMember(household=household, person=person, relationship=relationship)
    full_clean_or_refuse(member, exclude=["household", "person"])
    member.save()
    audit_record(actor=actor, action="household.member_add", obj=household,
                 changes={"person": person.pk, "relationship": relationship})
    return member


@refusals_audited
@transaction.atomic
def household_member_remove(*, actor, member: HouseholdMember) -> None:
    if member.relationship == Relationship.HEAD:
        raise ApplicationError(_("The head of the household cannot be removed."))
    household = member.household
    person_id = member.person_id
    member.delete()
    IncomeItem.objects.filter(household=household, member_id=person_id).update(member=None)
    audit_record(actor=actor, action="household.member_remove", obj=household,
                 changes={"person": person_id})


@refusals_audited
@transaction.atomic
def income_item_add(*, actor, household: Household, kind: str, monthly_amount,
                    currency: str, member: Person | None = None) -> IncomeItem:
    try:
        amount = parse_amount(monthly_amount, allow_zero=True)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid",
                               field="monthly_amount") from None
    except TypeError:
        raise ApplicationError(_("Enter the amount as a number, e.g. 1234.50."),
                               field="monthly_amount") from None
    if member is not None and not HouseholdMember.objects.filter(
            household=household, person=member).exists():
        raise ApplicationError(_("The earner must be a member of the household."), field="member")
    item = IncomeItem(household=household, member=member, kind=kind, monthly_amount=amount,
                      currency=currency)
    full_clean_or_refuse(item, exclude=["household"])
    item.save()
    audit_record(actor=actor, action="household.income_add", obj=household,
                 changes={"kind": kind, "currency": currency})
    return item


@refusals_audited
@transaction.atomic
def income_item_remove(*, actor, item: IncomeItem) -> None:
    household = item.household
    item.delete()
    audit_record(actor=actor, action="household.income_remove", obj=household)


# --- Cases ------------------------------------------------------------------------------------

#: Allowed status changes; reopening a closed case needs a reason.
CASE_TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.UNDER_REVIEW},
    CaseStatus.UNDER_REVIEW: {CaseStatus.CLOSED, CaseStatus.OPEN},
    CaseStatus.CLOSED: {CaseStatus.OPEN},
}


def case_allowed_statuses(case: Case) -> list[str]:
    return sorted(CASE_TRANSITIONS.get(case.status, set()), key=list(CaseStatus.values).index)


@refusals_audited
@transaction.atomic
def case_update(*, actor, case: Case, category: str, risk_level: str, summary: str,
                household: Household | None = None, assigned_officer=None) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError(_("A closed case cannot be changed; reopen it first."),
                               code="closed")
    if household is not None and not household.members.filter(person=case.subject_id).exists():
        raise ApplicationError(_("The subject person is not a member of that household."),
                               field="household")
    case.category, case.risk_level, case.summary = category, risk_level, summary.strip()
    case.household = household
    if assigned_officer is not None:
        case.assigned_officer = assigned_officer
    full_clean_or_refuse(case)
    fields = ["category", "risk_level", "summary", "household", "assigned_officer"]
    case.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, action="case.update", obj=case,
                 changes={"category": category, "risk_level": risk_level,
                          "household": household.pk if household else None})
    return case


@refusals_audited
@transaction.atomic
def case_assign(*, actor, case: Case, officer, by_handover: bool = False) -> Case:
    """Make ``officer`` the case's responsible officer. The agency's team lead reassigns; with
    ``by_handover`` the caller (core.handover) has checked the hand-over's own rule, and the
    new officer is told once for the whole hand-over rather than per case."""
    case = Case.objects.select_for_update().select_related("owner_agency").get(pk=case.pk)
    guard_assignment(actor=actor, agency=case.owner_agency, officer=officer,
                     by_handover=by_handover)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError(_("A closed case cannot be changed; reopen it first."),
                               code="closed")
    record_assignment(
        actor=actor, record=case, field="assigned_officer", officer=officer,
        by_handover=by_handover, unchanged=_("The case is already assigned to that officer."),
        told=Text(gettext_lazy("Case %(number)s was assigned to you"), number=case.number),
        url=reverse("cases:case_detail", args=[case.pk]), kind="cases.assigned")
    CaseEvent.objects.create(case=case, kind=CaseEventKind.OTHER, actor=actor,
                             text=_("Assigned to %(officer)s") % {"officer": user_label(officer)})
    return case


@refusals_audited
@transaction.atomic
def case_status_change(*, actor, case: Case, status: str, reason: str = "") -> Case:
    """open → under review → closed; closed → open (reopen) and under review → open need a
    reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = (reason or "").strip()
    if status not in CASE_TRANSITIONS.get(case.status, set()):
        raise ApplicationError(
            _("A case that is %(current)s cannot be set to %(new)s.") % {
                "current": case.get_status_display(),
                "new": CaseStatus(status).label if status in CaseStatus.values else status},
            code="invalid_transition", field="status")
    if status == CaseStatus.OPEN and not reason:
        raise ApplicationError(_("Give the reason for reopening the case."), code="required",
                               field="reason")
    previous = case.status
    case.status = status
    case.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
    case.save(update_fields=["status", "closed_at", "updated_at"])
    text = f"{CaseStatus(previous).label} → {CaseStatus(status).label}"
    if reason:
        text += f": {reason}"
    CaseEvent.objects.create(case=case, kind=CaseEventKind.STATUS, actor=actor, text=text)
    audit_record(actor=actor, action="case.reopen" if previous == CaseStatus.CLOSED
                 else "case.status", obj=case, summary=reason[:400],
                 changes={"from": previous, "to": status})
    return case


@refusals_audited
@transaction.atomic
def case_note_add(*, actor, case: Case, text: str) -> CaseEvent:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write the note first."), code="required", field="text")
    event = CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, actor=actor,
                                     text=text)
    audit_record(actor=actor, action="case.note", obj=case)
    return event


ATTACHMENT_KINDS = frozenset({"pdf", "jpeg", "png", "xlsx"})


@refusals_audited
@transaction.atomic
def case_attachment_add(*, actor, case: Case, file, description: str = "") -> CaseAttachment:
    """Store a checked upload on the case (PDF, JPEG, PNG or XLSX, within UPLOAD_MAX_BYTES)."""
    if file is None:
        raise ApplicationError(_("Choose a file to upload."), code="required", field="file")
    try:
        kind = validate_upload(file, kinds=set(ATTACHMENT_KINDS),
                               max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], code=error.code or "invalid",
                               field="file") from None
    original = safe_filename(getattr(file, "name", "") or "file")
    attachment = CaseAttachment(case=case, original_name=original[:200], kind=kind,
                                size=getattr(file, "size", 0) or 0,
                                description=description.strip()[:200], uploaded_by=actor)
    attachment.file.save(original, file, save=False)
    attachment.save()
    CaseEvent.objects.create(case=case, kind=CaseEventKind.ATTACHMENT, actor=actor,
                             text=attachment.original_name)
    audit_record(actor=actor, action="case.attachment_add", obj=case,
                 changes={"attachment": attachment.pk, "kind": kind})
    return attachment


def shareable_agencies():
    """The agencies a case may be shared with: Macau's IAS and the Cooperation Zone bureau."""
    return Agency.objects.filter(side__in=[Side.MACAU, Side.HENGQIN], is_active=True)


@refusals_audited
@transaction.atomic
def case_share(*, actor, case: Case, agency, reason: str) -> Case:
    """Share the case (read-only) with Macau or Hengqin; the reason is required and audited;
    the agency's liaisons are notified."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("State the reason for sharing."), code="required",
                               field="reason")
    if not shareable_agencies().filter(pk=agency.pk).exists():
        raise ApplicationError(_("Cases can be shared only with Macau or Hengqin."),
                               field="agency")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if agencies_shared_with(case).filter(pk=agency.pk).exists():
        raise ApplicationError(_("The case is already shared with this agency."),
                               code="already_shared", field="agency")
    share_with_agency(case, agency, actor=actor, reason=reason)
    CaseEvent.objects.create(case=case, kind=CaseEventKind.SHARED, actor=actor,
                             text=f"{agency.name}: {reason}")
    recipients = [assignment.user for assignment in current_liaisons(agency)]
    notify_users(recipients=recipients, kind="cases.share",
                 title=Text(gettext_lazy("Case %(number)s was shared with you"),
                            number=case.number),
                 body=REASON_ON_PAGE, url=reverse("cases:case_detail", args=[case.pk]))
    return case


@refusals_audited
@transaction.atomic
def case_unshare(*, actor, case: Case, agency, reason: str) -> Case:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("State the reason for withdrawing the share."),
                               code="required", field="reason")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not agencies_shared_with(case).filter(pk=agency.pk).exists():
        raise ApplicationError(_("The case is not shared with this agency."), field="agency")
    unshare_with_agency(case, agency, actor=actor, reason=reason)
    CaseEvent.objects.create(case=case, kind=CaseEventKind.UNSHARED, actor=actor,
                             text=f"{agency.name}: {reason}")
    return case


# --- Sharing a person with Zhuhai (inbound) ---------------------------------------------------

def person_share_targets(person: Person):
    """The Zhuhai agencies a Macau or Hengqin record may be shared with: the city bureau, and
    the district bureau of the person's Zhuhai address when there is one."""
    condition = Q(kind=AgencyKind.CITY_BUREAU)
    if person.district:
        condition |= Q(kind=AgencyKind.DISTRICT_BUREAU, district=person.district)
    return Agency.objects.filter(condition, side=Side.ZHUHAI, is_active=True).order_by("pk")


def person_share_consent(person: Person, *, on: date | None = None):
    """The consent gate of a share to Zhuhai: (authorization, None) when a signed authorization
    of the person, valid on ``on`` and unrevoked, allows Zhuhai to be asked; else
    (None, (code, message)) naming what fails, from the person's latest authorization."""
    on = on or timezone.localdate()
    authorizations = list(Authorization.objects.filter(person=person)
                          .order_by("-valid_until", "-id"))
    refusal = None
    for authorization in authorizations:
        refusal_here = authorization.refusal(categories=(), side=AskableSide.ZHUHAI, on=on)
        if refusal_here is None:
            return authorization, None
        refusal = refusal or refusal_here
    if refusal is None:
        refusal = ("no_authorization",
                   _("No signed authorization of this person is on file; record one that "
                     "allows Zhuhai before sharing."))
    return None, refusal


def _guard_person_sharer(actor, person: Person) -> None:
    """Only the Macau or Hengqin agency that registered the person shares it."""
    own = user_agency(actor)
    if (not has_role(actor, *LIAISON_ROLES) or own is None
            or person.owner_agency_id != own.pk):
        raise ApplicationError(_("Only the agency that registered this person can share it."),
                               code="not_owner", status=403)


@refusals_audited
@transaction.atomic
def person_share(*, actor, person: Person, agency, reason: str) -> Person:
    """A Macau or Hengqin liaison shares a person its agency registered (read-only) with
    Zhuhai: the city bureau or the district bureau of the person's address. As with a case
    Zhuhai shares, the reason is required and audited and the receiving agency is told; and
    as with a verification request, the person's signed authorization must allow Zhuhai."""
    _guard_person_sharer(actor, person)
    guard_not_merged(person)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("State the reason for sharing."), code="required",
                               field="reason")
    if agency is None or not person_share_targets(person).filter(pk=agency.pk).exists():
        raise ApplicationError(_("A person is shared with the Zhuhai city bureau or the district "
                                 "bureau of the person's address."), code="not_target",
                               field="agency")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if agencies_shared_with(person).filter(pk=agency.pk).exists():
        raise ApplicationError(_("The person is already shared with this agency."),
                               code="already_shared", field="agency")
    authorization, refusal = person_share_consent(person)
    if refusal is not None:
        code, message = refusal
        # refused for want of consent (409): audited as a refusal
        raise ApplicationError(message, code=code, field="agency", status=409)
    share_with_agency(person, agency, actor=actor, reason=reason)
    audit_record(actor=actor, action="person.disclose", obj=person,
                 summary=_("cross-border disclosure of identifying data"),
                 changes={"agency": agency.code, "authorization": authorization.pk})
    notify_users(recipients=list(role_users(Role.CITY, Role.DISTRICT, agency=agency)),
                 kind="cases.person_share",
                 title=Text(gettext_lazy("A person registered by %(agency)s was shared with "
                                         "you"), agency=person.owner_agency),
                 body=REASON_ON_PAGE, url=reverse("cases:person_detail", args=[person.pk]))
    return person


@refusals_audited
@transaction.atomic
def person_unshare(*, actor, person: Person, agency, reason: str) -> Person:
    """Withdraw a share of the person; only its registering agency does."""
    _guard_person_sharer(actor, person)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("State the reason for withdrawing the share."),
                               code="required", field="reason")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if agency is None or not agencies_shared_with(person).filter(pk=agency.pk).exists():
        raise ApplicationError(_("The person is not shared with this agency."), field="agency")
    unshare_with_agency(person, agency, actor=actor, reason=reason)
    return person


def person_shares_withdraw_without_consent(*, actor, person: Person, reason: str) -> int:
    """Withdraw the person's shares with Zhuhai once no authorization allows them any more
    (the authorization was revoked); each withdrawal audited. The number withdrawn."""
    if person_share_consent(person)[0] is not None:
        return 0
    agencies = list(agencies_shared_with(person).filter(side=Side.ZHUHAI))
    for agency in agencies:
        unshare_with_agency(person, agency, actor=actor, reason=reason)
    return len(agencies)


# --- Revealing a full identity-document number (core.reveal) ---------------------------------

def lock_revealer(actor) -> None:
    """Serialise one user's reveals, so that two at once cannot both pass the hourly limit."""
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()


def audit_reveal(*, actor, action: str, obj, reason: str, note: str, number: str,
                 **changes) -> None:
    """The audit row of a reveal: who (the actor), what (the record, the masked number), why."""
    audit_record(actor=actor, action=action, obj=obj,
                 changes={**changes, "number": mask(number), "reason": reason_text(reason, note)})


# ------------------------------------------------------------------- people import



def _refuse_person_import(actor) -> None:
    if not has_role(actor, *PERSON_IMPORT_ROLES):
        raise ApplicationError(_("You may not import people and households."),
                               code="forbidden", status=403)


@refusals_audited
def person_import_preview(*, actor, uploaded_file):
    """Check a spreadsheet of people and households and keep its preview (a
    ``core.models.SpreadsheetImport``): nothing is registered here. A file that cannot be
    read raises ApplicationError(code="bad_file"); row problems are listed in the preview."""
    _refuse_person_import(actor)
    agency = user_agency(actor)
    if agency is None:
        raise ApplicationError(_("Your account does not belong to an agency."))
    positions, rows, data, _kind = imports.read_upload(
        uploaded_file, columns=people_import.COLUMNS, max_bytes=_import_max_bytes(),
        max_rows=people_import.MAX_ROWS)
    clean, errors, failed = people_import.check_rows(
        positions, rows, own_district=agency.district or "",
        district_fixed=not has_role(actor, Role.CITY))
    good, warnings = people_import.match_register(clean, failed, errors)
    return imports.import_store(actor=actor, kind=SpreadsheetImportKind.PEOPLE, agency=agency,
                                name=getattr(uploaded_file, "name", ""), data=data,
                                row_count=len(rows), rows=good, errors=errors,
                                warnings=warnings)


def _import_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


@refusals_audited
@transaction.atomic
def person_import_commit(*, actor, import_run):
    """Register every row the preview found valid, in one transaction: each person through
    ``person_register``, each household through ``household_create`` and
    ``household_member_add`` (so each record is checked and audited as if typed in). If the
    register changed since the preview and one row is now refused, nothing is saved and the
    row's problem is reported: upload the file again."""
    _refuse_person_import(actor)
    run = imports.import_lock_for_commit(import_run, actor=actor)
    people = households = members = 0
    household_of: dict[int, Household] = {}
    for row in run.preview.get("rows", []):
        try:
            with transaction.atomic(), keys_remembered():
                person = person_register(
                    actor=actor, name_zh=row["name_zh"], name_latin=row["name_latin"],
                    sex=row["sex"], date_of_birth=date.fromisoformat(row["date_of_birth"]),
                    residence_status=row["residence_status"],
                    document_type=row["document_type"], document_number=row["document_number"],
                    phone=row["phone"], address=row["address"], district=row["district"])
                people += 1
                if row["head_row"] == row["row"]:
                    household_of[row["row"]] = household_create(
                        actor=actor, head=person, address=row["address"],
                        district=row["district"])
                    households += 1
                else:
                    household_member_add(actor=actor, household=household_of[row["head_row"]],
                                         person=person, relationship=row["relationship"])
                    members += 1
        except ApplicationError as error:
            raise ApplicationError(
                _("Row %(row)s: %(problem)s Nothing was imported; upload the file again.")
                % {"row": row["row"], "problem": error.message}, code="stale_preview",
                status=409) from None
    imports.import_mark_committed(run, actor=actor, summary={
        "people": people, "households": households, "members": members})
    return run


@refusals_audited
@transaction.atomic
def identity_document_reveal(*, actor, document: IdentityDocument, reason: str,
                             note: str = "") -> str:
    """The full number of ``document``, for an officer of the side that holds the person, with
    a reason; audited with it. Past the hourly limit, or for any other user, refused."""
    check_reason(reason, note)

    if not identity_document_revealable_by(actor, document):
        raise ApplicationError(_("Your role may not see this full number."),
                               code="reveal_forbidden", status=403)
    lock_revealer(actor)
    check_rate(actor)
    audit_reveal(actor=actor, action="identity_document.reveal", obj=document, reason=reason,
                 note=note, number=document.number, person=document.person_id,
                 document_type=document.document_type)
    return document.number
