from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import audit_record
from core.errors import ApplicationError
from core.files import protected_file_response
from core.roles import STAFF_ROLES, Role, has_role
from web.decorators import role_required
from web.exports import export_response
from web.forms import add_service_error
from web.listing import listing_for
from web.pagination import page_of

from . import forms, lists, selectors, services
from .dashboard import (
    dashboard_data,
    district_label,
    health_counts,
    health_label,
    panel_views,
    task_bank_figures,
    task_charts,
)
from .models import ProgressEvidence, ReviewStatus
from .permissions import OVERSIGHT_ROLES
from .status import BADGES, TaskHealth


def _staff_required(view):
    """Any staff role (not the security or the audit administrator); the selectors then
    decide what they see."""
    return role_required(*STAFF_ROLES)(view)


@_staff_required
def index(request):
    plan = selectors.current_plan(request.user)
    if plan is None:
        return redirect("pilot:plan_list")
    return redirect("pilot:plan_detail", pk=plan.pk)


@_staff_required
def plan_list(request):
    plans = selectors.plan_visible_to(request.user).order_by("-year")
    return render(request, "pilot/plan_list.html", {
        "plans": plans, "can_edit": has_role(request.user, Role.CITY)})


@role_required(Role.CITY)
def plan_create(request):
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Plan created. Add its stages and tasks."))
            return redirect("pilot:plan_detail", pk=plan.pk)
    return render(request, "pilot/form.html", {"form": form, "title": _("New pilot plan")})


@_staff_required
def plan_detail(request, pk):
    plan = selectors.get_plan_for(request.user, pk)
    today = timezone.localdate()
    tasks = selectors.tasks_with_health(plan, today=today)
    wanted = request.GET.get("status", "")
    if wanted in TaskHealth.values:
        tasks = [task for task in tasks if task.health == wanted]
    for task in tasks:
        task.badge = BADGES[task.health]
    return render(request, "pilot/plan_detail.html", {
        "plan": plan, "stages": plan.stages.order_by("order"), "tasks": tasks,
        "statuses": TaskHealth.choices, "wanted": wanted,
        "can_edit": has_role(request.user, Role.CITY),
        "is_oversight": has_role(request.user, *OVERSIGHT_ROLES)})


