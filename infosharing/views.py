"""Pages. Views call services and selectors only; every record is fetched through its
selector (404 alike for missing and forbidden)."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.fields import initial_case
from cases.selectors import case_visible_to, person_visible_to
from zhuao.audit import audit_record
from zhuao.db import record_id
from zhuao.decorators import role_required
from zhuao.errors import ApplicationError
from zhuao.exports import export_response
from zhuao.listing import listing_for
from zhuao.files import protected_file_response
from zhuao.models import agency_name_fields
from zhuao.pagination import page_of
from zhuao.roles import LIAISON_ROLES, Role, has_role
from zhuao.visibility import user_agency

from . import lists, selectors, services
from .forms import (AnswerForm, AuthorizationForm, InboundRequestForm, ReasonForm, RequestForm,
                    RevokeForm, RouteForm, UrgentForm)
from .models import (AWAITING_ANSWER, Agency, AskableSide, Authorization,
                     RequestStatus, UrgentRecipient, category_labels, side_labels)
from .selectors import WORKING_ROLES

work = role_required(*WORKING_ROLES)


def _fail(request, form, error: ApplicationError):
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, str(error.message))
    else:
        messages.error(request, str(error.message))


# ------------------------------------------------------------------------ authorizations

@work
def authorization_list(request):
    authorizations = selectors.authorization_visible_to(request.user)
    state = request.GET.get("state", "")
    from django.utils import timezone

    today = timezone.localdate()
    if state == "valid":
        authorizations = authorizations.filter(revoked_at__isnull=True, valid_until__gte=today)
    elif state == "expiring":
        authorizations = selectors.authorizations_expiring(request.user)
    elif state == "revoked":
        authorizations = authorizations.filter(revoked_at__isnull=False)
    elif state == "expired":
        authorizations = authorizations.filter(revoked_at__isnull=True, valid_until__lt=today)
    return render(request, "infosharing/authorization_list.html", {
        "page": page_of(request, authorizations), "state": state, "today": today})


@work
def authorization_create(request):
    persons = person_visible_to(request.user).order_by("name_zh", "id")
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else {}
    form = AuthorizationForm(request.POST or None, request.FILES or None, persons=persons,
                             cases=case_visible_to(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            authorization = services.authorization_record(
                actor=request.user, person=data["person"], signatories=data["signatories"],
                categories=data["categories"], sides=data["sides"], valid_from=data["valid_from"],
                valid_until=data["valid_until"], scan=data["scan"], received_on=data["received_on"])
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("The signed authorization is on file."))
            return redirect("infosharing:authorization_detail", pk=authorization.pk)
    return render(request, "infosharing/authorization_form.html", {"form": form})


@work
def authorization_detail(request, pk):
    authorization = selectors.get_authorization_for(request.user, pk)
    from django.utils import timezone

    return render(request, "infosharing/authorization_detail.html", {
        "authorization": authorization, "status": authorization.status_on(timezone.localdate()),
        "categories": category_labels(authorization.categories),
        "sides": side_labels(authorization.sides),
        "requests": selectors.verification_request_visible_to(request.user).filter(
            authorization=authorization),
        "revoke_form": RevokeForm()})


@work
@require_POST
def authorization_revoke(request, pk):
    authorization = selectors.get_authorization_for(request.user, pk, action="change")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.authorization_revoke(actor=request.user, authorization=authorization,
                                          reason=form.cleaned_data["reason"],
                                          revoked_on=form.cleaned_data["revoked_on"])
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The authorization is revoked; its pending requests "
                                        "were withdrawn."))
    else:
        messages.error(request, _("Give the reason for the revocation."))
    return redirect("infosharing:authorization_detail", pk=pk)


@work
def authorization_scan(request, pk):
    authorization = selectors.get_authorization_for(request.user, pk)
    audit_record(actor=request.user, action="authorization.download", obj=authorization)
    return protected_file_response(authorization.scan, download_name=authorization.scan_name)


# ----------------------------------------------------------------- verification requests

@work
def request_list(request):
    list_query = lists.REQUESTS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.REQUESTS, list_query)
    return render(request, "infosharing/request_list.html", {
        "page": page_of(request, rows, listing.ordering.per_page), "listing": listing,
        **list_query.context, "statuses": RequestStatus.choices})


@work
def request_export(request):
    return export_response(request, lists.REQUESTS)


@work
def request_create(request):
    if has_role(request.user, *LIAISON_ROLES):
        return _inbound_request_create(request)
    cases = (case_visible_to(request.user, permission="change").select_related("subject")
             .order_by("-opened_at"))
    form = RequestForm(request.POST or None, cases=cases,
                       authorizations=Authorization.objects.none(),
                       initial={"case": initial_case(cases, request.GET.get("case"))})
    # The authorizations on offer are the case subject's (none before the case is known).
    case = form.fields["case"].chosen(form)
    if case is not None:
        form.fields["authorization"].queryset = selectors.usable_authorizations(
            request.user, case.subject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.verification_request_create(
                actor=request.user, case=data["case"], categories=data["categories"],
                receiving_side=data["receiving_side"], question=data["question"],
                authorization=data["authorization"])
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Draft saved. Check it, then send it."))
            return redirect("infosharing:request_detail", pk=created.pk)
    return render(request, "infosharing/request_form.html", {"form": form})


def _inbound_request_create(request):
    """A Macau or Hengqin liaison asks Zhuhai about a person its agency registered."""
    agency = user_agency(request.user)
    persons = (person_visible_to(request.user).filter(owner_agency=agency,
                                                      merged_into__isnull=True)
               .order_by("name_zh", "id"))
    # the authorizations on offer are the chosen person's (none before the person is known)
    chosen = record_id(request.POST.get("person") or request.GET.get("person"))
    person = persons.filter(pk=chosen).first() if chosen is not None else None
    authorizations = (selectors.usable_authorizations(request.user, person)
                      if person is not None else Authorization.objects.none())
    form = InboundRequestForm(request.POST or None, persons=persons,
                              authorizations=authorizations,
                              initial={"person": request.GET.get("person")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.verification_request_create(
                actor=request.user, person=data["person"], categories=data["categories"],
                receiving_side=AskableSide.ZHUHAI, question=data["question"],
                authorization=data["authorization"])
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Draft saved. Check it, then send it."))
            return redirect("infosharing:request_detail", pk=created.pk)
    return render(request, "infosharing/request_form.html", {"form": form, "inbound": True})


@work
@require_POST
def request_route(request, pk):
    verification = selectors.get_verification_request_for(request.user, pk, action="route")
    if not has_role(request.user, Role.CITY):  # a city officer routes; others never see a form
        raise Http404
    form = RouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the district that answers."))
        return redirect("infosharing:request_detail", pk=pk)
    try:
        services.verification_request_route(actor=request.user, request=verification,
                                            district=form.cleaned_data["district"])
    except ApplicationError as error:
        if error.status == 403:
            raise Http404 from None
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The request was routed to the district."))
    return redirect("infosharing:request_detail", pk=pk)


@work
def request_edit(request, pk):
    verification = selectors.get_verification_request_for(request.user, pk, action="change")
    if not selectors.is_requester(request.user, verification) or not verification.can_edit():
        raise Http404
    authorizations = selectors.usable_authorizations(request.user, verification.person)
    initial = {"categories": verification.categories, "question": verification.question,
               "authorization": verification.authorization_id}
    form = RequestForm(request.POST or None, cases=None, authorizations=authorizations,
                       editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.verification_request_update(
                actor=request.user, request=verification, categories=data["categories"],
                question=data["question"], authorization=data["authorization"])
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("infosharing:request_detail", pk=pk)
    return render(request, "infosharing/request_form.html", {"form": form,
                                                             "verification": verification})


@work
def request_detail(request, pk):
    verification = selectors.get_verification_request_for(request.user, pk)
    findings, attachments = selectors.verification_findings_for(request.user, verification)
    audit_record(actor=request.user, action="verificationrequest.view", obj=verification,
                 summary=_("view of identifying data for verification"))
    requester = selectors.is_requester(request.user, verification)
    receiver = selectors.is_receiver(request.user, verification)
    return render(request, "infosharing/request_detail.html", {
        "verification": verification, "findings": findings, "attachments": attachments,
        "documents": verification.person.documents.all(),
        "categories": category_labels(verification.categories),
        "is_requester": requester, "is_receiver": receiver,
        "is_overdue": verification.is_overdue(),
        "send_refusal": (services.send_refusal(verification)
                         if requester and verification.can_send() else None),
        "reason_form": ReasonForm(),
        "may_route": selectors.may_route(request.user, verification),
        # the receiving side reads the person here; the person's page is the owner's
        "person_visible": person_visible_to(request.user).filter(
            pk=verification.person_id).exists(),
        "route_form": RouteForm(),
        "awaiting": verification.status in AWAITING_ANSWER})


_STEPS = {
    "send": (services.verification_request_send, False,
             gettext_lazy("The request was sent.")),
    "receive": (services.verification_request_receive, False,
                gettext_lazy("Receipt acknowledged.")),
    "close": (services.verification_request_close, False,
              gettext_lazy("The request is closed.")),
    "return": (services.verification_request_return, True,
               gettext_lazy("The request was returned.")),
    "decline": (services.verification_request_decline, True,
                gettext_lazy("The request was declined.")),
    "withdraw": (services.verification_request_withdraw, True,
                 gettext_lazy("The request was withdrawn.")),
}


@work
@require_POST
def request_step(request, pk, step):
    if step not in _STEPS:
        raise Http404
    verification = selectors.get_verification_request_for(request.user, pk, action=step)
    service, needs_reason, done = _STEPS[step]
    kwargs = {}
    if needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(actor=request.user, request=verification, **kwargs)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(done))
    return redirect("infosharing:request_detail", pk=pk)


@work
def request_answer(request, pk):
    verification = selectors.get_verification_request_for(request.user, pk, action="answer")
    if not selectors.is_receiver(request.user, verification):
        raise Http404
    form = AnswerForm(request.POST or None, request.FILES or None,
                      categories=verification.categories)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_request_answer(actor=request.user, request=verification,
                                                 findings=form.findings(),
                                                 attachments=form.cleaned_data["attachments"])
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("The findings were sent."))
            return redirect("infosharing:request_detail", pk=pk)
    return render(request, "infosharing/request_answer.html", {
        "form": form, "verification": verification,
        "categories": category_labels(verification.categories)})


@work
def request_authorization_scan(request, pk):
    """The receiving agency's way to the signed form: through the request, never the case."""
    verification = selectors.get_verification_request_for(request.user, pk)
    if verification.authorization is None:
        raise Http404
    audit_record(actor=request.user, action="authorization.download",
                 obj=verification.authorization, changes={"request": verification.number})
    return protected_file_response(verification.authorization.scan,
                                   download_name=verification.authorization.scan_name)


