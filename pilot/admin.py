from django.contrib import admin

from .models import PilotReport, Plan, ProgressReport, Stage, Task, TaskReminder, TaskUnit


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "document_number", "starts_on", "ends_on"]
    inlines = [StageInline]


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "content", "lead_units", "cooperating_units", "deadline",
                    "is_ongoing", "workstream"]
    list_filter = ["plan", "workstream", "is_ongoing"]
    inlines = [TaskUnitInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "agency", "reported_on", "status", "percent", "review_status"]
    list_filter = ["status", "review_status"]
    raw_id_fields = ["task", "reported_by", "reviewed_by"]


@admin.register(PilotReport)
class PilotReportAdmin(admin.ModelAdmin):
    list_display = ["plan", "period_start", "period_end", "status", "generated_at",
                    "requested_by"]
    readonly_fields = ["file", "generated_at", "seconds", "error"]


@admin.register(TaskReminder)
class TaskReminderAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "deadline", "sent_at", "recipients"]
