"""Pages. Views call services and selectors only; every record is fetched through its
selector (404 alike for missing and forbidden)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases.fields import initial_case
from cases.selectors import case_visible_to, person_numbers_revealable_by, person_visible_to
from core import bulk
from core.assignment import may_reassign
from core.audit import audit_record
from core.db import record_id
from core.errors import ApplicationError
from core.files import protected_file_response
from core.identity import mask
from core.roles import LIAISON_ROLES, Role, has_role
from core.visibility import user_agency
from web.decorators import role_required
from web.exports import export_response
from web.forms import OfficerForm, add_service_error
from web.listing import listing_for
from web.pagination import page_of
from web.printforms import pdf_response

from . import lists, selectors, services
from .bulletins import display_sections
from .forms import (
    AnswerForm,
    AuthorizationForm,
    BulletinSectionForm,
    ConfirmForm,
    InboundRequestForm,
    PublishConfirmForm,
    ReasonForm,
    RequestForm,
    RevokeForm,
    RouteForm,
    UrgentForm,
)
from .models import (
    AWAITING_ANSWER,
    Agency,
    AskableSide,
    Authorization,
    RequestStatus,
    category_labels,
    side_labels,
)
from .pdf import bulletin_pdf as render_pdf
from .permissions import AUTHORIZATION_FORM_ROLES, WORKING_ROLES
from .printforms import authorization_form_pdf, verification_letter_pdf

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
            back = _return_to(request)
            if back:  # registered on the way to a verification request: back to its form
                separator = "&" if "?" in back else "?"
                return redirect(f"{back}{separator}authorization={authorization.pk}")
            return redirect("infosharing:authorization_detail", pk=authorization.pk)
    return render(request, "infosharing/authorization_form.html", {
        "form": form, "next": _return_to(request)})


def _return_to(request) -> str:
    """The page a form returns to (``?next=``), only when it is a new verification request
    of this site: an open redirect is refused."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith(reverse("infosharing:request_create")):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return ""
    return target


@work
def authorization_detail(request, pk):
    authorization = selectors.get_authorization_for(request.user, pk)

    return render(request, "infosharing/authorization_detail.html", {
        "authorization": authorization, "status": authorization.status_on(timezone.localdate()),
        "can_print": has_role(request.user, *AUTHORIZATION_FORM_ROLES),
        "categories": category_labels(authorization.categories),
        "sides": side_labels(authorization.sides),
        "requests": selectors.verification_request_visible_to(request.user).filter(
            authorization=authorization)})


@work
@require_http_methods(["GET", "POST"])
def authorization_revoke(request, pk):
    """The check page before revoking: the authorization, its person and what the revocation
    withdraws, the reason and date, one confirm button; then the page of what happens next.
    The service decides who may revoke (the holding agency, a city officer)."""
    authorization = selectors.get_authorization_for(request.user, pk, action="change")
    if authorization.is_revoked:
        return redirect("infosharing:authorization_revoked", pk=pk)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.authorization_revoke(actor=request.user, authorization=authorization,
                                          reason=form.cleaned_data["reason"],
                                          revoked_on=form.cleaned_data["revoked_on"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The authorization is revoked; its pending requests "
                                        "were withdrawn."))
            return redirect("infosharing:authorization_revoked", pk=pk)
    return render(request, "infosharing/authorization_revoke.html", {
        "authorization": authorization, "form": form,
        "categories": category_labels(authorization.categories),
        "sides": side_labels(authorization.sides),
        "pending": selectors.requests_withdrawn_by_revoking(request.user, authorization)})


