"""Retention of temporary-relief applications (see core.retention; periods in
docs/operations.md).

An application closed, rejected or withdrawn five years ago (or whose applicant has been
anonymised) loses what it says about the person: the account of what happened, the household
situation, notes and reasons, and its supporting documents (rows and files). Number, district,
kind, route, status, dates and amounts stay: the dashboard and the bulletins count and sum
them, and the fund's ledger points at the row. The applicant stays in the register while an
application is open or ended less than the period ago."""
from __future__ import annotations

from django.db.models import Q

from core.retention import ANONYMISED, Rule, delete_files

from .models import Application, ApplicationDocument, Status

ENDED = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


def _applications_due(cutoff):
    return (Application.objects.filter(status__in=ENDED)
            .filter(Q(updated_at__lt=cutoff) | Q(person__name_zh=ANONYMISED))
            .exclude(description=ANONYMISED))


def _applications_anonymise(applications) -> int:
    documents = ApplicationDocument.objects.filter(application__in=applications)
    delete_files(documents, "file")
    documents.delete()
    return applications.update(description=ANONYMISED, household_situation="",
                               frequency_override_reason="", district_note="",
                               decision_note="", rejection_reason="", withdrawal_reason="")


def _applicants_held(cutoff):
    return (Application.objects.exclude(status__in=ENDED, updated_at__lt=cutoff)
            .values("person_id"))


RULES = [
    Rule(name="tempaid.application", due=_applications_due, apply=_applications_anonymise,
         description="Applications ended five years ago: the story, notes, reasons and "
                     "supporting documents removed; kind, district, status, dates and "
                     "amounts kept."),
]
HOLDS = {"cases.person": _applicants_held}
