"""The cases a leaving officer hands over (core.handover)."""
from django.utils.translation import gettext_lazy as _

from core.handover import HandoverKind

from .models import Case, CaseStatus
from .services import case_assign


def _open_cases(user):
    return Case.objects.filter(assigned_officer=user).exclude(status=CaseStatus.CLOSED)


def _assign(*, actor, record, officer):
    case_assign(actor=actor, case=record, officer=officer, by_handover=True)


HANDOVER_KINDS = [HandoverKind(key="cases", label=_("Open cases"), open_work=_open_cases,
                               assign=_assign)]