@work
def authorization_revoked(request, pk):
    """What happens after a revocation (the confirmation page)."""
    authorization = selectors.get_authorization_for(request.user, pk)
    if not authorization.is_revoked:
        return redirect("infosharing:authorization_detail", pk=pk)
    return render(request, "infosharing/authorization_revoked.html", {
        "authorization": authorization,
        "withdrawn": selectors.verification_request_visible_to(request.user).filter(
            authorization=authorization, status=RequestStatus.WITHDRAWN)})


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
    initial = {"case": initial_case(cases, request.GET.get("case"))}
    person = _person_from_link(request)
    if person is not None:
        # started from the person's page: their latest case, the side of their residence
        initial["case"] = initial["case"] or cases.filter(subject=person).first()
        initial["receiving_side"] = selectors.side_of_residence(person)
    if initial["case"] is not None:
        initial["authorization"] = _linked_authorization(request, initial["case"].subject)
    form = RequestForm(request.POST or None, cases=cases,
                       authorizations=Authorization.objects.none(), initial=initial)
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
    subject = case.subject if case is not None else person
    return render(request, "infosharing/request_form.html", {
        "form": form, "subject": subject,
        "register_authorization_url": _register_authorization_url(request, subject)})


def _register_authorization_url(request, subject) -> str:
    """The link to record a signed authorization of ``subject`` that comes back to this
    request form (its ``?person=``/``?case=`` kept), with the new authorization chosen."""
    if subject is None or not has_role(request.user, *WORKING_ROLES):
        return ""
    kept = {key: request.GET[key] for key in ("person", "case") if request.GET.get(key)}
    kept = kept or {"person": subject.pk}
    back = f"{reverse('infosharing:request_create')}?{urlencode(kept)}"
    return (reverse("infosharing:authorization_create")
            + "?" + urlencode({"person": subject.pk, "next": back}))


def _person_from_link(request):
    """The person a link's ``?person=<id>`` names, if the user sees them."""
    pk = record_id(request.GET.get("person"))
    if pk is None:
        return None
    return person_visible_to(request.user).filter(pk=pk, merged_into__isnull=True).first()


def _linked_authorization(request, person):
    """The authorization a link's ``?authorization=<id>`` names (one just registered on the
    way), else the person's only usable one: picked for the user when there is no choice."""
    usable = selectors.usable_authorizations(request.user, person).order_by("-valid_until", "-id")
    pk = record_id(request.GET.get("authorization"))
    if pk is not None:
        return usable.filter(pk=pk).first()
    first_two = list(usable[:2])
    return first_two[0] if len(first_two) == 1 else None


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
                              initial={"person": request.GET.get("person"),
                                       "authorization": (_linked_authorization(request, person)
                                                         if person is not None else None)})
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
    return render(request, "infosharing/request_form.html", {
        "form": form, "inbound": True, "subject": person,
        "register_authorization_url": _register_authorization_url(request, person)})


@work
@require_http_methods(["GET", "POST"])
def request_route(request, pk):
    """The page where a city officer names the district that answers an inbound request."""
    verification = selectors.get_verification_request_for(request.user, pk, action="route")
    if not has_role(request.user, Role.CITY):  # a city officer routes; others never see a form
        raise Http404
    if request.method == "GET" and not selectors.may_route(request.user, verification):
        return redirect("infosharing:request_detail", pk=pk)
    form = RouteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_request_route(actor=request.user, request=verification,
                                                district=form.cleaned_data["district"])
        except ApplicationError as error:
            if error.status == 403:
                raise Http404 from None
            add_service_error(form, error)
        else:
            messages.success(request, _("The request was routed to the district."))
            return redirect("infosharing:request_detail", pk=pk)
    return _action_page(request, verification, form, "route")


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


def _masked_documents(user, person):
    """The person's documents as a request shows them: masked, with the link to reveal a number
    for an officer of the side that holds the person (core.reveal)."""
    revealable = person_numbers_revealable_by(user, person.pk)
    return [{"type": document.get_document_type_display(), "number": mask(document.number),
             "reveal_url": reverse("cases:identity_document_reveal", args=[person.pk, document.pk])
             if revealable else ""} for document in person.documents.all()]


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
        "documents": _masked_documents(request.user, verification.person),
        "categories": category_labels(verification.categories),
        "is_requester": requester, "is_receiver": receiver,
        "is_overdue": verification.is_overdue(),
        "send_refusal": (services.send_refusal(verification)
                         if requester and verification.can_send() else None),
        "may_route": selectors.may_route(request.user, verification),
        # the receiving side reads the person here; the person's page is the owner's
        "person_visible": person_visible_to(request.user).filter(
            pk=verification.person_id).exists(),
        "awaiting": verification.status in AWAITING_ANSWER,
        "may_reassign": verification.is_open_for_holder()
        and may_reassign(request.user, Agency(pk=verification.holding_agency_id))})


