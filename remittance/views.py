"""Pages of the remittance workstream. Views call services and selectors only."""
from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import person_numbers_revealable_by
from core.audit import audit_bulk_read, audit_record
from core.cache import cached_figures
from core.errors import ApplicationError
from core.files import CONTENT_TYPES, FileKind, protected_file_response
from core.identity import mask
from core.models import District
from core.reveal import reveal_page
from core.roles import Role, has_role
from core.visibility import user_agency
from web.decorators import role_required
from web.exports import export_response
from web.forms import add_service_error
from web.listing import listing_for
from web.pagination import COUNT_UP_TO, page_of
from web.printforms import pdf_response

from . import forms, lists, metrics, services
from .models import BatchStatus, OnboardingStatus, PaymentStatus
from .permissions import (
    ACCOUNT_REVEAL_ROLES,
    BANK_FILE_ROLES,
    BANK_ROLES,
    BATCH_VIEW_ROLES,
    CHECKER_ROLES,
    COVERAGE_ROLES,
    IMPORT_VIEW_ROLES,
    MAKER_ROLES,
    PAYMENT_ROLES,
    RECIPIENT_ROLES,
    REINSTATE_ROLES,
    WRITE_ROLES,
)
from .printforms import batch_list_pdf
from .roster_import import COLUMNS, column_label
from .selectors import (
    appointment_visible_to,
    bank_appointment_visible_to,
    bank_branch_list,
    bank_branch_of,
    bank_document_of,
    bank_recipient_visible_to,
    batch_changes,
    batch_payments_for_print,
    batch_reconciliation,
    batch_visible_to,
    earlier_import_of,
    first_unpaid_month,
    get_appointment_for,
    get_bank_appointment_for,
    get_bank_recipient_for,
    get_batch_for,
    get_import_run_for,
    get_recipient_for,
    import_runs_listed,
    payments_listed,
    recipient_visible_to,
    recipients_suspended_by,
)


def _fail(request, error: ApplicationError, form=None):
    """Show a service's refusal: on the form (its field, or the whole form), else as a message."""
    if form is None:
        messages.error(request, str(error.message))
    else:
        add_service_error(form, error)


# ----------------------------------------------------------------------------- roster

@role_required(*RECIPIENT_ROLES)
def recipient_list(request):
    list_query = lists.RECIPIENTS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.RECIPIENTS, list_query)
    page = page_of(request, rows, listing.ordering.per_page, count_up_to=COUNT_UP_TO)
    lists.attach_document_numbers(page.object_list)
    rows = [(recipient, getattr(recipient, lists.DOCUMENT_NUMBER))
            for recipient in page.object_list]
    filters = list_query.filters
    if filters.get("q"):  # a search by name or case number: a bulk read of personal data
        audit_bulk_read(actor=request.user, action="recipient.search",
                        object_type="remittance.recipient", rows=len(rows), filters=filters,
                        page=page.number)
    return render(request, "remittance/recipient_list.html", {
        "form": list_query.form, "page": page, "rows": rows, "listing": listing,
        "can_import": has_role(request.user, *IMPORT_VIEW_ROLES)})


@role_required(*RECIPIENT_ROLES)
def recipient_export(request):
    return export_response(request, lists.RECIPIENTS)


