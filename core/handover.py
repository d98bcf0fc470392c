"""Hand-over: an officer who leaves gives all their open work, in one step, to a colleague of
the same agency (district bureau).

Each app that gives records a responsible officer declares, in its own ``handover.py``, a
``HANDOVER_KINDS`` list of ``HandoverKind``: how to find a user's open work of that kind and
the service that reassigns one record (called with ``by_handover=True``, so the record's own
rules still apply and each record is audited). The new officer is told once, with the counts.

Who may hand over: the leaving officer themselves, or their agency's team lead (or a system
administrator). Action items and referrals belong to an agency, not to an officer, so they
need no hand-over."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.assignment import guard_same_agency, may_reassign
from core.audit import audit_record, refusals_audited
from core.errors import ApplicationError
from core.messages import Text
from core.notifications import notify_users
from core.visibility import user_agency
from core.workstreams import app_modules


@dataclass(frozen=True)
class HandoverKind:
    key: str
    label: object  # a lazy translated name, plural ("open cases")
    open_work: Callable  # (user) -> QuerySet of the user's open records of this kind
    assign: Callable  # (*, actor, record, officer) -> None, through the record's service


def handover_kinds() -> list[HandoverKind]:
    return [kind for module in app_modules("handover")
            for kind in getattr(module, "HANDOVER_KINDS", [])]


def open_work_counts(user) -> list[tuple[HandoverKind, int]]:
    """Each kind with how many open records ``user`` holds: what the confirm step shows."""
    return [(kind, kind.open_work(user).count()) for kind in handover_kinds()]


def may_hand_over(actor, leaving) -> bool:
    agency = user_agency(leaving)
    if agency is None:
        return False
    return actor.pk == leaving.pk or may_reassign(actor, agency)


@refusals_audited
@transaction.atomic
def work_hand_over(*, actor, leaving, successor) -> dict[str, int]:
    """Reassign every open record ``leaving`` holds to ``successor``, kind by kind, each
    through its own service; all or nothing. Returns the count per kind."""
    agency = user_agency(leaving)
    if agency is None or not may_hand_over(actor, leaving):
        raise ApplicationError(_("Only the officer or their team lead may hand over the work."),
                               code="forbidden", status=403)
    if successor.pk == leaving.pk:
        raise ApplicationError(_("Choose a colleague other than the leaving officer."),
                               field="successor")
    if not successor.is_active:
        raise ApplicationError(_("The colleague's account is not active."), field="successor")
    guard_same_agency(agency=agency, officer=successor)
    counts: dict[str, int] = {}
    for kind in handover_kinds():
        records = list(kind.open_work(leaving).order_by("pk"))
        for record in records:
            kind.assign(actor=actor, record=record, officer=successor)
        counts[kind.key] = len(records)
    total = sum(counts.values())
    if not total:
        raise ApplicationError(_("The officer holds no open work."), code="nothing")
    audit_record(actor=actor, action="work.handover", obj=leaving,
                 changes={"to": successor.pk, **counts})
    notify_users(recipients=[successor], kind="handover",
                 title=Text(gettext_lazy("%(count)s open records were handed over to you"),
                            count=total),
                 body=Text(gettext_lazy("Cases: %(cases)s; verification requests: "
                                        "%(requests)s; relief applications: %(applications)s"),
                           cases=counts.get("cases", 0), requests=counts.get("requests", 0),
                           applications=counts.get("applications", 0)))
    return counts
