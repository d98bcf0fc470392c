"""Writes of the pilot app: plans, stages, tasks (by hand or from XLSX), linking unit names to
agencies, progress reports and their review, deadline reminders, and pilot reports."""
from __future__ import annotations

import logging
import re
import time
from datetime import date, datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record, refusals_audited
from core.calendar import agency_sides_closed_on
from core.errors import ApplicationError
from core.files import FileKind, safe_filename, validate_upload
from core.messages import Text
from core.models import Agency, AgencyKind, Side
from core.notifications import REASON_ON_PAGE, notify_users
from core.roles import Role, has_role
from core.text import strip_invisible
from core.visibility import user_agency
from zhuao.celery import enqueue_after_commit
from zhuao.formats import date_display

from .models import (
    PilotReport,
    Plan,
    ProgressEvidence,
    ProgressReport,
    ReminderKind,
    ReportStatus,
    ReviewStatus,
    Stage,
    Task,
    TaskReminder,
    TaskUnit,
    UnitRole,
    Workstream,
)
from .permissions import OVERSIGHT_ROLES
from .report import render_report_pdf
from .selectors import can_report_on, tasks_with_health
from .status import TaskHealth

logger = logging.getLogger(__name__)

#: Unit names that stand for a group of agencies rather than one.
DISTRICT_BUREAUS = "各区（功能区）民政部门"
_UNIT_SEPARATORS = re.compile(r"[、，,；;]")