def _recipient_page(request, recipient, *, bound: dict | None = None, status: int = 200):
    """The recipient page; ``bound`` replaces the empty forms with the ones just submitted
    (shown again with their errors and what was typed)."""
    can_change = recipient_visible_to(request.user, permission="change").filter(
        pk=recipient.pk).exists()
    revealable = person_numbers_revealable_by(request.user, recipient.person_id)
    documents = [(document.get_document_type_display(), mask(document.number),
                  reverse("cases:identity_document_reveal",
                          args=[recipient.person_id, document.pk]) if revealable else "")
                 for document in recipient.person.documents.all()]
    status_now = recipient.onboarding_status
    initial_branch = {"bank_branch": recipient.bank_branch_id}
    context = {
        "recipient": recipient, "documents": documents, "can_change": can_change,
        "account_masked": mask(recipient.card_account_no),
        "account_reveal_url": reverse("remittance:recipient_account_reveal", args=[recipient.pk])
        if can_change and recipient.card_account_no else "",
        "events": recipient.onboarding_events.select_related("actor")[:50],
        "appointments": recipient.appointments.select_related("branch")[:50],
        "payments": recipient.payments.select_related("batch").order_by("-period", "-id")[:36],
        "visit_form": forms.VisitForm(prefix="visit", initial=initial_branch)
        if status_now in (OnboardingStatus.NOT_STARTED, OnboardingStatus.VISIT_SCHEDULED,
                          OnboardingStatus.FAILED, OnboardingStatus.DECLINED) else None,
        "card_form": forms.CardOpenedForm(prefix="card", initial=initial_branch)
        if status_now in (OnboardingStatus.NOT_STARTED, OnboardingStatus.VISIT_SCHEDULED,
                          OnboardingStatus.FAILED) else None,
        "activate_form": forms.ActivateForm(prefix="activate")
        if status_now == OnboardingStatus.CARD_OPENED else None,
        "fail_form": forms.FailForm(prefix="fail")
        if status_now != OnboardingStatus.ACTIVATED else None,
        "appointment_form": forms.AppointmentForm(prefix="appointment"),
        "status_form": forms.RecipientStatusForm(prefix="status",
                                                 initial={"status": recipient.status}),
        "reinstate_form": forms.ReinstateForm(prefix="reinstate")
        if recipient.status == "suspended" and has_role(request.user, *REINSTATE_ROLES)
        else None,
    }
    branches = list(bank_branch_list())  # read once for the page's branch selects
    for form, name, offered in (
            (context["visit_form"], "bank_branch", branches),
            (context["card_form"], "bank_branch", branches),
            (context["appointment_form"], "branch",
             [branch for branch in branches if branch.has_priority_window])):
        if form is not None:
            form.fields[name].listed = offered
    context.update(bound or {})
    return render(request, "remittance/recipient_detail.html", context, status=status)


@role_required(*RECIPIENT_ROLES)
def recipient_detail(request, pk):
    recipient = get_recipient_for(request.user, pk)
    audit_record(actor=request.user, action="recipient.view", obj=recipient)
    return _recipient_page(request, recipient)


_ONBOARDING_ACTIONS = {
    "visit": (forms.VisitForm, lambda actor, recipient, data: services.onboarding_schedule_visit(
        actor=actor, recipient=recipient, visit_date=data["visit_date"],
        officers=data["officers"], bank_branch=data["bank_branch"])),
    "card": (forms.CardOpenedForm, lambda actor, recipient, data: services.onboarding_card_opened(
        actor=actor, recipient=recipient, on_date=data["on_date"],
        account_no=data["account_no"], bank_branch=data["bank_branch"])),
    "activate": (forms.ActivateForm, lambda actor, recipient, data: services.onboarding_activate(
        actor=actor, recipient=recipient, on_date=data["on_date"])),
    "fail": (forms.FailForm, lambda actor, recipient, data: services.onboarding_fail(
        actor=actor, recipient=recipient, on_date=data["on_date"], reason=data["reason"],
        declined=data["declined"])),
    "status": (forms.RecipientStatusForm, lambda actor, recipient, data:
               services.recipient_set_status(actor=actor, recipient=recipient,
                                             status=data["status"], note=data["note"])),
    "reinstate": (forms.ReinstateForm, lambda actor, recipient, data:
                  services.recipient_reinstate(actor=actor, recipient=recipient,
                                               note=data["note"])),
}