@role_required(Role.CITY)
def stage_create(request, pk):
    plan = selectors.get_plan_for(request.user, pk, action="change")
    form = forms.StageForm(request.POST or None,
                           initial={"order": plan.stages.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Stage added."))
            return redirect("pilot:plan_detail", pk=plan.pk)
    return render(request, "pilot/form.html", {"form": form, "title": _("New stage"),
                                               "plan": plan})


@role_required(Role.CITY)
def task_create(request, pk):
    plan = selectors.get_plan_for(request.user, pk, action="change")
    form = forms.TaskForm(request.POST or None, plan=plan,
                          initial={"number": plan.tasks.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Task added."))
            return redirect("pilot:task_detail", pk=task.pk)
    return render(request, "pilot/form.html", {"form": form, "title": _("New task"),
                                               "plan": plan})


@role_required(Role.CITY)
def task_edit(request, pk):
    task = selectors.get_task_for(request.user, pk, action="change")
    initial = {field: getattr(task, field) for field in services.TASK_EDITABLE}
    initial["number"] = task.number
    form = forms.TaskForm(request.POST or None, plan=task.plan, initial=initial)
    form.fields["number"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = {key: value for key, value in form.cleaned_data.items() if key != "number"}
        try:
            services.task_update(actor=request.user, task=task, **values)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Task saved."))
            return redirect("pilot:task_detail", pk=task.pk)
    return render(request, "pilot/form.html", {"form": form, "title": _("Edit task"),
                                               "plan": task.plan})


@role_required(Role.CITY)
def plan_import(request, pk):
    plan = selectors.get_plan_for(request.user, pk, action="change")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.plan_import_tasks_xlsx(actor=request.user, plan=plan,
                                                      uploaded_file=form.cleaned_data["file"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s tasks imported.") % {"count": len(created)})
            return redirect("pilot:plan_detail", pk=plan.pk)
    return render(request, "pilot/form.html", {"form": form, "title": _("Import tasks"),
                                               "plan": plan, "multipart": True})


@role_required(Role.CITY)
def plan_summary(request, pk):
    plan = selectors.get_plan_for(request.user, pk, action="change")
    form = forms.SummaryForm(request.POST or None, initial={
        "problems": plan.problems, "next_steps": plan.next_steps})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update_summary(actor=request.user, plan=plan, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Problems and next steps saved."))
            return redirect("pilot:plan_detail", pk=plan.pk)
    return render(request, "pilot/form.html", {
        "form": form, "title": _("Problems and next steps"), "plan": plan})


@_staff_required
def task_detail(request, pk):
    task = selectors.get_task_for(request.user, pk)
    health = selectors.task_health_for(task)
    reports = (selectors.progress_report_visible_to(request.user).filter(task=task)
               .select_related("agency", "reported_by").prefetch_related("evidence"))
    can_report = selectors.can_report_on(request.user, task)
    form = forms.ProgressReportForm(request.POST or None, request.FILES or None) \
        if can_report else None
    if request.method == "POST":
        if not can_report:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.progress_report_submit(
                    actor=request.user, task=task, reported_on=data["reported_on"],
                    status=data["status"], percent=data["percent"],
                    narrative=data["narrative"], files=data["files"])
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Progress report submitted."))
                return redirect("pilot:task_detail", pk=task.pk)
    return render(request, "pilot/task_detail.html", {
        "task": task, "health": health, "health_label": health_label(health),
        "badge": BADGES[health], "units": task.units.select_related("agency").order_by("role"),
        "reports": reports, "form": form, "can_edit": has_role(request.user, Role.CITY),
        "bank_figures": task_bank_figures(task)})


@_staff_required
def progress_list(request):
    list_query = lists.PROGRESS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.PROGRESS, list_query)
    return render(request, "pilot/progress_list.html", {
        "page": page_of(request, rows, listing.ordering.per_page), "listing": listing,
        **list_query.context, "reviews": ReviewStatus.choices})


@_staff_required
def progress_export(request):
    return export_response(request, lists.PROGRESS)


@_staff_required
def progress_detail(request, pk):
    report = selectors.get_progress_report_for(request.user, pk)
    can_review = has_role(request.user, Role.CITY) and report.can_review()
    form = forms.ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        if not can_review:
            raise Http404
        if form.is_valid():
            try:
                services.progress_report_review(
                    actor=request.user, report=report,
                    accept=form.cleaned_data["decision"] == "accept",
                    comment=form.cleaned_data["comment"])
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Review saved."))
                return redirect("pilot:progress_detail", pk=report.pk)
    return render(request, "pilot/progress_detail.html", {
        "report": report, "form": form, "evidence": report.evidence.all()})


@_staff_required
def evidence_download(request, pk, evidence_pk):
    report = selectors.get_progress_report_for(request.user, pk, action="download")
    evidence = ProgressEvidence.objects.filter(report=report, pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    audit_record(actor=request.user, action="pilot_progress.download", obj=report,
                 changes={"evidence": evidence.pk})
    return protected_file_response(evidence.file, download_name=evidence.name)


# --- dashboard and reports -------------------------------------------------------------------

def default_period(plan, today=None):
    """From the plan's start to today (the work goes on after the plan's last stage), or the
    plan's own period while it has not started."""
    today = today or timezone.localdate()
    return plan.starts_on, (today if today >= plan.starts_on else plan.ends_on)


def _period(form, plan):
    default_start, default_end = default_period(plan)
    start, end, district = default_start, default_end, ""
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        district = form.cleaned_data["district"] or ""
        if end < start:
            start, end = default_start, default_end
    return start, end, district


@role_required(*OVERSIGHT_ROLES)
def dashboard(request):
    plan = selectors.current_plan(request.user)
    if plan is None:
        return render(request, "pilot/dashboard.html", {"plan": None})
    default_start, default_end = default_period(plan)
    form = forms.DashboardFilterForm(request.GET or None,
                                     initial={"start": default_start, "end": default_end})
    start, end, district = _period(form, plan)
    data = dashboard_data(plan=plan, start=start, end=end, district=district)
    counts = health_counts(data["tasks"])
    tiles = [(health_label(key), value, BADGES[TaskHealth(key)]) for key, value in counts.items()]
    recent = selectors.pilot_report_visible_to(request.user).filter(plan=plan)[:3]
    attention = [dict(task, health_label=health_label(task["health"]),
                      badge=BADGES[TaskHealth(task["health"])])
                 for task in data["tasks"]
                 if task["health"] in (TaskHealth.AT_RISK, TaskHealth.OVERDUE)]
    return render(request, "pilot/dashboard.html", {
        "plan": plan, "form": form, "data": data, "tiles": tiles,
        "charts": task_charts(data), "panels": panel_views(data),
        "request_form": forms.ReportRequestForm(initial={
            "period_start": start, "period_end": end, "district": district}),
        "recent_reports": recent, "attention": attention, "district_label": district_label(district) if district else ""})


@role_required(*OVERSIGHT_ROLES)
def report_list(request):
    reports = selectors.pilot_report_visible_to(request.user)
    page = page_of(request, reports, 30)
    return render(request, "pilot/report_list.html", {
        "page": page, "form": forms.ReportRequestForm()})


@role_required(*OVERSIGHT_ROLES)
@require_POST
def report_request(request):
    plan = selectors.current_plan(request.user)
    form = forms.ReportRequestForm(request.POST)
    if plan is None or not form.is_valid():
        messages.error(request, _("The report could not be requested: check the period."))
        return redirect("pilot:report_list")
    data = form.cleaned_data
    try:
        report = services.pilot_report_request(
            actor=request.user, plan=plan, period_start=data["period_start"],
            period_end=data["period_end"], district=data["district"] or "")
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("pilot:report_list")
    messages.success(request, _("The report is being produced."))
    return redirect("pilot:report_detail", pk=report.pk)


@role_required(*OVERSIGHT_ROLES)
def report_detail(request, pk):
    report = selectors.get_pilot_report_for(request.user, pk)
    return render(request, "pilot/report_detail.html", {"report": report})


@role_required(*OVERSIGHT_ROLES)
def report_status(request, pk):
    report = selectors.get_pilot_report_for(request.user, pk)
    return JsonResponse({"done": report.is_finished, "status": report.status,
                         "status_label": str(report.get_status_display()),
                         "download_url": reverse("pilot:report_download", args=[report.pk])
                         if report.status == "done" else ""})


@role_required(*OVERSIGHT_ROLES)
def report_download(request, pk):
    report = selectors.get_pilot_report_for(request.user, pk, action="download")
    if report.status != "done" or not report.file:
        raise Http404
    audit_record(actor=request.user, action="pilot_report.download", obj=report)
    return protected_file_response(report.file, download_name=report.download_name)
