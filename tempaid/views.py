"""Pages. Views gate by role, fetch through the selectors (404 alike for missing and forbidden)
and write through the services; ApplicationError becomes a message and nothing is saved."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.fields import initial_case
from cases.selectors import case_visible_to
from core import bulk
from core.assignment import may_reassign
from core.audit import audit_bulk_read, audit_record
from core.db import load_related
from core.errors import ApplicationError
from core.files import protected_file_response
from core.money import parse_amount
from core.roles import Role, has_role
from core.visibility import agencies_shared_with, user_agency
from web.decorators import role_required
from web.exports import export_response
from web.forms import OfficerForm
from web.listing import listing_for
from web.pagination import page_of
from web.printforms import pdf_response

from . import exports, forms, lists, selectors, services
from .models import Application, EntryKind, Status
from .permissions import APPLICATION_ROLES, APPROVAL_FORM_ROLES, FILER_ROLES
from .printforms import approval_form_pdf


def _error(request, error: ApplicationError, form=None) -> None:
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, str(error.message))
    else:
        messages.error(request, str(error.message))


@role_required(*APPLICATION_ROLES)
@require_GET
def application_list(request):
    list_query = lists.APPLICATIONS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.APPLICATIONS, list_query)
    page = page_of(request, rows, listing.ordering.per_page)
    if list_query.filters.get("q"):  # a search by name or number: a bulk read of personal data
        audit_bulk_read(actor=request.user, action="application.search",
                        object_type="tempaid.application", rows=len(page.object_list),
                        filters=list_query.filters, page=page.number)
    return render(request, "tempaid/application_list.html", {
        "form": list_query.form, "page": page, "listing": listing})


@role_required(*APPLICATION_ROLES)
@require_GET
def application_export(request):
    return export_response(request, lists.APPLICATIONS)


def _eligible_cases(user):
    agency = user_agency(user)
    return (case_visible_to(user).filter(district=agency.district if agency else "__none__",
                                         subject__residence_status__in=services.ELIGIBLE_RESIDENCE)
            .exclude(status="closed").select_related("subject").order_by("-opened_at"))


@role_required(*FILER_ROLES)
@require_http_methods(["GET", "POST"])
def application_create(request):
    cases = _eligible_cases(request.user)
    form = forms.ApplicationForm(request.POST or None, cases=cases,
                                 initial={"case": initial_case(cases, request.GET.get("case"))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(
                actor=request.user, case=data["case"], kind=data["kind"],
                description=data["description"], household_situation=data["household_situation"],
                amount_requested=data["amount_requested"], is_fast_track=data["is_fast_track"])
        except ApplicationError as error:
            _error(request, error, form)
        else:
            messages.success(request, _("Draft %(number)s saved. Add supporting documents and "
                                        "submit it.") % {"number": application.number})
            return redirect("tempaid:detail", pk=application.pk)
    return render(request, "tempaid/application_form.html", {"form": form})


@role_required(Role.DISTRICT)
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = selectors.get_application_for(request.user, pk, action="change")
    initial = {name: getattr(application, name) for name in (
        "kind", "description", "household_situation", "amount_requested", "is_fast_track")}
    form = forms.ApplicationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(actor=request.user, application=application,
                                        **form.cleaned_data)
        except ApplicationError as error:
            _error(request, error, form)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("tempaid:detail", pk=application.pk)
    return render(request, "tempaid/application_form.html", {"form": form,
                                                            "application": application})


def _actions_for(user, application: Application) -> list[str]:
    """The workflow steps this user may offer on this application (the services decide)."""
    actions = []
    agency = user_agency(user)
    in_district = has_role(user, Role.DISTRICT) and agency is not None and \
        agency.district == application.district
    is_city = has_role(user, Role.CITY)
    status = application.status
    if in_district:
        if status == Status.DRAFT:
            actions += ["edit", "submit"]
        if status == Status.SUBMITTED:
            actions.append("review")
        if status == Status.DISTRICT_REVIEW:
            actions += ["forward"] if application.route in ("city", "key_case") else ["approve"]
            actions.append("reject")
        if application.can_complete_paperwork():
            actions.append("paperwork")
    if is_city and status == Status.CITY_REVIEW:
        actions += ["approve", "reject"]
    if has_role(user, Role.FINANCE):
        if status == Status.APPROVED:
            actions.append("pay")
        if status == Status.PAID:
            actions.append("reverse")
    if (in_district or is_city) and application.can_close():
        actions.append("close")
    if (in_district or is_city) and application.can_withdraw():
        actions.append("withdraw")
    if in_district or is_city:
        actions.append("share")
    return actions


@role_required(*APPLICATION_ROLES)
@require_GET
def application_detail(request, pk):
    application = selectors.get_application_for(request.user, pk)
    load_related(application, "created_by", "decided_by", "paid_by")
    audit_record(actor=request.user, action="application.view", obj=application)
    actions = _actions_for(request.user, application)
    context = {
        "application": application, "actions": actions,
        "documents": application.documents.all(),
        "entries": application.ledger_entries.order_by("booked_at", "id"),
        "shared_with": agencies_shared_with(application) if "share" in actions else [],
        "action_titles": _ACTION_TITLES,
        "document_form": forms.DocumentForm(),
        "can_print": has_role(request.user, *APPROVAL_FORM_ROLES),
        "may_reassign": application.is_open()
        and may_reassign(request.user, application.owner_agency),
        "can_upload": has_role(request.user, Role.DISTRICT) and "share" in actions
        and application.status not in (Status.CLOSED, Status.WITHDRAWN, Status.REJECTED),
    }
    return render(request, "tempaid/application_detail.html", context)


@role_required(Role.DISTRICT)
@require_http_methods(["GET", "POST"])
def application_assign(request):
    """Give the ticked applications (or one, from its page: ``?ids=``) to another officer of
    the district bureau: the team lead, each through ``application_assign``."""
    return bulk.handle(request, bulk.BulkAction(
        title=_("Reassign relief applications"), confirm_label=_("Assign"),
        back_url=reverse("tempaid:list"),
        fetch=lambda user, pk: selectors.get_application_for(user, pk, action="change"),
        perform=lambda user, item, data: services.application_assign(
            actor=user, application=item, officer=data["officer"]),
        describe=lambda item: item.number, form_class=OfficerForm))




@role_required(*APPROVAL_FORM_ROLES)
@require_GET
def approval_form(request, pk):
    """The relief approval form as a PDF, for the file and its signatures."""
    application = selectors.get_application_for(request.user, pk)
    load_related(application, "created_by", "decided_by", "paid_by")
    content = approval_form_pdf(application)
    audit_record(actor=request.user, action="application.form_print", obj=application)
    return pdf_response(content, f"approval-form-{application.number}.pdf")


_ACTIONS = {
    "submit": (forms.SubmitForm, lambda user, app, d: services.application_submit(
        actor=user, application=app, frequency_override_reason=d["frequency_override_reason"]),
        gettext_lazy("Submitted.")),
    "review": (None, lambda user, app, d: services.application_review_start(
        actor=user, application=app), gettext_lazy("Taken into district review.")),
    "approve": (forms.ApproveForm, lambda user, app, d: services.application_approve(
        actor=user, application=app, amount=d["amount"], note=d["note"],
        frequency_override_reason=d["frequency_override_reason"]), gettext_lazy("Approved.")),
    "forward": (forms.NoteForm, lambda user, app, d: services.application_forward(
        actor=user, application=app, note=d["note"]),
        gettext_lazy("Forwarded to the city bureau.")),
    "reject": (forms.ReasonForm, lambda user, app, d: services.application_reject(
        actor=user, application=app, reason=d["reason"]), gettext_lazy("Rejected.")),
    "withdraw": (forms.ReasonForm, lambda user, app, d: services.application_withdraw(
        actor=user, application=app, reason=d["reason"]), gettext_lazy("Withdrawn.")),
    "pay": (forms.PaymentForm, lambda user, app, d: services.application_payment_record(
        actor=user, application=app, payment_reference=d["payment_reference"]),
        gettext_lazy("Payment recorded.")),
    "reverse": (forms.ReasonForm, lambda user, app, d: services.application_payment_reverse(
        actor=user, application=app, reason=d["reason"]), gettext_lazy("Payment reversed.")),
    "paperwork": (None, lambda user, app, d: services.application_paperwork_complete(
        actor=user, application=app), gettext_lazy("Paperwork recorded as complete.")),
    "close": (None, lambda user, app, d: services.application_close(
        actor=user, application=app), gettext_lazy("Closed.")),
    "share": (forms.ShareForm, lambda user, app, d: services.application_share(
        actor=user, application=app, agency=d["agency"], reason=d["reason"]),
        gettext_lazy("Shared.")),
}


#: Headings of the short page of each step (its button on the detail page says the same).
_ACTION_TITLES = {
    "submit": gettext_lazy("Submit the application"),
    "review": gettext_lazy("Take into district review"),
    "approve": pgettext_lazy("tempaid", "Approve the application"),
    "forward": gettext_lazy("Forward to the city bureau"),
    "reject": pgettext_lazy("tempaid", "Reject the application"),
    "withdraw": gettext_lazy("Withdraw the application"),
    "pay": gettext_lazy("Record the payment"),
    "reverse": gettext_lazy("Reverse the payment"),
    "paperwork": gettext_lazy("Fast-track paperwork complete"),
    "close": gettext_lazy("Close the application"),
    "share": gettext_lazy("Share with Macau or Hengqin"),
}
#: Steps that move money or cannot be undone: a check page comes between the form and the
#: service, and a confirmation page after it.
_CHECKED_ACTIONS = ("approve",)


def _action_page(request, application, action, form, *, status=200):
    return render(request, "tempaid/application_action.html", {
        "application": application, "action": action, "form": form,
        "title": _ACTION_TITLES[action],
        "shared_with": agencies_shared_with(application) if action == "share" else []},
        status=status)


def _approval_check_page(request, application, form):
    """The check page of an approval: the amount, whose it is, the fund's balance after; the
    officer confirms or goes back to change the amount."""
    data = form.cleaned_data
    try:
        amount = (application.amount_requested if data["amount"] in (None, "")
                  else parse_amount(data["amount"]))
    except ValidationError as error:
        form.add_error("amount", error.messages[0])
        return _action_page(request, application, "approve", form, status=400)
    return render(request, "tempaid/application_approve_check.html", {
        "application": application, "form": form, "amount": amount,
        "preview": selectors.approval_preview(request.user, application, amount)})


@role_required(Role.DISTRICT, Role.CITY, Role.FINANCE)
@require_http_methods(["GET", "POST"])
def application_action(request, pk, action):
    """A step of the workflow. GET: its own short page (the form of this step alone). POST: the
    step; for a step that moves money (approve) a POST without ``confirm`` shows the check page
    first, and the confirmed one leads to a confirmation page."""
    if action not in _ACTIONS:
        raise Http404
    application = selectors.get_application_for(request.user, pk, action=action)
    form_class, run, done = _ACTIONS[action]
    if request.method == "GET":
        if action not in _actions_for(request.user, application):
            messages.info(request, _("This step is not open on this application now."))
            return redirect("tempaid:detail", pk=application.pk)
        form = form_class(auto_id=f"id_{action}_%s") if form_class else None
        return _action_page(request, application, action, form)
    form = form_class(request.POST, auto_id=f"id_{action}_%s") if form_class else None
    if form is not None and not form.is_valid():
        return _action_page(request, application, action, form, status=400)
    if action in _CHECKED_ACTIONS and request.POST.get("confirm") != "yes":
        return _approval_check_page(request, application, form)
    try:
        run(request.user, application, form.cleaned_data if form else {})
    except ApplicationError as error:
        if form is not None and error.field and error.field in form.fields:
            form.add_error(error.field, str(error.message))
            return _action_page(request, application, action, form, status=400)
        messages.error(request, str(error.message))
    else:
        if action in _CHECKED_ACTIONS:
            return redirect("tempaid:done", pk=application.pk, action=action)
        messages.success(request, done)
    if selectors.application_visible_to(request.user).filter(pk=application.pk).exists():
        return redirect("tempaid:detail", pk=application.pk)
    return redirect("tempaid:list")


@role_required(Role.DISTRICT, Role.CITY, Role.FINANCE)
@require_GET
def application_action_done(request, pk, action):
    """The confirmation page after a checked step: what was done and what happens next."""
    if action not in _CHECKED_ACTIONS:
        raise Http404
    application = selectors.get_application_for(request.user, pk)
    if application.status not in (Status.APPROVED, Status.PAID, Status.CLOSED):
        return redirect("tempaid:detail", pk=application.pk)
    load_related(application, "decided_by")
    return render(request, "tempaid/application_done.html", {"application": application})


@role_required(Role.DISTRICT)
@require_POST
def document_upload(request, pk):
    application = selectors.get_application_for(request.user, pk, action="change")
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_document_add(actor=request.user, application=application,
                                              file=form.cleaned_data["file"],
                                              description=form.cleaned_data["description"])
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Document added."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("tempaid:detail", pk=application.pk)


@role_required(*APPLICATION_ROLES)
@require_GET
def document_download(request, pk, document_pk):
    application = selectors.get_application_for(request.user, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    audit_record(actor=request.user, action="application.document_view", obj=application,
                 changes={"document": document.pk})
    return protected_file_response(document.file, download_name=document.original_name)


# --- the fund --------------------------------------------------------------------------

@role_required(Role.CITY, Role.FINANCE)
@require_http_methods(["GET", "POST"])
def fund_detail(request):
    fund = selectors.get_fund_for(request.user, request.GET.get("fund") or None)
    here = f"{reverse('tempaid:fund')}?fund={fund.pk}"
    allocation_form = forms.AllocationForm(prefix="allocation")
    threshold_form = forms.ThresholdForm(prefix="threshold",
                                         initial={"low_balance_threshold": fund.low_balance_threshold})
    if request.method == "POST":
        if not has_role(request.user, Role.FINANCE):

            raise PermissionDenied
        if "allocate" in request.POST:
            allocation_form = forms.AllocationForm(request.POST, prefix="allocation")
            if allocation_form.is_valid():
                data = allocation_form.cleaned_data
                try:
                    services.fund_allocate(actor=request.user, fund=fund, amount=data["amount"],
                                           allocated_on=data["allocated_on"],
                                           document_reference=data["document_reference"])
                except ApplicationError as error:
                    _error(request, error, allocation_form)
                else:
                    messages.success(request, _("Allocation recorded."))
                    return redirect(here)
        elif "threshold" in request.POST:
            threshold_form = forms.ThresholdForm(request.POST, prefix="threshold")
            if threshold_form.is_valid():
                try:
                    services.fund_threshold_set(
                        actor=request.user, fund=fund,
                        low_balance_threshold=threshold_form.cleaned_data["low_balance_threshold"])
                except ApplicationError as error:
                    _error(request, error, threshold_form)
                else:
                    messages.success(request, _("Threshold saved."))
                    return redirect(here)
    if request.method == "POST":  # a service that refused may have changed it in memory
        fund.refresh_from_db()
    today = timezone.localdate()
    return render(request, "tempaid/fund.html", {
        "fund": fund, "funds": selectors.fund_visible_to(request.user).order_by("kind", "id"),
        "allocations": selectors.allocations_visible_to(request.user)
        .filter(fund=fund)[:20],
        "entries": selectors.ledger_visible_to(request.user).filter(fund=fund)
        .order_by("-booked_at", "-id")[:20],
        "allocation_form": allocation_form, "threshold_form": threshold_form,
        "can_allocate": has_role(request.user, Role.FINANCE),
        "statement_form": forms.StatementForm(initial={"start": today.replace(day=1),
                                                       "end": today}),
    })


@role_required(Role.CITY, Role.FINANCE)
@require_GET
def ledger_export(request):
    """The fund's ledger entries of the statement's period, as Excel or CSV (the statement
    itself, with its balances, is the page's own Excel/PDF)."""
    return export_response(request, lists.LEDGER)


@role_required(Role.CITY, Role.FINANCE)
@require_GET
def fund_statement(request):
    fund = selectors.get_fund_for(request.user, request.GET.get("fund") or None)
    today = timezone.localdate()
    form = forms.StatementForm(request.GET or None,
                               initial={"start": date(today.year, 1, 1), "end": today})
    statement = None
    if form.is_valid():
        statement = selectors.fund_statement(fund, form.cleaned_data["start"],
                                             form.cleaned_data["end"])
        output = request.GET.get("format", "")
        if output in ("xlsx", "pdf"):
            audit_record(actor=request.user, action="fund.statement_export", obj=fund,
                         changes={"format": output, "start": statement.start.isoformat(),
                                  "end": statement.end.isoformat()})
            name = f"fund-statement-{statement.start:%Y%m%d}-{statement.end:%Y%m%d}.{output}"
            if output == "xlsx":
                response = HttpResponse(
                    exports.statement_xlsx(statement),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            else:
                response = HttpResponse(
                    exports.statement_pdf(statement, generated_by=request.user.get_username()),
                    content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "tempaid/statement.html", {
        "form": form, "statement": statement, "fund": fund, "query": request.GET.urlencode(),
        "ledger_export": reverse("tempaid:ledger_export"),
        "kinds": EntryKind})


# --- policy ----------------------------------------------------------------------------

@role_required(Role.CITY, Role.DISTRICT, Role.FINANCE)
@require_http_methods(["GET", "POST"])
def policy_list(request):
    can_edit = has_role(request.user, Role.CITY)
    form = forms.PolicyForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:

            raise PermissionDenied
        if form.is_valid():
            try:
                services.policy_version_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                _error(request, error, form)
            else:
                messages.success(request, _("Policy version saved."))
                return redirect("tempaid:policies")
    versions = selectors.policy_versions(request.user)
    try:
        current = services.policy_in_effect()
    except ApplicationError:
        current = None
    return render(request, "tempaid/policies.html", {"versions": versions, "form": form,
                                                     "current": current})
