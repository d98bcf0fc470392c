"""HTML pages. Views call services and selectors only; every object is fetched through its
selector (404 alike for missing and forbidden)."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from cases.fields import initial_case
from cases.models import CaseStatus
from cases.selectors import case_visible_to, person_visible_to
from core import bulk
from core.audit import audit_record
from core.cache import cached_figures
from core.db import record_id
from core.errors import ApplicationError
from core.files import protected_file_response
from core.models import AuditOutcome, SpreadsheetImportKind
from core.roles import Role, has_role
from web import import_views
from web.decorators import role_required
from web.exports import export_response
from web.forms import add_service_error
from web.listing import listing_for
from web.pagination import page_of
from zhuao.formats import date_display

from . import lists, services
from .forms import (
    ConsentForm,
    ContractFilterForm,
    ContractForm,
    DeclineForm,
    EvaluationForm,
    FiguresForm,
    InboundReferralForm,
    KpiForm,
    MilestoneForm,
    OrganisationForm,
    ReferralForm,
    ServiceRecordForm,
    SocialWorkerForm,
)
from .kpis import kpi_actuals
from .metrics import figures as partner_figures
from .metrics import kpi_rows
from .models import (
    ContractStatus,
    MilestoneStatus,
    OrganisationStatus,
    ReferralStatus,
    ServiceType,
)
from .permissions import (
    LIAISON_REFERRER_ROLES,
    LIST_ROLES,
    OFFICER_ROLES,
    REFERRAL_ROLES,
    REFERRER_ROLES,
    VIEWER_ROLES,
)
from .selectors import (
    contract_visible_to,
    evaluation_visible_to,
    expiring_social_workers_for,
    get_contract_for,
    get_evaluation_for,
    get_organisation_for,
    get_referral_for,
    get_service_record_for,
    get_social_worker_for,
    is_provider_view,
    may_see_contract_pages,
    organisation_visible_to,
    referable_contracts,
    referral_service_summary,
    referral_visible_to,
    running_contract_kpis,
    service_record_visible_to,
    social_worker_visible_to,
    user_organisation,
)
from .service_import import COLUMNS

# ------------------------------------------------------------------------ organisations

@role_required(*VIEWER_ROLES)
def organisation_list(request):
    organisations = organisation_visible_to(request.user)
    return render(request, "partners/organisation_list.html", {
        "page": page_of(request, organisations),
        "can_add": has_role(request.user, Role.CITY)})


@role_required(*VIEWER_ROLES)
def organisation_detail(request, pk):
    organisation = get_organisation_for(request.user, pk)
    workers = social_worker_visible_to(request.user).filter(organisation=organisation)
    contracts = contract_visible_to(request.user).filter(provider=organisation)
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation, "workers": workers, "contracts": contracts,
        "can_edit": has_role(request.user, Role.CITY)})


@role_required(Role.CITY)
def organisation_create(request, pk=None):
    organisation = get_organisation_for(request.user, pk, action="change") if pk else None
    initial = OrganisationForm.initial_from(organisation) if organisation else None
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if organisation:
                organisation = services.organisation_update(
                    actor=request.user, organisation=organisation, **form.cleaned_data)
            else:
                organisation = services.organisation_create(actor=request.user,
                                                            **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("partners:organisation_detail", pk=organisation.pk)
    return render(request, "partners/form.html", {
        "form": form, "title": _("Edit organisation") if organisation else _("New organisation"),
        "multipart": False})


# ------------------------------------------------------------------------ social workers

@role_required(Role.CITY, Role.DISTRICT, Role.NGO)
def social_worker_list(request):
    workers = social_worker_visible_to(request.user)
    expiring = request.GET.get("expiring") == "1"
    if expiring:

        workers = expiring_social_workers_for(request.user)
    return render(request, "partners/social_worker_list.html", {
        "page": page_of(request, workers), "expiring": expiring,
        "can_add": has_role(request.user, Role.CITY)})


@role_required(Role.CITY, Role.DISTRICT, Role.NGO)
def social_worker_detail(request, pk):
    worker = get_social_worker_for(request.user, pk)
    return render(request, "partners/social_worker_detail.html", {
        "worker": worker, "can_edit": has_role(request.user, Role.CITY)})


@role_required(Role.CITY)
def social_worker_create(request, pk=None):
    worker = get_social_worker_for(request.user, pk, action="change") if pk else None
    initial = SocialWorkerForm.initial_from(worker) if worker else None
    form = SocialWorkerForm(
        request.POST or None, initial=initial,
        organisations=organisation_visible_to(request.user).filter(
            status=OrganisationStatus.ACTIVE),
        workers=social_worker_visible_to(request.user).filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            if worker:
                worker = services.social_worker_update(actor=request.user, worker=worker,
                                                       **form.cleaned_data)
            else:
                worker = services.social_worker_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The social worker was saved."))
            return redirect("partners:social_worker_detail", pk=worker.pk)
    return render(request, "partners/form.html", {
        "form": form, "title": _("Edit social worker") if worker else _("New social worker")})


# ----------------------------------------------------------------------------- contracts

@role_required(*VIEWER_ROLES)
def contract_list(request):
    form = ContractFilterForm(request.GET or None)
    contracts = contract_visible_to(request.user)
    if form.is_valid() and form.cleaned_data["status"]:
        contracts = contracts.filter(status=form.cleaned_data["status"])
    return render(request, "partners/contract_list.html", {
        "form": form, "page": page_of(request, contracts),
        "can_add": has_role(request.user, Role.CITY)})


@role_required(*VIEWER_ROLES)
def contract_detail(request, pk):
    contract = get_contract_for(request.user, pk)
    progress = kpi_actuals(contract.kpis.all())
    user = request.user
    context = {
        "contract": contract, "progress": progress,
        "milestones": contract.milestones.all(),
        "evaluations": evaluation_visible_to(user).filter(contract=contract),
        "referral_count": referral_visible_to(user).filter(contract=contract).count(),
        "is_city": has_role(user, Role.CITY), "is_finance": has_role(user, Role.FINANCE),
        "kpi_form": KpiForm(), "milestone_form": MilestoneForm(),
    }
    return render(request, "partners/contract_detail.html", context)


@role_required(Role.CITY)
def contract_create(request, pk=None):
    contract = get_contract_for(request.user, pk, action="change") if pk else None
    initial = None
    if contract:
        initial = {"title": contract.title, "budget": contract.budget,
                   "period_start": contract.period_start, "period_end": contract.period_end,
                   "service_scope": contract.service_scope}
    form = ContractForm(request.POST or None, initial=initial, editing=bool(contract),
                        providers=organisation_visible_to(request.user).filter(
                            status=OrganisationStatus.ACTIVE))
    if request.method == "POST" and form.is_valid():
        try:
            if contract:
                contract = services.contract_update(actor=request.user, contract=contract,
                                                    **form.cleaned_data)
            else:
                contract = services.contract_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The contract was saved."))
            return redirect("partners:contract_detail", pk=contract.pk)
    return render(request, "partners/form.html", {
        "form": form, "title": _("Edit contract") if contract else _("New service contract")})


@require_POST
@role_required(Role.CITY)
def contract_kpi_add(request, pk):
    contract = get_contract_for(request.user, pk, action="change")
    form = KpiForm(request.POST)
    if form.is_valid():
        try:
            services.contract_kpi_add(actor=request.user, contract=contract, **form.cleaned_data)
            messages.success(request, _("The KPI was added."))
        except ApplicationError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Please correct the KPI: %(errors)s")
                       % {"errors": "; ".join(m for ms in form.errors.values() for m in ms)})
    return redirect("partners:contract_detail", pk=contract.pk)


@require_POST
@role_required(Role.CITY)
def milestone_add(request, pk):
    contract = get_contract_for(request.user, pk, action="change")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, contract=contract, **form.cleaned_data)
            messages.success(request, _("The milestone was added."))
        except ApplicationError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Please correct the milestone: %(errors)s")
                       % {"errors": "; ".join(m for ms in form.errors.values() for m in ms)})
    return redirect("partners:contract_detail", pk=contract.pk)


CONTRACT_STEPS = {
    "finance-check": (services.contract_finance_check, (Role.FINANCE,),
                      gettext_lazy("The contract was checked.")),
    "approve": (services.contract_approve, (Role.CITY,), gettext_lazy("The contract was approved.")),
    "activate": (services.contract_activate, (Role.CITY,), gettext_lazy("The contract is active.")),
    "begin-closing": (services.contract_begin_closing, (Role.CITY,),
                      gettext_lazy("The contract is being closed.")),
    "close": (services.contract_close, (Role.CITY,), gettext_lazy("The contract was closed.")),
}


@require_POST
@role_required(Role.CITY, Role.FINANCE)
def contract_step(request, pk, step):
    if step not in CONTRACT_STEPS:
        raise Http404
    service, roles, done = CONTRACT_STEPS[step]
    if not has_role(request.user, *roles):
        raise PermissionDenied
    contract = get_contract_for(request.user, pk, action="change")
    try:
        service(actor=request.user, contract=contract)
        messages.success(request, done)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("partners:contract_detail", pk=contract.pk)


@require_POST
@role_required(Role.FINANCE)
def milestone_release(request, pk, milestone_pk):
    contract = get_contract_for(request.user, pk, action="change")
    milestone = contract.milestones.filter(pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    try:
        services.milestone_release(actor=request.user, milestone=milestone)
        messages.success(request, _("The payment was released."))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("partners:contract_detail", pk=contract.pk)


# ----------------------------------------------------------------------------- referrals

@role_required(*REFERRAL_ROLES)
def referral_list(request):
    list_query = lists.REFERRALS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.REFERRALS, list_query)
    return render(request, "partners/referral_list.html", {
        "form": list_query.form, "page": page_of(request, rows, listing.ordering.per_page),
        "listing": listing, "can_add": has_role(request.user, *REFERRER_ROLES),
        "is_liaison": has_role(request.user, *LIAISON_REFERRER_ROLES)})


@role_required(*REFERRAL_ROLES)
def referral_export(request):
    return export_response(request, lists.REFERRALS)


def _inbound_referral_create(request):
    """A Macau or Hengqin liaison refers a person of its side or shared with it."""
    persons = person_visible_to(request.user).filter(merged_into__isnull=True)
    form = InboundReferralForm(request.POST or None, request.FILES or None,
                               initial={"person": request.GET.get("person"),
                                        "contract": request.GET.get("contract")},
                               persons=persons, contracts=referable_contracts(request.user))
    return _referral_form_page(request, form, _("Refer a person to a service provider"))


def _referral_form_page(request, form, title):
    """The referral form (of a case, or a liaison's person): saved as a draft when valid."""
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The referral was saved as a draft."))
            return redirect("partners:referral_detail", pk=referral.pk)
    return render(request, "partners/form.html", {"form": form, "title": title,
                                                  "multipart": True})


@role_required(*REFERRER_ROLES)
def referral_create(request):
    if has_role(request.user, *LIAISON_REFERRER_ROLES):
        return _inbound_referral_create(request)

    cases = (case_visible_to(request.user).exclude(status=CaseStatus.CLOSED)
             .select_related("subject").order_by("-opened_at"))
    contracts = contract_visible_to(request.user).filter(status=ContractStatus.ACTIVE)
    initial = {"case": initial_case(cases, request.GET.get("case")),
               "contract": request.GET.get("contract")}
    form = ReferralForm(request.POST or None, request.FILES or None, initial=initial,
                        cases=cases, contracts=contracts)
    return _referral_form_page(request, form, _("Refer a case"))


@role_required(*REFERRAL_ROLES)
def referral_detail(request, pk):
    referral = get_referral_for(request.user, pk)
    provider_view = is_provider_view(request.user)
    if provider_view:
        audit_record(actor=request.user, action="referral.view", obj=referral)
    records = service_record_visible_to(request.user).filter(referral=referral)
    return render(request, "partners/referral_detail.html", {
        "referral": referral, "provider_view": provider_view, "records": records,
        "is_officer": services.may_work_on_referral(request.user, referral),
        "may_open_contract": may_see_contract_pages(request.user),
        "consent_form": ConsentForm(initial={
            "consent_given": "yes" if referral.consent_given else "no",
            "consent_date": referral.consent_date}),
        "decline_form": DeclineForm()})


@require_POST
@role_required(*REFERRER_ROLES)
def referral_consent(request, pk):
    referral = get_referral_for(request.user, pk, action="change")
    _referrer_only(request.user, referral, "referral.consent")
    form = ConsentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.referral_record_consent(actor=request.user, referral=referral,
                                             **form.cleaned_data)
            messages.success(request, _("The consent was recorded."))
        except ApplicationError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Please correct the consent: %(errors)s")
                       % {"errors": "; ".join(m for ms in form.errors.values() for m in ms)})
    return redirect("partners:referral_detail", pk=referral.pk)