#: One-click steps, a button on the request's page: (service, message when done).
_STEPS = {
    "send": (services.verification_request_send, gettext_lazy("The request was sent.")),
    "receive": (services.verification_request_receive, gettext_lazy("Receipt acknowledged.")),
}

#: Steps that need a reason, each on its own page: (service, the side that may take it,
#: guard, message when done). The side is checked again by the service, which audits refusals.
_REASON_STEPS = {
    "return": (services.verification_request_return, selectors.is_receiver, "can_return",
               gettext_lazy("The request was returned.")),
    "decline": (services.verification_request_decline, selectors.is_receiver, "can_decline",
                gettext_lazy("The request was declined.")),
    "withdraw": (services.verification_request_withdraw, selectors.is_requester, "can_withdraw",
                 gettext_lazy("The request was withdrawn.")),
}


#: The label of the reason on each step's page.
_REASON_LABELS = {"return": gettext_lazy("What is missing"),
                  "decline": gettext_lazy("Reason for declining"),
                  "withdraw": gettext_lazy("Reason for withdrawing")}


def _action_page(request, verification, form, step: str, **context):
    """One action's short page: the request it acts on (its question too), then one form."""
    if step in _REASON_LABELS:
        form.fields["reason"].label = _REASON_LABELS[step]
    return render(request, "infosharing/request_action.html", {
        "verification": verification, "form": form, "step": step,
        "categories": category_labels(verification.categories), **context})


@work
@require_http_methods(["GET", "POST"])
def request_step(request, pk, step):
    """A one-click step (POST from the request's page), or the page of a step that needs a
    reason (GET shows it to the side that may take it; POST takes the step)."""
    if step not in _STEPS and step not in _REASON_STEPS:
        raise Http404
    verification = selectors.get_verification_request_for(request.user, pk, action=step)
    if step in _STEPS:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        service, done = _STEPS[step]
        try:
            service(actor=request.user, request=verification)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(done))
        return redirect("infosharing:request_detail", pk=pk)
    service, on_side, guard, done = _REASON_STEPS[step]
    if request.method == "GET":
        if not on_side(request.user, verification):
            raise Http404
        if not getattr(verification, guard)():
            messages.error(request, _("This step is not open for this request any more."))
            return redirect("infosharing:request_detail", pk=pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not on_side(request.user, verification):
        # the service refuses (and audits) the other side; the page is not theirs to see
        try:
            service(actor=request.user, request=verification,
                    reason=request.POST.get("reason", ""))
        except ApplicationError:
            raise Http404 from None
        return redirect("infosharing:request_detail", pk=pk)
    if request.method == "POST":
        form.is_valid()
        try:
            service(actor=request.user, request=verification,
                    reason=form.cleaned_data.get("reason", ""))
        except ApplicationError as error:
            if error.status == 403:
                raise Http404 from None
            if error.field != "reason" or "reason" not in form.errors:
                add_service_error(form, error)
        else:
            messages.success(request, str(done))
            return redirect("infosharing:request_detail", pk=pk)
    return _action_page(request, verification, form, step)


@work
@require_http_methods(["GET", "POST"])
def request_close(request, pk):
    """Check and confirm before closing: the request, the person, the findings received and
    what closing means; then the confirmation page."""
    verification = selectors.get_verification_request_for(request.user, pk, action="close")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" and not selectors.is_requester(request.user, verification):
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_request_close(actor=request.user, request=verification)
        except ApplicationError as error:
            if error.status == 403:
                raise Http404 from None
            add_service_error(form, error)
        else:
            messages.success(request, _("The request is closed."))
            return redirect("infosharing:request_closed", pk=pk)
    elif request.method == "GET" and not verification.can_close():
        form = ConfirmForm({})
        form.is_valid()
        form.add_error(None, _("Only an answered request can be closed."))
    findings, attachments = selectors.verification_findings_for(request.user, verification)
    return _action_page(request, verification, form, "close", findings=findings,
                        attachments=attachments)


@work
def request_closed(request, pk):
    """The confirmation page after closing: what happens next."""
    verification = selectors.get_verification_request_for(request.user, pk)
    if not selectors.is_requester(request.user, verification):
        raise Http404
    if verification.status != RequestStatus.CLOSED:
        return redirect("infosharing:request_detail", pk=pk)
    return render(request, "infosharing/request_closed.html", {"verification": verification})


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
        "page": page_of(request, rows, listing.ordering.per_page), "listing": listing,
        "overdue": selectors.bulletin_acknowledgements_overdue(request.user)[:50]})


