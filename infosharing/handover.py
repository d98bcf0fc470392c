"""The verification requests a leaving officer hands over (core.handover)."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.handover import HandoverKind

from .models import AWAITING_ANSWER, PENDING, RequestDirection, VerificationRequest
from .services import verification_request_assign


def _open_requests(user):
    return VerificationRequest.objects.filter(responsible_officer=user).filter(
        Q(direction=RequestDirection.OUTBOUND, status__in=PENDING)
        | Q(direction=RequestDirection.INBOUND, status__in=AWAITING_ANSWER))


def _assign(*, actor, record, officer):
    verification_request_assign(actor=actor, request=record, officer=officer, by_handover=True)


HANDOVER_KINDS = [HandoverKind(key="requests", label=_("Open verification requests"),
                               open_work=_open_requests, assign=_assign)]