def _referrer_only(user, referral, action: str) -> None:
    """A referral is worked on by its referring side (Zhuhai's officers, or the Macau or
    Hengqin agency that made it): another who sees it is refused, audited."""
    if not services.may_work_on_referral(user, referral):
        audit_record(actor=user, action=action, obj=referral, outcome=AuditOutcome.DENIED,
                     summary=_("Only the referring agency may do this."))
        raise PermissionDenied


def _referral_step(request, pk, service, done, **kwargs):
    referral = get_referral_for(request.user, pk, action="change")
    try:
        service(actor=request.user, referral=referral, **kwargs)
        messages.success(request, done)
    except ApplicationError as error:
        if error.status == 403:  # the role sees the referral but may not take this step
            raise PermissionDenied from None
        messages.error(request, str(error.message))
    return redirect("partners:referral_detail", pk=referral.pk)


@require_POST
@role_required(*REFERRER_ROLES)
def referral_send(request, pk):
    return _referral_step(request, pk, services.referral_send,
                          _("The referral was sent to the provider."))


@require_POST
@role_required(Role.NGO)
def referral_accept(request, pk):
    return _referral_step(request, pk, services.referral_accept, _("The referral was accepted."))


@require_POST
@role_required(Role.NGO)
def referral_decline(request, pk):
    return _referral_step(request, pk, services.referral_decline, _("The referral was declined."),
                          reason=request.POST.get("reason", ""))


