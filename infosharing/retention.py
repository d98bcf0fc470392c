"""Retention of authorizations, verification requests and urgent notifications (see
core.retention; periods in docs/operations.md).

- A signed authorization that expired or was revoked five years ago, or whose person has been
  anonymised, loses the signatories, the reason for revocation and the scan (file); the
  categories, sides and dates stay. One that a pending request relies on is kept.
- A verification request closed, declined or withdrawn five years ago (or whose person has been
  anonymised) loses its question and reason, the text of its findings, and the attachments
  (rows and files). Number, agencies, district, categories, outcomes, status and dates stay:
  the dashboard and the bulletins count requests sent, answered and in time.
- An urgent notification unchanged for five years (or whose person has been anonymised) loses
  the account of what happened; kind, agencies, district and acknowledgements stay.
The person stays in the register while a request is pending or ended less than the period ago,
an authorization has not ended before the cutoff, or a notification changed since it."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from cases.models import Person
from core.retention import ANONYMISED, Rule, delete_files

from .models import (
    Authorization,
    FindingAttachment,
    RequestStatus,
    UrgentNotification,
    VerificationFinding,
    VerificationRequest,
)

ENDED = (RequestStatus.CLOSED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)
FORGOTTEN = Q(person__name_zh=ANONYMISED)


def _ended(cutoff) -> Q:
    return Q(valid_until__lt=timezone.localdate(cutoff)) | Q(revoked_at__lt=cutoff)


def _authorizations_due(cutoff):
    return Authorization.objects.filter(_ended(cutoff) | FORGOTTEN).exclude(signatories=ANONYMISED)


def _authorizations_anonymise(authorizations) -> int:
    delete_files(authorizations, "scan")
    return authorizations.update(signatories=ANONYMISED, revocation_reason="", scan="",
                                 scan_name=ANONYMISED)


def _authorizations_relied_on(cutoff):
    return (VerificationRequest.objects.exclude(status__in=ENDED)
            .filter(authorization__isnull=False).values("authorization_id"))


def _requests_due(cutoff):
    return (VerificationRequest.objects.filter(status__in=ENDED)
            .filter(Q(updated_at__lt=cutoff) | FORGOTTEN).exclude(question=ANONYMISED))


def _requests_anonymise(requests) -> int:
    attachments = FindingAttachment.objects.filter(request__in=requests)
    delete_files(attachments, "file")
    attachments.delete()
    VerificationFinding.objects.filter(request__in=requests).update(text="")
    return requests.update(question=ANONYMISED, status_reason="")


def _urgent_due(cutoff):
    return (UrgentNotification.objects.filter(Q(updated_at__lt=cutoff) | FORGOTTEN)
            .exclude(description=ANONYMISED))


def _urgent_anonymise(notifications) -> int:
    return notifications.update(description=ANONYMISED)


def _people_held(cutoff):
    requests = VerificationRequest.objects.exclude(status__in=ENDED, updated_at__lt=cutoff)
    return Person.objects.filter(
        Q(pk__in=requests.values("person_id"))
        | Q(pk__in=Authorization.objects.exclude(_ended(cutoff)).values("person_id"))
        | Q(pk__in=UrgentNotification.objects.filter(updated_at__gte=cutoff).values("person_id"))
    ).values("pk")


RULES = [
    Rule(name="infosharing.authorization", due=_authorizations_due,
         apply=_authorizations_anonymise,
         description="Authorizations ended five years ago: signatories and scan removed; "
                     "categories, sides and dates kept."),
    Rule(name="infosharing.verificationrequest", due=_requests_due, apply=_requests_anonymise,
         description="Requests ended five years ago: question, reasons, finding texts and "
                     "attachments removed; the figures stay."),
    Rule(name="infosharing.urgentnotification", due=_urgent_due, apply=_urgent_anonymise,
         description="Urgent notifications five years on: what happened removed."),
]
HOLDS = {"cases.person": _people_held,
         "infosharing.authorization": _authorizations_relied_on}