def _validated(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(" ".join(messages), code="invalid",
                               field=None if field == "__all__" else field) from error


def _check_within_plan(plan: Plan, *days: date, field: str) -> None:
    """A progress report falls within the plan's stages (its first day to its last): outside
    them there is no task of the plan to report on. (A pilot report's period may run past the
    plan: the workstreams' figures go on; its dates keep the operational window.)"""
    if any(day is not None and not plan.starts_on <= day <= plan.ends_on for day in days):
        raise ApplicationError(
            _("The date must fall within the plan, from %(start)s to %(end)s.")
            % {"start": date_display(plan.starts_on), "end": date_display(plan.ends_on)},
            code="outside_plan", field=field)


# --- responsible units --------------------------------------------------------------------

def split_units(text: str) -> list[str]:
    """"市财政局，各区（功能区）民政部门" -> ["市财政局", "各区（功能区）民政部门"]."""
    return [part.strip() for part in _UNIT_SEPARATORS.split(text or "") if part.strip()]


def agencies_for_unit(name: str, agencies: list[Agency]) -> list[Agency]:
    """The agencies a unit name stands for: 各区（功能区）民政部门 is every district bureau; a
    city bureau is written without the city's name (市民政局 = 珠海市民政局)."""
    if name == DISTRICT_BUREAUS:
        return [agency for agency in agencies if agency.kind == AgencyKind.DISTRICT_BUREAU]
    candidates = {name, f"珠海{name}"}
    return [agency for agency in agencies
            if agency.name_zh_hans in candidates or agency.name_zh_hant in candidates]


@refusals_audited
@transaction.atomic
def plan_link_agencies(*, plan: Plan | None = None) -> list[str]:
    """Link every task's unit names to agencies (idempotent; run whenever agencies change).
    Returns the unit names no agency stands for (they stay as text only)."""
    agencies = list(Agency.objects.filter(is_active=True))
    tasks = Task.objects.all() if plan is None else plan.tasks.all()
    unresolved: set[str] = set()
    existing = set(TaskUnit.objects.filter(task__in=tasks).values_list("task_id", "agency_id",
                                                                       "role"))
    wanted: dict[tuple, str] = {}
    for task in tasks:
        for role, text in ((UnitRole.LEAD, task.lead_units),
                           (UnitRole.COOPERATING, task.cooperating_units)):
            for name in split_units(text):
                matched = agencies_for_unit(name, agencies)
                if not matched:
                    unresolved.add(name)
                for agency in matched:
                    wanted.setdefault((task.pk, agency.pk, str(role)), name)
    TaskUnit.objects.bulk_create([
        TaskUnit(task_id=task_id, agency_id=agency_id, role=role, unit_name=name)
        for (task_id, agency_id, role), name in wanted.items()
        if (task_id, agency_id, role) not in existing])
    stale = existing - set(wanted)
    for task_id, agency_id, role in stale:
        TaskUnit.objects.filter(task_id=task_id, agency_id=agency_id, role=role).delete()
    return sorted(unresolved)


def plan_2021_ensure() -> Plan:
    """The 2021 plan, loaded again the way the data migration loads it if it is missing (after
    ``flush``, or in tests that empty the tables)."""
    plan = Plan.objects.filter(year=2021).first()
    if plan is None:
        import_module("pilot.migrations.0002_plan_2021").load(apps, None)
        plan = Plan.objects.get(year=2021)
    return plan


# --- plans, stages, tasks -----------------------------------------------------------------

def _require_city(actor):
    if not has_role(actor, Role.CITY):
        raise ApplicationError(_("Only the city bureau edits the pilot plan."), code="forbidden",
                               status=403)


@refusals_audited
@transaction.atomic
def plan_create(*, actor, year: int, title: str, starts_on: date, ends_on: date,
                document_number: str = "") -> Plan:
    _require_city(actor)
    if Plan.objects.filter(year=year).exists():
        raise ApplicationError(_("There is already a plan for %(year)s.") % {"year": year},
                               code="duplicate", field="year")
    plan = Plan(year=year, title=title, document_number=document_number, starts_on=starts_on,
                ends_on=ends_on, created_by=actor)
    _validated(plan)
    plan.save()
    audit_record(actor=actor, action="pilot_plan.create", obj=plan,
                 changes={"year": year, "title": title})
    return plan


@refusals_audited
@transaction.atomic
def plan_update_summary(*, actor, plan: Plan, problems: str, next_steps: str) -> Plan:
    """Problems and next steps (存在问题、下一步工作), written by the city bureau for the report."""
    _require_city(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.problems, plan.next_steps = problems, next_steps
    _validated(plan)
    plan.save(update_fields=["problems", "next_steps", "updated_at"])
    audit_record(actor=actor, action="pilot_plan.change", obj=plan,
                 changes={"problems": len(problems), "next_steps": len(next_steps)})
    return plan


@refusals_audited
@transaction.atomic
def stage_create(*, actor, plan: Plan, order: int, name: str, starts_on: date, ends_on: date,
                 description: str = "") -> Stage:
    _require_city(actor)
    if plan.stages.filter(order=order).exists():
        raise ApplicationError(_("This plan already has a stage with that order."),
                               code="duplicate", field="order")
    stage = Stage(plan=plan, order=order, name=name, starts_on=starts_on, ends_on=ends_on,
                  description=description)
    _validated(stage)
    stage.save()
    audit_record(actor=actor, action="pilot_stage.create", obj=stage,
                 changes={"plan": plan.year, "name": name})
    return stage


def _stage_for(plan: Plan, deadline: date | None) -> Stage | None:
    stages = list(plan.stages.order_by("order"))
    if deadline is not None:
        for stage in reversed(stages):
            if stage.starts_on <= deadline <= stage.ends_on:
                return stage
    return None


@refusals_audited
@transaction.atomic
def task_create(*, actor, plan: Plan, number: int, content: str, key_points: str,
                lead_units: str, cooperating_units: str = "", deadline: date | None = None,
                is_ongoing: bool = False, workstream: str = Workstream.PILOT,
                stage: Stage | None = None, link: bool = True) -> Task:
    _require_city(actor)
    if plan.tasks.filter(number=number).exists():
        raise ApplicationError(_("Task %(number)s already exists in this plan.")
                               % {"number": number}, code="duplicate", field="number")
    if stage is not None and stage.plan_id != plan.pk:
        raise ApplicationError(_("The stage belongs to another plan."), field="stage")
    if deadline is not None:
        deadline = deadline.replace(day=1)
    task = Task(plan=plan, number=number, content=content.strip(), key_points=key_points.strip(),
                lead_units=lead_units.strip(), cooperating_units=cooperating_units.strip(),
                deadline=None if is_ongoing else deadline, is_ongoing=is_ongoing,
                workstream=workstream, stage=stage or _stage_for(plan, deadline))
    _validated(task)
    task.save()
    if link:
        plan_link_agencies(plan=plan)
    audit_record(actor=actor, action="pilot_task.create", obj=task,
                 changes={"plan": plan.year, "number": number})
    return task


TASK_EDITABLE = ["content", "key_points", "lead_units", "cooperating_units", "deadline",
                 "is_ongoing", "workstream", "stage"]


@refusals_audited
@transaction.atomic
def task_update(*, actor, task: Task, **values) -> Task:
    _require_city(actor)
    task = Task.objects.select_for_update().get(pk=task.pk)
    unknown = set(values) - set(TASK_EDITABLE)
    if unknown:
        raise ApplicationError(f"unknown fields {sorted(unknown)}")
    for field, value in values.items():
        setattr(task, field, value)
    if task.is_ongoing:
        task.deadline = None
    elif task.deadline:
        task.deadline = task.deadline.replace(day=1)
    _validated(task)
    task.save(update_fields=[*values, "deadline", "updated_at"])
    plan_link_agencies(plan=task.plan)
    audit_record(actor=actor, action="pilot_task.change", obj=task,
                 changes={field: getattr(task, field) for field in values})
    return task


# --- XLSX import ----------------------------------------------------------------------------

IMPORT_HEADERS = ["序号", "工作内容", "工作要点", "牵头单位", "配合单位", "完成时限"]
_MONTH = re.compile(r"^\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?\s*$")
_ONGOING_WORDS = {"长期推进", "長期推進", "ongoing", "长期"}


def parse_deadline(value) -> tuple[date | None, bool]:
    """A deadline cell: "2022年6月", "2022-06", a date, or 长期推进 -> (first of month, ongoing)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1), False
    text = re.sub(r"\s+", "", str(value or ""))
    if text.lower() in _ONGOING_WORDS:
        return None, True
    match = _MONTH.match(text)
    if not match:
        raise ValueError(text)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(text)
    return date(year, month, 1), False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_invisible(str(value)).strip()


@refusals_audited
@transaction.atomic
def plan_import_tasks_xlsx(*, actor, plan: Plan, uploaded_file) -> list[Task]:
    """Tasks from an XLSX with the task table's columns (序号 工作内容 工作要点 牵头单位 配合单位
    完成时限); the first row is the header. Empty 工作内容 continues the previous row's (merged
    cells). All rows or none: any bad row refuses the whole file, naming the row."""
    from openpyxl import load_workbook


    _require_city(actor)
    try:
        validate_upload(uploaded_file, kinds={FileKind.XLSX},
                        max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="file") from error
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook
        raise ApplicationError(_("The file could not be read as a spreadsheet."),
                               field="file") from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [re.sub(r"\s+", "", _cell_text(cell)) for cell in next(rows, ())][:6]
    if header != IMPORT_HEADERS:
        raise ApplicationError(_("The first row must be the columns: %(columns)s.")
                               % {"columns": " ".join(IMPORT_HEADERS)}, field="file")
    created: list[Task] = []
    previous_content = ""
    for index, row in enumerate(rows, start=2):
        cells = [_cell_text(cell) for cell in (list(row) + [None] * 6)[:6]]
        raw = (list(row) + [None] * 6)[:6]
        if not any(cells):
            continue
        number_text, content, key_points, lead, cooperating, _deadline = cells
        content = content or previous_content
        previous_content = content
        try:
            number = int(number_text)
            deadline, is_ongoing = parse_deadline(raw[5])
        except (TypeError, ValueError) as error:
            raise ApplicationError(_("Row %(row)s: give a number and a deadline such as "
                                     "2022年6月 or 长期推进.") % {"row": index},
                                   field="file") from error
        if not key_points or not lead:
            raise ApplicationError(_("Row %(row)s: key points and lead unit are required.")
                                   % {"row": index}, field="file")
        try:
            created.append(task_create(actor=actor, plan=plan, number=number, content=content,
                                       key_points=key_points, lead_units=lead,
                                       cooperating_units=cooperating, deadline=deadline,
                                       is_ongoing=is_ongoing, link=False))
        except ApplicationError as error:
            raise ApplicationError(_("Row %(row)s: %(error)s") % {"row": index, "error": error},
                                   field="file") from error
    workbook.close()
    if not created:
        raise ApplicationError(_("The file has no task rows."), field="file")
    plan_link_agencies(plan=plan)
    audit_record(actor=actor, action="pilot_plan.import", obj=plan,
                 changes={"tasks": len(created)})
    return created


# --- progress reports -----------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def progress_report_submit(*, actor, task: Task, reported_on: date, status: str, percent: int,
                           narrative: str, files=()) -> ProgressReport:
    """A responsible unit reports; a district officer's report is for their district."""
    if not can_report_on(actor, task):
        raise ApplicationError(_("Your unit is not responsible for this task."),
                               code="forbidden", status=403)
    if reported_on > timezone.localdate():
        raise ApplicationError(_("The report date cannot be in the future."), field="reported_on")
    _check_within_plan(task.plan, reported_on, field="reported_on")
    agency = user_agency(actor)
    report = ProgressReport(
        task=task, agency=agency, reported_by=actor, reported_on=reported_on, status=status,
        percent=percent, narrative=narrative.strip(),
        district=agency.district if has_role(actor, Role.DISTRICT) else "")
    _validated(report)
    report.save()
    for upload in files:
        try:
            validate_upload(upload, kinds={FileKind.PDF, FileKind.JPEG, FileKind.PNG,
                                           FileKind.XLSX},
                            max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), field="files") from error
        evidence = ProgressEvidence(report=report, name=safe_filename(upload.name)[:200])
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    audit_record(actor=actor, action="pilot_progress.create", obj=report,
                 changes={"task": task.number, "status": status, "percent": percent,
                          "evidence": len(files)})
    return report


