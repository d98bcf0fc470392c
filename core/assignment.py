"""Who may hand a record to whom: the responsible officer of a case, a verification request or
a relief application belongs to the record's agency, and only the agency's team lead (its
district head, ``StaffProfile.is_team_lead``) or a system administrator moves records between
its officers. An officer may also hand over their own open work (core.handover)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ApplicationError
from core.messages import Text
from core.notifications import notify_users
from core.roles import Role, has_role
from core.visibility import user_agency


def is_team_lead(user, agency=None) -> bool:
    """A team lead of ``agency`` (of their own agency when none is given)."""
    own = user_agency(user)
    if own is None or (agency is not None and own.pk != agency.pk):
        return False
    return bool(user.staff.is_team_lead)


def may_reassign(user, agency) -> bool:
    return has_role(user, Role.ADMIN) or is_team_lead(user, agency)


def officers_of(agency):
    """The active staff of ``agency`` who may hold its records, by name."""
    return (get_user_model().objects.filter(is_active=True, staff__agency=agency)
            .order_by("first_name", "username"))


def guard_reassign(*, actor, agency, officer) -> None:
    """Refuse unless ``actor`` may reassign ``agency``'s records and ``officer`` works there."""
    if not may_reassign(actor, agency):
        raise ApplicationError(_("Only the team lead of the record's agency may reassign it."),
                               code="forbidden", status=403)
    guard_same_agency(agency=agency, officer=officer)


def guard_assignment(*, actor, agency, officer, by_handover: bool) -> None:
    """The rule of a reassignment: the agency's team lead (``guard_reassign``); a hand-over
    (core.handover) has checked its own rule, so only the agency of the new officer counts."""
    if by_handover:
        guard_same_agency(agency=agency, officer=officer)
    else:
        guard_reassign(actor=actor, agency=agency, officer=officer)


def record_assignment(*, actor, record, field: str, officer, by_handover: bool,
                      unchanged: str, told: Text, url: str, kind: str) -> None:
    """Make ``officer`` the responsible officer (``field``) of a locked ``record`` whose guard
    and state the caller has checked: refuse an unchanged officer (``unchanged``), save, audit
    ``<model>.assign`` (``.handover`` for a hand-over) with the previous and the new officer,
    and tell the new officer (``told``), except in a hand-over, which tells them once for all
    its records."""
    previous = getattr(record, f"{field}_id")
    if previous == officer.pk:
        raise ApplicationError(unchanged, code="unchanged", field="officer")
    setattr(record, field, officer)
    record.save(update_fields=[field, "updated_at"])
    audit_record(actor=actor, obj=record,
                 action=f"{record._meta.model_name}.{'handover' if by_handover else 'assign'}",
                 changes={"from": previous, "to": officer.pk})
    if not by_handover:
        notify_users(recipients=[officer], kind=kind, title=told, url=url)


def guard_same_agency(*, agency, officer) -> None:
    officer_agency = user_agency(officer)
    if officer_agency is None or officer_agency.pk != agency.pk:
        raise ApplicationError(_("The new officer must work at the record's agency."),
                               code="other_agency", field="officer", status=403)


def user_label(user) -> str:
    """How an officer is named on pages and in audit summaries."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