def _bulletin_page(request, bulletin) -> dict:
    sections = selectors.bulletin_sections_for(request.user, bulletin)
    for section in sections:
        section.blocks = display_sections({"sections": section.content})
    recipient = selectors.bulletin_recipient_for(request.user, bulletin)
    writer_side = selectors.bulletin_writer_side(request.user)
    return {"bulletin": bulletin, "sections": sections,
            "recipients": selectors.bulletin_recipients_for(request.user, bulletin),
            "own_recipient": recipient, "writer_side": writer_side,
            "can_write": bulletin.can_contribute() and any(
                section.side == writer_side for section in sections),
            "can_publish": bulletin.can_publish() and writer_side == "zhuhai"
            and has_role(request.user, Role.CITY),
            "today": timezone.localdate()}


@work
def bulletin_export(request):
    return export_response(request, lists.BULLETINS)


@work
def bulletin_detail(request, pk):
    bulletin = selectors.get_bulletin_for(request.user, pk)
    audit_record(actor=request.user, action="bulletin.view", obj=bulletin)
    return render(request, "infosharing/bulletin_detail.html", _bulletin_page(request, bulletin))


@work
def bulletin_section_edit(request, pk):
    """The user's own side's section: one form, saved as a draft or handed in."""
    bulletin = selectors.get_bulletin_for(request.user, pk, action="contribute")
    side = selectors.bulletin_writer_side(request.user)
    section = bulletin.sections.filter(side=side).first() if side else None
    if section is None:
        if request.method == "POST":
            try:
                services.bulletin_section_save(actor=request.user, bulletin=bulletin,
                                               side=side or "", common_concern="")
            except ApplicationError:
                pass
        raise Http404
    if not bulletin.can_contribute() and request.method != "POST":
        messages.info(request, _("This bulletin is already published: its sections can no "
                                 "longer change."))
        return redirect("infosharing:bulletin_detail", pk=pk)
    form = BulletinSectionForm(request.POST or None,
                               initial={"common_concern": section.common_concern})
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("submit") != "draft"
        try:
            services.bulletin_section_save(
                actor=request.user, bulletin=bulletin, side=side,
                common_concern=form.cleaned_data["common_concern"], submit=submit)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Your section was handed in.") if submit
                             else _("Your section was saved as a draft."))
            return redirect("infosharing:bulletin_detail", pk=pk)
    return render(request, "infosharing/bulletin_section_form.html", {
        "bulletin": bulletin, "section": section, "form": form})


@work
def bulletin_publish(request, pk):
    """Check, then confirm: the page lists the sections in and those missing."""
    bulletin = selectors.get_bulletin_for(request.user, pk, action="publish")
    page = _bulletin_page(request, bulletin)
    if not page["can_publish"]:
        if request.method == "POST":
            try:
                services.bulletin_publish(actor=request.user, bulletin=bulletin)
            except ApplicationError as error:
                messages.error(request, str(error.message))
            return redirect("infosharing:bulletin_detail", pk=pk)
        raise Http404
    form = PublishConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bulletin_publish(actor=request.user, bulletin=bulletin)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("The bulletin was published."))
            return redirect("infosharing:bulletin_detail", pk=pk)
    return render(request, "infosharing/bulletin_publish.html", {**page, "form": form,
                  "missing": [section for section in page["sections"] if not section.is_in]})