@refusals_audited
@transaction.atomic
def progress_report_review(*, actor, report: ProgressReport, accept: bool,
                           comment: str = "") -> ProgressReport:
    """The city bureau accepts a report or returns it (a returned report no longer counts)."""
    if not has_role(actor, Role.CITY):
        raise ApplicationError(_("Only the city bureau reviews progress reports."),
                               code="forbidden", status=403)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not report.can_review():
        raise ApplicationError(_("This report has already been reviewed."), code="conflict",
                               status=409)
    if not accept and not comment.strip():
        raise ApplicationError(_("Say why the report is returned."), field="comment")
    report.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.review_comment = comment.strip()
    report.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_comment",
                               "updated_at"])
    audit_record(actor=actor, action="pilot_progress.review", obj=report,
                 changes={"review_status": report.review_status})
    if not accept:

        notify_users(recipients=[report.reported_by],
                     title=Text(gettext_lazy("Progress report returned: task %(number)s"),
                                number=report.task.number),
                     body=REASON_ON_PAGE, url=f"/pilot/tasks/{report.task_id}/",
                     kind="pilot.progress_returned")
    return report


# --- reminders ------------------------------------------------------------------------------

def responsible_users(task: Task) -> list:
    """Active staff of the task's responsible agencies who can act on it."""
    roles = [Role.CITY, Role.DISTRICT, Role.FINANCE, Role.FINWORK, Role.NGO]
    return list(get_user_model().objects.filter(
        is_active=True, staff__agency__pilot_task_units__task=task,
        groups__name__in=roles).distinct().order_by("pk"))


