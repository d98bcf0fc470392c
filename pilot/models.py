"""The pilot plan as data: plans, stages, tasks with their responsible units, progress reports,
deadline reminders, and the year-end pilot reports (试点工作报告)."""
from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import ChoiceDisplay
from core.fields import BoundedDateField, BoundedDateTimeField, BoundedTextField
from core.files import upload_to
from core.models import Agency, District, TimeStampedModel


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class Workstream(models.TextChoices):
    """Which part of the system measures a task (one dashboard panel per workstream)."""

    CASES = "cases", _("Building the cooperation platform")
    INFOSHARING = "infosharing", _("Establishing the information-sharing mechanism")
    REMITTANCE = "remittance", _("Optimising the cross-border remittance process")
    TEMPAID = "tempaid", _("Opening up social-assistance channels")
    PARTNERS = "partners", _("Expanding social-assistance services")
    PILOT = "pilot", _("Mobilising for and summing up the pilot")


class Plan(TimeStampedModel):
    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            validators=[MinValueValidator(2000),
                                                        MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(pgettext_lazy("pilot", "document number"), max_length=60, blank=True)
    starts_on = BoundedDateField(_("starts on"))
    ends_on = BoundedDateField(_("ends on"))
    problems = BoundedTextField(_("problems"), blank=True,
                                help_text=_("Entered by the city bureau for the pilot report."))
    next_steps = BoundedTextField(_("next steps"), blank=True,
                                  help_text=_("Entered by the city bureau for the pilot report."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("pilot plan")
        verbose_name_plural = _("pilot plans")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="pilot_plan_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})


class Stage(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stages",
                             verbose_name=_("plan"))
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    starts_on = BoundedDateField(_("starts on"))
    ends_on = BoundedDateField(_("ends on"))
    description = BoundedTextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="pilot_stage_order_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="pilot_stage_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The stage cannot end before it starts.")})


class Task(TimeStampedModel):
    """One row of the task table: 序号, 工作内容, 工作要点, 牵头单位, 配合单位, 完成时限.

    Unit names are kept as text exactly as the plan writes them; ``units`` links them to
    agencies where one exists (``services.plan_link_agencies``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    stage = models.ForeignKey(Stage, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="tasks", verbose_name=_("stage"))
    content = models.CharField(_("work content"), max_length=200)
    key_points = BoundedTextField(_("key points"))
    lead_units = models.CharField(_("lead unit"), max_length=300)
    cooperating_units = models.CharField(_("cooperating units"), max_length=300, blank=True)
    deadline = BoundedDateField(_("deadline month"), null=True, blank=True,
                                help_text=_("First day of the month; empty for ongoing tasks."))
    is_ongoing = models.BooleanField(_("ongoing"), default=False)
    workstream = models.CharField(_("workstream"), max_length=16, choices=Workstream.choices,
                                  default=Workstream.PILOT)
    get_workstream_display = ChoiceDisplay()
    agencies = models.ManyToManyField(Agency, through="TaskUnit", related_name="pilot_tasks",
                                      blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="pilot_task_number_unique"),
            models.CheckConstraint(
                condition=(models.Q(is_ongoing=True, deadline__isnull=True)
                           | models.Q(is_ongoing=False, deadline__isnull=False)),
                name="pilot_task_deadline_or_ongoing"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.key_points[:40]}"

    def clean(self):
        if self.is_ongoing and self.deadline:
            raise ValidationError({"deadline": _("An ongoing task has no deadline.")})
        if not self.is_ongoing and not self.deadline:
            raise ValidationError({"deadline": _("Give a deadline month or mark the task ongoing.")})
        if self.deadline and self.deadline.day != 1:
            self.deadline = self.deadline.replace(day=1)

    @property
    def deadline_end(self) -> date | None:
        """The last day of the deadline month."""
        return month_end(self.deadline) if self.deadline else None

    @property
    def deadline_label(self) -> str:
        if self.is_ongoing or not self.deadline:
            return str(_("Ongoing"))
        return f"{self.deadline.year}年{self.deadline.month}月"


class UnitRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    COOPERATING = "cooperating", _("Cooperating unit")


class TaskUnit(models.Model):
    """A responsible agency of a task, resolved from the unit names."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="pilot_task_units")
    role = models.CharField(_("role"), max_length=12, choices=UnitRole.choices)
    get_role_display = ChoiceDisplay()
    unit_name = models.CharField(_("unit as written"), max_length=120)

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "role"],
                                    name="pilot_task_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.role} {self.agency.code}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("pilot", "In progress")
    DONE = "done", pgettext_lazy("pilot", "Done")
    BLOCKED = "blocked", _("Blocked")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", pgettext_lazy("pilot", "Accepted")
    RETURNED = "returned", _("Returned")


class ProgressReport(TimeStampedModel):
    """A responsible unit's report on a task (三(三) 跟踪管理); districts report for their area."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports",
                             verbose_name=_("task"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("reporting unit"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices,
                                blank=True)
    get_district_display = ChoiceDisplay()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=pgettext_lazy("pilot", "reported by"))
    reported_on = BoundedDateField(_("report date"))
    status = models.CharField(_("status"), max_length=12, choices=ProgressStatus.choices)
    get_status_display = ChoiceDisplay()
    percent = models.PositiveSmallIntegerField(_("percent complete"),
                                               validators=[MaxValueValidator(100)])
    narrative = BoundedTextField(_("progress narrative"))
    review_status = models.CharField(_("review"), max_length=10, choices=ReviewStatus.choices,
                                     default=ReviewStatus.PENDING)
    get_review_status_display = ChoiceDisplay()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = BoundedDateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = BoundedTextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["task", "-reported_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100),
                                   name="pilot_progress_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} {self.reported_on} {self.status} {self.percent}%"

    def clean(self):
        if self.status == ProgressStatus.DONE and self.percent != 100:
            raise ValidationError({"percent": _("A finished task is 100 % complete.")})
        if self.status == ProgressStatus.NOT_STARTED and self.percent not in (0, None):
            raise ValidationError({"percent": _("A task not started is 0 % complete.")})

    def can_review(self) -> bool:
        return self.review_status == ReviewStatus.PENDING


class ProgressEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("progress report"))
    file = models.FileField(_("file"), upload_to=upload_to("pilot/evidence"), max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = BoundedDateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline in a week")
    OVERDUE = "overdue", _("Overdue")


class TaskReminder(models.Model):
    """One reminder sent; the unique constraint makes the beat task safe to run twice."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    get_kind_display = ChoiceDisplay()
    deadline = BoundedDateField()
    sent_at = BoundedDateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "deadline"],
                                    name="pilot_reminder_once"),
        ]


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being produced")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PilotReport(TimeStampedModel):
    """A generated 试点工作报告 PDF. Every request makes a new row: versions are never replaced."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports",
                             verbose_name=_("plan"))
    period_start = BoundedDateField(_("period start"))
    period_end = BoundedDateField(_("period end"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices,
                                blank=True)
    get_district_display = ChoiceDisplay()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices,
                              default=ReportStatus.QUEUED)
    get_status_display = ChoiceDisplay()
    file = models.FileField(_("file"), upload_to=upload_to("pilot/reports"), max_length=300,
                            blank=True)
    generated_at = BoundedDateTimeField(_("generated at"), null=True, blank=True)
    seconds = models.FloatField(_("generation time (s)"), null=True, blank=True)
    error = BoundedTextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("pilot report")
        verbose_name_plural = _("pilot reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="pilot_report_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.period_start}–{self.period_end} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def download_name(self) -> str:
        stamp = self.generated_at or self.created_at
        return f"pilot-report-{self.plan.year}-{stamp:%Y%m%d-%H%M%S}-{self.pk}.pdf"