@require_POST
@role_required(*WRITE_ROLES)
def recipient_action(request, pk, action):
    recipient = get_recipient_for(request.user, pk, action="change")
    if action not in _ONBOARDING_ACTIONS:
        return redirect("remittance:recipient_detail", pk=pk)
    form_class, call = _ONBOARDING_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            call(request.user, recipient, form.cleaned_data)
        except ApplicationError as error:
            _fail(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("remittance:recipient_detail", pk=pk)
    form_name = {"visit": "visit_form", "card": "card_form", "activate": "activate_form",
                 "fail": "fail_form", "status": "status_form",
                 "reinstate": "reinstate_form"}[action]
    return _recipient_page(request, recipient, bound={form_name: form})


@require_POST
@role_required(*WRITE_ROLES)
def appointment_create(request, pk):
    recipient = get_recipient_for(request.user, pk, action="change")
    form = forms.AppointmentForm(request.POST, prefix="appointment")
    if form.is_valid():
        try:
            services.appointment_book(actor=request.user, recipient=recipient, **form.cleaned_data)
        except ApplicationError as error:
            _fail(request, error, form)
        else:
            messages.success(request, _("Appointment booked."))
            return redirect("remittance:recipient_detail", pk=pk)
    return _recipient_page(request, recipient, bound={"appointment_form": form})


# ---------------------------------------------------------------------- priority channel

@role_required(*RECIPIENT_ROLES)
def branch_list(request):
    form = forms.BranchForm(request.POST or None)
    can_manage = has_role(request.user, Role.FINWORK, Role.CITY)
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            services.bank_branch_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _fail(request, error, form)
        else:
            messages.success(request, _("Branch added."))
            return redirect("remittance:branch_list")
    return render(request, "remittance/branch_list.html", {
        "branches": bank_branch_list(), "form": form if can_manage else None})


@role_required(*RECIPIENT_ROLES)
def appointment_list(request):
    appointments = appointment_visible_to(request.user)
    if request.GET.get("status"):
        appointments = appointments.filter(status=request.GET["status"])
    page = page_of(request, appointments, 50)
    return render(request, "remittance/appointment_list.html", {
        "page": page, "outcome_form": forms.OutcomeForm(),
        "can_change": has_role(request.user, *WRITE_ROLES)})


@require_POST
@role_required(*WRITE_ROLES)
def appointment_outcome(request, pk):
    _record_outcome(request, get_appointment_for(request.user, pk, action="change"))
    return redirect("remittance:appointment_list")


def _record_outcome(request, appointment) -> None:
    form = forms.OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
        return
    try:
        services.appointment_record_outcome(actor=request.user, appointment=appointment,
                                            **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Outcome recorded."))


# ------------------------------------------------------------------ the partner bank's desk

_BANK_STEPS = ("visit", "card", "activate", "fail")


def _bank_forms(request, recipient, bound: dict | None = None) -> dict:
    status_now = recipient.onboarding_status
    branches = bank_branch_of(request.user)
    context = {
        "visit_form": forms.BankVisitForm(prefix="visit")
        if status_now in (OnboardingStatus.NOT_STARTED, OnboardingStatus.VISIT_SCHEDULED,
                          OnboardingStatus.FAILED, OnboardingStatus.DECLINED) else None,
        "card_form": forms.BankCardOpenedForm(prefix="card", branches=branches)
        if status_now in (OnboardingStatus.NOT_STARTED, OnboardingStatus.VISIT_SCHEDULED,
                          OnboardingStatus.FAILED) else None,
        "activate_form": forms.ActivateForm(prefix="activate")
        if status_now == OnboardingStatus.CARD_OPENED else None,
        "fail_form": forms.FailForm(prefix="fail")
        if status_now not in (OnboardingStatus.ACTIVATED, OnboardingStatus.DECLINED) else None,
    }
    context.update(bound or {})
    return context


@role_required(*BANK_ROLES)
def bank_desk(request):
    """The partner bank's desk: its appointments and the recipients routed to it, with no more
    of them than the appointment needs (name, masked identity number, card status)."""
    appointments = bank_appointment_visible_to(request.user)
    if request.GET.get("status") in ("booked", "served", "no_show", "cancelled"):
        appointments = appointments.filter(status=request.GET["status"])
    page = page_of(request, appointments, 50)
    recipients = list(bank_recipient_visible_to(request.user).exclude(
        onboarding_status=OnboardingStatus.ACTIVATED)[:200])
    people = [appointment.recipient for appointment in page.object_list] + recipients
    numbers = lists.document_numbers(people)
    return render(request, "remittance/bank_desk.html", {
        "page": page, "outcome_form": forms.OutcomeForm(),
        "rows": [(appointment, numbers.get(appointment.recipient.person_id, ""))
                 for appointment in page.object_list],
        "recipients": [(recipient, numbers.get(recipient.person_id, ""))
                       for recipient in recipients]})


@require_http_methods(["GET", "POST"])
@role_required(*BANK_ROLES)
def bank_recipient(request, pk):
    """One recipient's card opening as the bank sees it; POST records a step (``step``:
    visit, card, activate, fail)."""
    recipient = get_bank_recipient_for(request.user, pk, action="change"
                                       if request.method == "POST" else "view")
    bound = None
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step in _BANK_STEPS:
            if step == "card":
                form = forms.BankCardOpenedForm(request.POST, prefix=step,
                                                branches=bank_branch_of(request.user))
            else:
                form_class = {"visit": forms.BankVisitForm, "activate": forms.ActivateForm,
                              "fail": forms.FailForm}[step]
                form = form_class(request.POST, prefix=step)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if step == "visit":
                        services.onboarding_schedule_visit(
                            actor=request.user, recipient=recipient,
                            visit_date=data["visit_date"], officers=data["officers"])
                    else:
                        _ONBOARDING_ACTIONS[step][1](request.user, recipient, data)
                except ApplicationError as error:
                    _fail(request, error, form)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("remittance:bank_recipient", pk=pk)
            bound = {f"{step}_form": form}
        else:
            messages.error(request, _("Choose the step to record."))
    else:
        audit_record(actor=request.user, action="recipient.view", obj=recipient,
                     changes={"desk": "bank"})
    appointments = bank_appointment_visible_to(request.user).filter(recipient_id=recipient.pk)
    document = bank_document_of(recipient)
    return render(request, "remittance/bank_recipient.html", {
        "recipient": recipient,
        "document": mask(document.number) if document else "",
        "document_reveal_url": reverse("remittance:bank_document_reveal",
                                       args=[recipient.pk]) if document else "",
        "account_masked": mask(recipient.card_account_no),
        "account_reveal_url": reverse("remittance:bank_account_reveal", args=[recipient.pk])
        if recipient.card_account_no else "",
        "appointments": appointments[:50], **_bank_forms(request, recipient, bound)},
    )


@require_POST
@role_required(*BANK_ROLES)
def bank_appointment_outcome(request, pk):
    _record_outcome(request, get_bank_appointment_for(request.user, pk, action="change"))
    return redirect("remittance:bank_desk")


# ---------------------------------------------------------------------------- imports

@require_http_methods(["GET", "POST"])
@role_required(*IMPORT_VIEW_ROLES)
def import_list(request):
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.roster_import_preview(actor=request.user,
                                                 uploaded_file=form.cleaned_data["file"],
                                                 is_full_roster=form.is_full_roster)
        except ApplicationError as error:
            _fail(request, error, form)
        else:
            return redirect("remittance:import_detail", pk=run.pk)
    page = page_of(request, import_runs_listed(request.user), 20)
    return render(request, "remittance/import_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
@role_required(*IMPORT_VIEW_ROLES)
def import_detail(request, pk):
    run = get_import_run_for(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                services.roster_import_discard(actor=request.user, import_run=run)
                messages.info(request, _("The import was discarded."))
            else:
                run = services.roster_import_commit(actor=request.user, import_run=run)
                messages.success(request, _(
                    "Imported: %(added)s added, %(changed)s changed, %(unchanged)s unchanged, "
                    "%(suspended)s suspended.") % {"suspended": 0, **run.summary})
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return redirect("remittance:import_detail", pk=pk)
    errors = [{**error, "label": column_label(error["column"])}
              for error in run.preview.get("errors", [])[:1000]]
    diff = run.preview.get("diff", {})
    earlier = earlier_import_of(request.user, run)
    return render(request, "remittance/import_detail.html", {
        "run": run, "errors": errors, "more_errors": max(0, run.error_count - 1000),
        "diff": diff, "added": diff.get("added", [])[:200],
        "changed": [{**item, "labels": [column_label(f) for f in item["fields"]]}
                    for item in diff.get("changed", [])[:200]],
        "disappeared": diff.get("disappeared", [])[:200], "earlier": earlier,
        "suspended": recipients_suspended_by(request.user, run)[:500],
        "can_reinstate": has_role(request.user, *REINSTATE_ROLES)})


@role_required(*IMPORT_VIEW_ROLES)
def import_template(request, kind):
    """The roster template, with the Chinese header and one example row."""
    header = [chinese for _key, chinese, _label in COLUMNS]
    example = ["IAS-2022-00001", "陈大文", "1234567(8)", "M12345678", "1950-05-01", "男",
               "珠海市香洲区拱北街道示例路1号", "香洲区", "13800000000", "定期援助", "3450.00",
               "2022-01-01"]
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerow(example)
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "roster"
    sheet.append(header)
    sheet.append(example)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[FileKind.XLSX])
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


# ---------------------------------------------------------------------------- batches

@require_http_methods(["GET", "POST"])
@role_required(*BATCH_VIEW_ROLES)
def batch_list(request):
    can_prepare = has_role(request.user, *MAKER_ROLES)
    form = forms.BatchPrepareForm(request.POST or None, initial={
        "rate_date": timezone.localdate(), "period": first_unpaid_month()})
    if request.method == "POST" and can_prepare and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_prepare(actor=request.user, period=data["period"],
                                           rate=services.parse_rate(data["rate"]),
                                           rate_date=data["rate_date"],
                                           rate_source=data["rate_source"],
                                           rate_confirmed=data["rate_confirmed"])
        except ApplicationError as error:
            _fail(request, error, form)
        else:
            messages.success(request, _("Batch %(number)s prepared; another officer must now "
                                        "approve it.") % {"number": batch.number})
            return redirect("remittance:batch_detail", pk=batch.pk)
    return render(request, "remittance/batch_list.html", {
        "page": page_of(request, batch_visible_to(request.user), 24),
        "form": form if can_prepare else None})


@role_required(*BATCH_VIEW_ROLES)
def batch_detail(request, pk):
    batch = get_batch_for(request.user, pk)
    payments = payments_listed(request.user).filter(batch=batch)
    if request.GET.get("status") in PaymentStatus.values:
        payments = payments.filter(status=request.GET["status"])
    page = page_of(request, payments.order_by("reference"), 50)
    return render(request, "remittance/batch_detail.html", {
        "batch": batch, "page": page, "report": batch_reconciliation(batch),
        "can_approve": has_role(request.user, *CHECKER_ROLES) and batch.can_approve(request.user),
        "is_maker_only": batch.prepared_by_id == request.user.pk,
        "can_export": has_role(request.user, *BANK_FILE_ROLES) and batch.can_export,
        "can_import": (has_role(request.user, *MAKER_ROLES, *CHECKER_ROLES)
                       and batch.can_import_results),
        "reject_form": forms.RejectForm(), "result_form": forms.ResultUploadForm(),
        "result_files": batch.result_files.select_related("imported_by"),
        "statuses": PaymentStatus.choices})


@role_required(*CHECKER_ROLES)
def batch_check(request, pk):
    """The checker's check page: count, totals, rate and its date, and who was added or dropped
    since the previous month's batch; confirming posts to ``batch_decide``."""
    batch = get_batch_for(request.user, pk, action="change")
    if not batch.can_approve(request.user):
        if batch.status == BatchStatus.PREPARED:
            messages.error(request, _("The officer who prepared a batch cannot approve it; "
                                      "another officer must check it."))
        else:
            messages.info(request, _("Only a prepared batch can be approved."))
        return redirect("remittance:batch_detail", pk=pk)
    return render(request, "remittance/batch_check.html", {
        "batch": batch, "changes": batch_changes(request.user, batch),
        "reject_form": forms.RejectForm()})


@role_required(*CHECKER_ROLES)
def batch_approved(request, pk):
    """The confirmation page after the approval, with what happens next."""
    batch = get_batch_for(request.user, pk)
    if batch.status == BatchStatus.PREPARED or batch.approved_by_id is None:
        return redirect("remittance:batch_detail", pk=pk)
    return render(request, "remittance/batch_approved.html", {"batch": batch})


@require_POST
@role_required(*CHECKER_ROLES)
def batch_decide(request, pk):
    """Approve (from the check page, ``confirm=yes``) or reject a prepared batch. An approval
    not confirmed on the check page is sent there first."""
    batch = get_batch_for(request.user, pk, action="change")
    action = request.POST.get("action")
    if action != "reject" and request.POST.get("confirm") != "yes":
        return redirect("remittance:batch_check", pk=pk)
    try:
        if action == "reject":
            form = forms.RejectForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Give the reason."), field="reason")
            services.batch_reject(actor=request.user, batch=batch,
                                  reason=form.cleaned_data["reason"])
            messages.info(request, _("The batch was rejected."))
        else:
            services.batch_approve(actor=request.user, batch=batch)
            return redirect("remittance:batch_approved", pk=pk)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("remittance:batch_detail", pk=pk)


@role_required(*BANK_FILE_ROLES)
def batch_bank_file(request, pk):
    batch = get_batch_for(request.user, pk, action="export")
    if request.method != "POST" and not batch.export_file:
        return redirect("remittance:batch_detail", pk=pk)
    try:
        batch = services.batch_export(actor=request.user, batch=batch)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("remittance:batch_detail", pk=pk)
    return protected_file_response(batch.export_file, download_name=f"{batch.number}.csv")


@require_POST
@role_required(*BANK_FILE_ROLES)
def batch_results(request, pk):
    batch = get_batch_for(request.user, pk, action="change")
    form = forms.ResultUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the bank's result file."))
        return redirect("remittance:batch_detail", pk=pk)
    try:
        result, created = services.batch_result_import(actor=request.user, batch=batch,
                                                       uploaded_file=form.cleaned_data["file"])
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        if created:
            messages.success(request, _("Results recorded: %(paid)s paid, %(failed)s failed, "
                                        "%(unchanged)s already recorded.")
                             % {"paid": result.paid_count, "failed": result.failed_count,
                                "unchanged": result.unchanged_count})
        else:
            messages.info(request, _("This file was already imported; nothing changed."))
    return redirect("remittance:batch_detail", pk=pk)


@role_required(*PAYMENT_ROLES)
def payment_list(request):
    rows, listing = listing_for(request, lists.PAYMENTS,
                                lists.PAYMENTS.query(request.user, request.GET))
    return render(request, "remittance/payment_list.html", {
        "page": page_of(request, rows, listing.ordering.per_page), "listing": listing,
        "statuses": PaymentStatus.choices})


@role_required(*PAYMENT_ROLES)
def payment_export(request):
    return export_response(request, lists.PAYMENTS)


# ---------------------------------------------------------------------------- coverage

@role_required(*COVERAGE_ROLES)
def coverage(request):
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, day=1)
    district = None
    if has_role(request.user, Role.DISTRICT) and not has_role(
            request.user, Role.CITY, Role.FINWORK):
        staff = getattr(request.user, "staff", None)
        district = staff.agency.district if staff else None
    data = cached_figures("remittance", metrics.figures, start=start, end=today, district=district)
    by_district = [(District(code).label if code in District.values else code, row)
                   for code, row in data["activation_by_district"].items()]
    return render(request, "remittance/coverage.html", {
        "data": data, "by_district": by_district, "start": start, "end": today,
        "rate_percent": data["activation_rate"] * 100})


# ----------------------------------------------------------------------------- full numbers

def _account_reveal(request, recipient, back_url):
    return reveal_page(
        request, record=f"{recipient.person.name_zh} · {recipient.ias_case_no}",
        kind=_("Card account number"), masked=mask(recipient.card_account_no),
        back_url=back_url,
        reveal=lambda reason, note: services.recipient_account_reveal(
            actor=request.user, recipient=recipient, reason=reason, note=note))


@require_http_methods(["GET", "POST"])
@role_required(*ACCOUNT_REVEAL_ROLES)
def recipient_account_reveal(request, pk):
    """The card account number in full, with a reason, for the officers who record the card
    onboarding (core.reveal)."""
    recipient = get_recipient_for(request.user, pk, action="change")
    return _account_reveal(request, recipient,
                           reverse("remittance:recipient_detail", args=[recipient.pk]))


@require_http_methods(["GET", "POST"])
@role_required(*BANK_ROLES)
def bank_account_reveal(request, pk):
    """The card account number in full at the bank's desk, with a reason."""
    recipient = get_bank_recipient_for(request.user, pk, action="reveal")
    return _account_reveal(request, recipient,
                           reverse("remittance:bank_recipient", args=[recipient.pk]))


@require_http_methods(["GET", "POST"])
@role_required(*BANK_ROLES)
def bank_document_reveal(request, pk):
    """The Macau ID (else travel-permit) number in full at the bank's desk (identity check at
    the counter), with a reason."""
    recipient = get_bank_recipient_for(request.user, pk, action="reveal")
    document = bank_document_of(recipient)
    if document is None:
        raise Http404
    return reveal_page(
        request, record=f"{recipient.person.name_zh} · {recipient.ias_case_no}",
        kind=document.get_document_type_display(), masked=mask(document.number),
        back_url=reverse("remittance:bank_recipient", args=[recipient.pk]),
        reveal=lambda reason, note: services.recipient_document_reveal(
            actor=request.user, recipient=recipient, document=document, reason=reason,
            note=note))


@role_required(*BATCH_VIEW_ROLES)
def batch_list_form(request, pk):
    """The batch's payment list for signature, as a PDF (every payment the user may see)."""
    batch = get_batch_for(request.user, pk)
    payments = batch_payments_for_print(request.user, batch)
    agency = user_agency(request.user)
    content = batch_list_pdf(batch, payments, issuer=agency.name if agency else "")
    audit_record(actor=request.user, action="batch.list_print", obj=batch)
    return pdf_response(content, f"payment-batch-{batch.number}.pdf")