def reminders_send(*, today: date | None = None) -> int:
    """A week before a deadline (from 7 days out) and once a task is overdue, notify the
    responsible units — once per task, kind and deadline (the unique row makes reruns safe) —
    on a working day of at least one of them (core/calendar.py; a task without linked units
    is Zhuhai's): a reminder due on a holiday goes out on the next working day."""
    today = today or timezone.localdate()
    closed = set(agency_sides_closed_on(today))
    sent = 0
    plan_link_agencies()
    for plan in Plan.objects.filter(starts_on__lte=today + timedelta(days=7)):
        unit_sides: dict[int, set[str]] = {}
        for task_id, side in TaskUnit.objects.filter(task__plan=plan).values_list(
                "task_id", "agency__side"):
            unit_sides.setdefault(task_id, set()).add(side)
        for task in tasks_with_health(plan, today=today):
            if task.is_ongoing or task.health == TaskHealth.DONE:
                continue
            if unit_sides.get(task.pk, {Side.ZHUHAI}) <= closed:
                continue
            if task.health == TaskHealth.OVERDUE:
                kind = ReminderKind.OVERDUE
            elif 0 <= (task.deadline_end - today).days <= 7:
                kind = ReminderKind.DUE_SOON
            else:
                continue
            sent += _remind(task, kind, notify_users)
    return sent