@require_http_methods(["GET", "POST"])
@role_required(Role.CITY, Role.DISTRICT, Role.NGO)
def referral_close(request, pk):
    """Closing cannot be undone and ends the service records of the referral: GET shows the
    check page, POST with ``confirm=yes`` closes it and leads to the confirmation page (a POST
    without it is sent to the check page)."""
    referral = get_referral_for(request.user, pk, action="change")
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        if not referral.can_close():
            messages.info(request, _("Only an accepted referral can be closed."))
            return redirect("partners:referral_detail", pk=referral.pk)
        if request.method == "POST":
            return redirect("partners:referral_close", pk=referral.pk)
        return render(request, "partners/referral_close.html", {
            "referral": referral,
            "service": referral_service_summary(request.user, referral)})
    try:
        services.referral_close(actor=request.user, referral=referral)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("partners:referral_detail", pk=referral.pk)
    return redirect("partners:referral_closed", pk=referral.pk)


@role_required(Role.CITY, Role.DISTRICT, Role.NGO)
def referral_closed(request, pk):
    """The confirmation page after closing a referral: what happens next."""
    referral = get_referral_for(request.user, pk)
    if referral.status != ReferralStatus.CLOSED:
        return redirect("partners:referral_detail", pk=referral.pk)
    return render(request, "partners/referral_closed.html", {
        "referral": referral, "provider_view": is_provider_view(request.user)})