@work
def request_attachment(request, pk, attachment_pk):
    verification = selectors.get_verification_request_for(request.user, pk)
    attachment = verification.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit_record(actor=request.user, action="verificationfinding.download", obj=verification,
                 changes={"attachment": attachment.pk})
    return protected_file_response(attachment.file, download_name=attachment.name)


# ------------------------------------------------------------------------------ bulletins

@work
def bulletin_list(request):
    rows, listing = listing_for(request, lists.BULLETINS,
                                lists.BULLETINS.query(request.user, request.GET))
    return render(request, "infosharing/bulletin_list.html", {
        "page": page_of(request, rows, listing.ordering.per_page), "listing": listing})


@work
def bulletin_export(request):
    return export_response(request, lists.BULLETINS)


@work
def bulletin_detail(request, pk):
    bulletin = selectors.get_bulletin_for(request.user, pk)
    audit_record(actor=request.user, action="bulletin.view", obj=bulletin)
    from .bulletins import display_sections

    return render(request, "infosharing/bulletin_detail.html", {
        "bulletin": bulletin, "sections": display_sections(bulletin.content)})


@work
def bulletin_pdf(request, pk):
    from .pdf import bulletin_pdf as render_pdf

    bulletin = selectors.get_bulletin_for(request.user, pk)
    audit_record(actor=request.user, action="bulletin.export", obj=bulletin)
    response = HttpResponse(render_pdf(bulletin), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bulletin-{bulletin.agency.code}-{bulletin.period_start:%Y-%m}.pdf"')
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------- urgent notifications

@work
def urgent_list(request):
    recipients = (UrgentRecipient.objects.select_related("agency")
                  .only("notification_id", "acknowledged_at", "escalation_level", "agency__code"))
    notifications = (selectors.urgent_notification_visible_to(request.user)
                     .select_related(None).select_related("person", "reporting_agency")
                     .only("pk", "created_at", "kind", "person__name_zh",
                           *agency_name_fields("reporting_agency"))
                     .prefetch_related(Prefetch("recipients", recipients)))
    return render(request, "infosharing/urgent_list.html", {
        "page": page_of(request, notifications),
        "to_acknowledge": selectors.urgent_recipients_to_acknowledge(request.user)})


def _notifiable_agencies():
    return Agency.objects.filter(is_active=True, kind__in=services.BULLETIN_AGENCY_KINDS)


@work
def urgent_create(request):
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else {}
    form = UrgentForm(request.POST or None, persons=person_visible_to(request.user),
                      cases=case_visible_to(request.user), agencies=_notifiable_agencies(),
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notification = services.urgent_notification_send(
                actor=request.user, person=data["person"], kind=data["kind"],
                occurred_at=data["occurred_at"], description=data["description"],
                agencies=list(data["agencies"]))
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("The urgent notification was delivered."))
            return redirect("infosharing:urgent_detail", pk=notification.pk)
    return render(request, "infosharing/urgent_form.html", {"form": form})


def urgent_detail(request, pk):
    """Open to anyone it was delivered to (escalation may reach leadership), as the API's
    record is: the same selector decides, and the same rule hides the person and what
    happened from a role that may not see them."""
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    notification = selectors.get_urgent_notification_for(request.user, pk)
    audit_record(actor=request.user, action="urgentnotification.view", obj=notification)
    recipients = notification.recipients.select_related("agency", "acknowledged_by")
    return render(request, "infosharing/urgent_detail.html", {
        "notification": notification, "recipients": recipients,
        "shows_person": selectors.urgent_notification_shows_person(request.user),
        "deliveries": [(recipient, recipient.deliveries.select_related("user"))
                       for recipient in recipients],
        "acknowledgeable": selectors.acknowledgeable_recipient(request.user, notification)})


@require_POST
def urgent_acknowledge(request, pk):
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    notification = selectors.get_urgent_notification_for(request.user, pk, action="acknowledge")
    recipient = selectors.acknowledgeable_recipient(request.user, notification)
    if recipient is None:
        messages.error(request, _("There is nothing for you to acknowledge here."))
    else:
        try:
            services.urgent_acknowledge(actor=request.user, recipient=recipient)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Acknowledged."))
    return redirect("infosharing:urgent_detail", pk=pk)