def _remind(task: Task, kind: str, notify_users) -> int:
    try:
        with transaction.atomic():
            reminder = TaskReminder.objects.create(task=task, kind=kind, deadline=task.deadline)
            recipients = responsible_users(task)
            if kind == ReminderKind.OVERDUE:
                title = Text(gettext_lazy("Pilot task %(number)s is overdue"),
                             number=task.number)
            else:
                title = Text(gettext_lazy("Pilot task %(number)s is due by %(deadline)s"),
                             number=task.number, deadline=task.deadline_end)
            notify_users(recipients=recipients, title=title,
                         body=gettext_lazy("Report the task's progress on its page."),
                         url=f"/pilot/tasks/{task.pk}/", kind=f"pilot.{kind}")
            reminder.recipients = len(recipients)
            reminder.save(update_fields=["recipients"])
            return 1
    except IntegrityError:
        return 0  # already reminded


# --- pilot reports --------------------------------------------------------------------------

@refusals_audited
@transaction.atomic
def pilot_report_request(*, actor, plan: Plan, period_start: date | None = None,
                         period_end: date | None = None, district: str = "") -> PilotReport:
    """Queue a new report (a new version each time: earlier ones are kept)."""

    if actor is not None and not has_role(actor, *OVERSIGHT_ROLES):
        raise ApplicationError(_("Only leadership and the city bureau request pilot reports."),
                               code="forbidden", status=403)
    report = PilotReport(plan=plan, period_start=period_start or plan.starts_on,
                         period_end=period_end or plan.ends_on, district=district,
                         requested_by=actor if actor is not None else None)
    _validated(report, exclude=["file"])
    report.save()
    audit_record(actor=actor, action="pilot_report.request", obj=report,
                 changes={"plan": plan.year, "period_start": report.period_start.isoformat(),
                          "period_end": report.period_end.isoformat()})
    enqueue_after_commit("pilot.generate_report", report.pk)
    return report


def pilot_report_generate(*, report_id: int) -> PilotReport:
    """Render the PDF (idempotent: a finished report is left alone)."""
    with transaction.atomic():
        report = PilotReport.objects.select_for_update().select_related("plan").get(pk=report_id)
        if report.status == ReportStatus.DONE:
            return report
        report.status = ReportStatus.RUNNING
        report.save(update_fields=["status", "updated_at"])
    started = time.monotonic()
    try:
        pdf = render_report_pdf(report)
    except Exception as error:  # noqa: BLE001 - recorded for the user, then re-raised in logs
        logger.exception("pilot report %s failed", report_id)
        PilotReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(error)[:2000], updated_at=timezone.now())
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = PilotReport.objects.select_for_update().get(pk=report_id)
        report.file.save(f"pilot-report-{report.plan.year}-{report.pk}.pdf", ContentFile(pdf),
                         save=False)
        report.status = ReportStatus.DONE
        report.generated_at = timezone.now()
        report.seconds = round(time.monotonic() - started, 3)
        report.error = ""
        report.save(update_fields=["file", "status", "generated_at", "seconds", "error",
                                   "updated_at"])
    return report


def summary_plan_for_december(year: int) -> Plan | None:
    """The plan whose summary stage (its last stage, 三（三）完善总结阶段) falls in December of
    ``year``; None when no plan sums up that December."""
    december_first, december_last = date(year, 12, 1), date(year, 12, 31)
    candidates = Plan.objects.filter(stages__starts_on__lte=december_last,
                                     stages__ends_on__gte=december_first).distinct()
    for plan in candidates.order_by("-year"):
        summary = plan.stages.order_by("-order").first()
        if summary.starts_on <= december_last and summary.ends_on >= december_first:
            return plan
    return None


def pilot_report_year_end(*, today: date | None = None) -> PilotReport | None:
    """Beat, on 31 December: the report of the plan whose summary stage is this December, once.

    No report in a December no plan sums up (the 2021 plan's is December 2022: it is not
    reported again every year after). Safe to run twice: the plan's row is locked and a
    scheduled report (no requester) already made for this December is returned instead."""
    today = today or timezone.localdate()
    plan = summary_plan_for_december(today.year)
    if plan is None:
        return None
    period_end = max(plan.starts_on, min(plan.ends_on, date(today.year, 12, 31)))
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        report = PilotReport.objects.filter(plan=plan, requested_by__isnull=True,
                                            period_end=period_end).first()
        if report is not None:
            return report
        report = PilotReport(plan=plan, period_start=plan.starts_on, period_end=period_end)
        report.save()
        audit_record(actor=None, action="pilot_report.request", obj=report,
                     summary=_("scheduled year-end report"), username="beat")
    return pilot_report_generate(report_id=report.pk)
