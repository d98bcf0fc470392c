"""The relief applications a leaving officer hands over (core.handover)."""
from django.utils.translation import gettext_lazy as _

from core.handover import HandoverKind

from .models import OPEN_STATUSES, Application
from .services import application_assign


def _open_applications(user):
    return Application.objects.filter(responsible_officer=user, status__in=OPEN_STATUSES)


def _assign(*, actor, record, officer):
    application_assign(actor=actor, application=record, officer=officer, by_handover=True)


HANDOVER_KINDS = [HandoverKind(key="applications", label=_("Open relief applications"),
                               open_work=_open_applications, assign=_assign)]