@role_required(*REFERRER_ROLES)
def referral_consent_download(request, pk):
    referral = get_referral_for(request.user, pk)
    if not referral.consent_form:
        raise Http404
    audit_record(actor=request.user, action="referral.consent_download", obj=referral)
    return protected_file_response(referral.consent_form,
                                   download_name=referral.consent_form_name or "consent")


# ------------------------------------------------------------------------ service records

@role_required(*LIST_ROLES)
def service_record_list(request):
    list_query = lists.SERVICE_RECORDS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.SERVICE_RECORDS, list_query)
    return render(request, "partners/service_record_list.html", {
        "form": list_query.form, "page": page_of(request, rows, listing.ordering.per_page), "listing": listing,
        "can_add": has_role(request.user, Role.NGO) and user_organisation(request.user),
        "can_review": has_role(request.user, Role.CITY, Role.DISTRICT)})


@require_http_methods(["GET", "POST"])
@role_required(*OFFICER_ROLES)
def service_record_bulk_approve(request):
    """Approve the ticked service records, each through ``service_record_approve``."""
    return bulk.handle(request, bulk.BulkAction(
        title=_("Approve service records"), confirm_label=pgettext("partners", "Approve"),
        back_url=reverse("partners:service_record_list"),
        fetch=lambda user, pk: get_service_record_for(user, pk, action="change"),
        perform=lambda user, record, data: services.service_record_approve(
            actor=user, record=record),
        describe=lambda record: f"{date_display(record.service_date)} "
                                f"{record.get_service_type_display()} {record.worker.name}"))


