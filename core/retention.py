"""Retention of personal data (PIPL art. 19 and 47; Macau Law 8/2005 art. 5(1)(e)).

Each kind of personal record has a retention period (``settings.ZHUAO_RETENTION_DAYS``, days,
overridable from the environment as ``RETENTION_<LABEL>_DAYS``, e.g. ``RETENTION_CASES_PERSON_DAYS``).
The nightly job ``zhuao.retention_apply`` (beat) anonymises what is past it and audits what it
did. Rows are anonymised rather than deleted wherever something countable hangs on them, so the
dashboard's aggregates (cases by district, category, status, month) stay right.

Apps register what is personal with a module ``<app>/retention.py`` that may define

- ``RULES``: a list of :class:`Rule` (a rule with the name of a built-in one replaces it);
- ``HOLDS``: ``{"cases.person": callable(cutoff) -> queryset of pks}`` — records the app still
  needs (an open application, a payment not yet reconciled): they are never anonymised.

A rule's ``apply`` removes stored files with :func:`delete_files`. Copies of a person's data
elsewhere (a referral, an application) are due as soon as the person is anonymised.

The rules for the register (people, identity documents, households, closed cases) are built in
here because every app leans on them, and the one for the inbox's notifications, which every app
writes.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import audit_record
from core.models import SpreadsheetImportStatus
from core.workstreams import app_modules

ANONYMISED = "已匿名"

#: Default periods in days. Personal data of the register: five years after the last case of
#: the person closed or the record last changed.
DEFAULT_RETENTION_DAYS = {
    "cases.person": 5 * 365,
    "cases.case": 5 * 365,
    "zhuao.notification": 365,
}


@dataclass(frozen=True)
class Rule:
    """``name`` is the record type (``"<app_label>.<model>"`` by convention) and the key of its
    retention period. ``due(cutoff)`` returns the rows past the period that are not yet
    anonymised; ``apply(queryset)`` anonymises (or deletes) them and returns how many."""

    name: str
    due: Callable[[datetime], QuerySet]
    apply: Callable[[QuerySet], int]
    description: str = ""
    default_days: int = 5 * 365
    holds: tuple = field(default=())


def delete_files(rows: QuerySet, *fields: str) -> None:
    """Delete the stored files of ``rows`` once the transaction commits (a rollback keeps them,
    with the rows that point at them). Call it before the rows are changed or deleted."""
    for name in fields:
        storage = rows.model._meta.get_field(name).storage
        paths = [path for path in rows.values_list(name, flat=True) if path]
        transaction.on_commit(lambda storage=storage, paths=paths: [
            storage.delete(path) for path in paths])


def retention_days(name: str, default: int | None = None) -> int:
    configured = {**DEFAULT_RETENTION_DAYS, **getattr(settings, "ZHUAO_RETENTION_DAYS", {})}
    environment = os.environ.get(f"RETENTION_{name.replace('.', '_').upper()}_DAYS")
    if environment:
        return int(environment)
    if name in configured:
        return int(configured[name])
    return int(default if default is not None else 5 * 365)


# --- the register's built-in rules ----------------------------------------------------------

def _people_due(cutoff: datetime) -> QuerySet:
    Person = apps.get_model("cases", "Person")
    Case = apps.get_model("cases", "Case")
    still_needed = Case.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
    return (Person.objects.filter(updated_at__lt=cutoff)
            .exclude(name_zh=ANONYMISED)
            .exclude(pk__in=still_needed.values("subject_id")))


def _people_anonymise(people: QuerySet) -> int:
    IdentityDocument = apps.get_model("cases", "IdentityDocument")
    Household = apps.get_model("cases", "Household")
    ids = list(people.values_list("pk", flat=True))
    if not ids:
        return 0
    IdentityDocument.objects.filter(person_id__in=ids).delete()
    Household.objects.filter(head_id__in=ids).update(address="", living_situation="")
    # Year of birth, sex, district and residence status stay: the dashboard counts by them.
    for person in people.model.objects.filter(pk__in=ids).only("pk", "date_of_birth"):
        people.model.objects.filter(pk=person.pk).update(
            name_zh=ANONYMISED, name_latin="", phone="", address="",
            date_of_birth=person.date_of_birth.replace(month=1, day=1))
    return len(ids)


def _cases_due(cutoff: datetime) -> QuerySet:
    Case = apps.get_model("cases", "Case")
    return Case.objects.filter(closed_at__lt=cutoff).exclude(summary=ANONYMISED)


def _cases_anonymise(cases: QuerySet) -> int:
    CaseEvent = apps.get_model("cases", "CaseEvent")
    ids = list(cases.values_list("pk", flat=True))
    if not ids:
        return 0
    # Number, district, category, status and dates stay for the statistics; the free text goes.
    cases.model.objects.filter(pk__in=ids).update(summary=ANONYMISED)
    CaseEvent.objects.filter(case_id__in=ids).exclude(text="").update(text="")
    return len(ids)


def _notifications_due(cutoff: datetime) -> QuerySet:
    Notification = apps.get_model("zhuao", "Notification")
    return Notification.objects.filter(created_at__lt=cutoff)


def _notifications_delete(notifications: QuerySet) -> int:
    _total, by_model = notifications.delete()
    return by_model.get(notifications.model._meta.label, 0)


def _exports_due(cutoff: datetime) -> QuerySet:
    ExportJob = apps.get_model("zhuao", "ExportJob")
    return ExportJob.objects.filter(created_at__lt=cutoff)


def _exports_delete(jobs: QuerySet) -> int:
    delete_files(jobs, "file")
    _total, by_model = jobs.delete()
    return by_model.get(jobs.model._meta.label, 0)


def _spreadsheet_imports_due(cutoff: datetime) -> QuerySet:
    SpreadsheetImport = apps.get_model("zhuao", "SpreadsheetImport")
    return (SpreadsheetImport.objects.filter(updated_at__lt=cutoff)
            .exclude(summary__has_key="preview_removed"))


def _spreadsheet_imports_clear(runs: QuerySet) -> int:
    """The preview (every checked row, identity numbers included) goes; a preview never
    committed is discarded; counts, checksum, result and who did what stay."""
    removed_on = timezone.localdate().isoformat()
    count = 0
    for run in runs.select_for_update().only("pk", "status", "summary"):
        run.preview = {}
        run.summary = {**run.summary, "preview_removed": removed_on}
        if run.status == SpreadsheetImportStatus.PREVIEWED:
            run.status = SpreadsheetImportStatus.DISCARDED
        run.save(update_fields=["preview", "summary", "status", "updated_at"])
        count += 1
    return count


BUILT_IN_RULES = [
    Rule(name="cases.person", due=_people_due, apply=_people_anonymise,
         description="People no longer in an open or recently closed case: names, phone, "
                     "address and identity documents removed; birth year, sex, district kept."),
    Rule(name="cases.case", due=_cases_due, apply=_cases_anonymise,
         description="Closed cases: summary and timeline text removed; the numbers stay."),
    Rule(name="zhuao.notification", due=_notifications_due, apply=_notifications_delete,
         description="Inbox notifications a year old: deleted (their titles and texts name "
                     "people and cases; the records they point to stay)."),
    Rule(name="zhuao.exportjob", due=_exports_due, apply=_exports_delete,
         default_days=settings.EXPORT_KEEP_DAYS,
         description="List exports written in the background: the file and its row deleted "
                     "after EXPORT_KEEP_DAYS days (the audit trail keeps who exported what)."),
    Rule(name="zhuao.spreadsheetimport", due=_spreadsheet_imports_due,
         apply=_spreadsheet_imports_clear, default_days=90,
         description="Imported spreadsheets of people or service records 90 days on: the "
                     "checked rows (identity numbers included) removed, an import never "
                     "confirmed discarded; counts, checksum and result kept."),
]


def collect_rules() -> tuple[list[Rule], dict[str, list[Callable]]]:
    """The built-in rules plus every app's ``<app>/retention.py`` RULES and HOLDS."""
    rules = {rule.name: rule for rule in BUILT_IN_RULES}
    holds: dict[str, list[Callable]] = {}
    for module in app_modules("retention"):
        if module.__name__ == __name__:
            continue
        for rule in getattr(module, "RULES", []):
            rules[rule.name] = rule
        for name, hold in getattr(module, "HOLDS", {}).items():
            holds.setdefault(name, []).append(hold)
    return list(rules.values()), holds


@dataclass
class RetentionReport:
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {"counts": dict(self.counts), "dry_run": self.dry_run}


def apply_retention(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Anonymise every record past its period; one audit event per rule that acted."""
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)
    rules, holds = collect_rules()
    for rule in rules:
        days = retention_days(rule.name, rule.default_days)
        cutoff = now - timedelta(days=days)
        due = rule.due(cutoff)
        for hold in holds.get(rule.name, []):
            due = due.exclude(pk__in=hold(cutoff))
        ids = sorted(due.values_list("pk", flat=True))
        report.counts[rule.name] = len(ids)
        if dry_run or not ids:
            continue
        with transaction.atomic():
            count = rule.apply(due.model.objects.filter(pk__in=ids))
            audit_record(actor=None, action="retention.anonymise", object_type=rule.name,
                         username="retention",
                         summary=gettext("%(count)s record(s) past %(days)s days") % {
                             "count": count, "days": days},
                         changes={"count": count, "cutoff": cutoff.date().isoformat(),
                                  "ids": ",".join(map(str, ids))[:2000]})
        report.counts[rule.name] = count
    return report