@work
@require_POST
def bulletin_acknowledge(request, pk):
    bulletin = selectors.get_bulletin_for(request.user, pk, action="acknowledge")
    try:
        services.bulletin_acknowledge(actor=request.user, bulletin=bulletin)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Receipt of the bulletin was acknowledged."))
    return redirect("infosharing:bulletin_detail", pk=pk)


@work
def bulletin_pdf(request, pk):
    bulletin = selectors.get_bulletin_for(request.user, pk)
    audit_record(actor=request.user, action="bulletin.export", obj=bulletin)
    response = HttpResponse(render_pdf(bulletin, user=request.user),
                            content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bulletin-{bulletin.period_start:%Y-%m}-{bulletin.pk}.pdf"')
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------- urgent notifications

@work
def urgent_list(request):
    notifications = selectors.urgent_notifications_for_list(request.user)
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


# ------------------------------------------------------------------------- bulk actions

@work
@require_http_methods(["GET", "POST"])
def request_bulk_remind(request):
    """Remind the other side of the ticked overdue requests, each through
    ``verification_request_remind`` (core.bulk)."""
    return bulk.handle(request, bulk.BulkAction(
        title=_("Send reminders for overdue requests"), confirm_label=_("Send reminders"),
        back_url=reverse("infosharing:request_list"),
        fetch=lambda user, pk: selectors.get_verification_request_for(user, pk, action="remind"),
        perform=lambda user, item, data: services.verification_request_remind(
            actor=user, request=item),
        describe=lambda item: item.number))


@work
@require_http_methods(["GET", "POST"])
def request_assign(request):
    """Give the ticked requests (or one, from its page: ``?ids=``) to another officer of the
    holding agency: the team lead, each through ``verification_request_assign``."""
    return bulk.handle(request, bulk.BulkAction(
        title=_("Reassign verification requests"), confirm_label=_("Assign"),
        back_url=reverse("infosharing:request_list"),
        fetch=lambda user, pk: selectors.get_verification_request_for(user, pk, action="change"),
        perform=lambda user, item, data: services.verification_request_assign(
            actor=user, request=item, officer=data["officer"]),
        describe=lambda item: item.number, form_class=OfficerForm))


@work
@require_http_methods(["GET", "POST"])
def bulletin_bulk_acknowledge(request):
    """Acknowledge the ticked bulletins for the user's agency, each through
    ``bulletin_acknowledge`` (core.bulk)."""
    return bulk.handle(request, bulk.BulkAction(
        title=_("Acknowledge bulletins"), confirm_label=_("Acknowledge"),
        back_url=reverse("infosharing:bulletin_list"),
        fetch=lambda user, pk: selectors.get_bulletin_for(user, pk, action="acknowledge"),
        perform=lambda user, item, data: services.bulletin_acknowledge(
            actor=user, bulletin=item),
        describe=lambda item: f"{item.period_start:%Y-%m-%d} – {item.period_end:%Y-%m-%d}"))




@role_required(*AUTHORIZATION_FORM_ROLES)
def authorization_form(request, pk):
    """The authorization form (授权书) to sign, as a PDF; the one printed paper that shows the
    full document numbers, so each generation is audited."""
    authorization = selectors.get_authorization_for(request.user, pk)
    content = authorization_form_pdf(authorization)
    audit_record(actor=request.user, action="authorization.form_print", obj=authorization,
                 summary=_("authorization form printed with full document numbers"))
    return pdf_response(content, f"authorization-form-{authorization.pk}.pdf")


@work
def verification_letter(request, pk):
    """The verification letter (协查函) to the asked side, as a PDF."""
    verification = selectors.get_verification_request_for(request.user, pk)
    content = verification_letter_pdf(verification)
    audit_record(actor=request.user, action="verificationrequest.letter_print", obj=verification)
    return pdf_response(content, f"verification-letter-{verification.number}.pdf")