@role_required(*LIST_ROLES)
def service_record_export(request):
    return export_response(request, lists.SERVICE_RECORDS)


@role_required(Role.NGO)
def service_record_create(request):
    organisation = user_organisation(request.user)
    if organisation is None:
        raise Http404
    contracts = contract_visible_to(request.user).filter(
        status__in=[ContractStatus.ACTIVE, ContractStatus.CLOSING])
    referrals = referral_visible_to(request.user).filter(
        status__in=[ReferralStatus.ACCEPTED])
    workers = social_worker_visible_to(request.user).filter(is_active=True)
    initial = {"referral": request.GET.get("referral"), "service_date": timezone.localdate()}
    if request.GET.get("referral"):
        referral_id = record_id(request.GET.get("referral"))
        referral = referrals.filter(pk=referral_id).first() if referral_id else None
        if referral:
            initial["contract"] = referral.contract_id
    form = ServiceRecordForm(request.POST or None, initial=initial, contracts=contracts,
                             referrals=referrals, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("duration")
        data.pop("duration_unit")
        try:
            record = services.service_record_create(
                actor=request.user, duration_minutes=form.duration_minutes(), **data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The service record was saved."))
            if record.referral_id:
                return redirect("partners:referral_detail", pk=record.referral_id)
            return redirect("partners:service_record_list")
    return render(request, "partners/form.html", {"form": form,
                                                  "title": _("New service record")})


# ----------------------------------------------------------------------------- evaluations

@role_required(Role.CITY)
def evaluation_create(request, pk):
    contract = get_contract_for(request.user, pk, action="change")
    milestones = contract.milestones.filter(status=MilestoneStatus.PENDING,
                                            evaluations__isnull=True)
    form = EvaluationForm(request.POST or None, milestones=milestones, initial={
        "period_start": contract.period_start,
        "period_end": min(contract.period_end, timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(actor=request.user, contract=contract,
                                                    **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The evaluation was saved with the KPI actuals."))
            return redirect("partners:evaluation_detail", pk=evaluation.pk)
    return render(request, "partners/form.html", {
        "form": form, "title": _("Evaluate %(contract)s") % {"contract": contract.title}})


@role_required(Role.CITY, Role.FINANCE, Role.NGO)
def evaluation_detail(request, pk):
    evaluation = get_evaluation_for(request.user, pk)
    return render(request, "partners/evaluation_detail.html", {
        "evaluation": evaluation, "results": evaluation.results.select_related("kpi"),
        "can_approve": has_role(request.user, Role.CITY) and evaluation.can_approve()})


@require_POST
@role_required(Role.CITY)
def evaluation_approve(request, pk):
    evaluation = get_evaluation_for(request.user, pk, action="change")
    try:
        services.evaluation_approve(actor=request.user, evaluation=evaluation)
        messages.success(request, _("The evaluation was approved."))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("partners:evaluation_detail", pk=evaluation.pk)


# ----------------------------------------------------------------------------- figures

KPI_ROWS_PER_PAGE = 50


@role_required(Role.CITY, Role.LEADERSHIP)
def figures(request):
    today = timezone.localdate()
    form = FiguresForm(request.GET or None, initial={"start": date(today.year, 1, 1),
                                                     "end": today})
    start, end, district = date(today.year, 1, 1), today, None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        district = form.cleaned_data["district"] or None
    figures = cached_figures("partners", partner_figures, start=start, end=end,
                             district=district)
    # one row per KPI of every running contract (thousands at the city's scale): a page at a
    # time, its actuals computed for that page alone
    kpi_page = page_of(request, running_contract_kpis(start=start, end=end, district=district),
                       KPI_ROWS_PER_PAGE)
    kpi_page.object_list = kpi_rows(kpi_actuals(kpi_page.object_list, start=start, end=end,
                                                district=district))
    return render(request, "partners/figures.html", {
        "form": form, "figures": figures, "start": start, "end": end, "kpi_page": kpi_page})


# ------------------------------------------------------------ service records import

def _service_import_title():
    return _("Import service records")


def _require_organisation(request):
    if user_organisation(request.user) is None:
        raise Http404


@require_http_methods(["GET", "POST"])
@role_required(Role.NGO)
def service_record_import(request):
    _require_organisation(request)
    return import_views.upload_page(
        request, kind=SpreadsheetImportKind.SERVICE_RECORDS,
        preview=services.service_record_import_preview, title=_service_import_title(),
        detail_url="partners:service_record_import_detail",
        template_url="partners:service_record_import_template",
        explanation=_("Each row is one service under an active contract of your organisation, "
                      "for an accepted referral or the contract as a whole. Each row follows "
                      "the same rules as the service record form."))


@require_http_methods(["GET", "POST"])
@role_required(Role.NGO)
def service_record_import_detail(request, pk):
    _require_organisation(request)
    return import_views.detail_page(
        request, pk, kind=SpreadsheetImportKind.SERVICE_RECORDS,
        commit=services.service_record_import_commit, columns=COLUMNS,
        title=_service_import_title(), list_url="partners:service_record_import",
        shown_columns=["service_date", "contract_number", "referral_number", "worker_name",
                       "service_type", "duration_minutes"],
        display={"service_type": dict(ServiceType.choices)},
        done_message=_("Imported: %(service_records)s service records."))


@require_http_methods(["GET"])
@role_required(Role.NGO)
def service_record_import_template(request):
    _require_organisation(request)
    return import_views.template_response(
        COLUMNS, file_name="service-records-template.xlsx", sheet_title=_("Service records"),
        introduction=[
            _("Fill in the first sheet, one service per row, from the second row on; keep the "
              "header row. Delete the example row."),
            _("Give the contract number, or the number of an accepted referral (its contract "
              "is used)."),
            _("Nothing is saved until you have seen the check and confirmed it.")])
