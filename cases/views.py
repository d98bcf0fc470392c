"""Pages of the register and the joint-meeting secretariat. Views call services and selectors
only; ApplicationError becomes a form error or a message and nothing is saved."""
from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhuao.assignment import is_team_lead
from zhuao.audit import TEXT_FILTERS, audit_bulk_read, audit_record
from zhuao.decorators import role_required
from zhuao.errors import ApplicationError
from zhuao.exports import export_response
from zhuao.files import protected_file_response
from zhuao.forms import add_service_error
from zhuao.identity import mask
from zhuao.listing import listing_for
from zhuao.models import Agency, LiaisonAssignment
from zhuao.pagination import COUNT_UP_TO, page_of
from zhuao.reveal import reveal_page
from zhuao.roles import LIAISON_ROLES, STAFF_ROLES, Role, has_role
from zhuao.search import current_params, search_params
from zhuao.visibility import agencies_shared_with, user_agency

from . import forms, lists, selectors, services
from .models import (
    AgendaItem,
    AgendaItemKind,
    Case,
    CaseAttachment,
    CaseStatus,
    HouseholdMember,
    IncomeItem,
    MeetingStatus,
    MinutesStatus,
    Person,
)
from .person_overview import person_overview, timeline
from .ical import calendar_feed_ical
from .secretariat import selectors as meeting_selectors
from .secretariat import services as meeting_services

REGISTER_ROLES = (Role.CITY, Role.DISTRICT)
CASE_READER_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
ALL_STAFF_ROLES = STAFF_ROLES
PAGE_SIZE = 25




def _documents(person, user, stored=None, *, links=True):
    """The person's documents, masked; with the link to reveal each number when the user may
    (zhuao.reveal)."""
    revealable = links and selectors.person_numbers_revealable_by(user, person.pk)
    return [{"type": document.get_document_type_display(), "number": mask(document.number),
             "reveal_url": reverse("cases:identity_document_reveal",
                                   args=[person.pk, document.pk]) if revealable else ""}
            for document in (person.documents.all() if stored is None else stored)]


@require_http_methods(["GET", "POST"])
@role_required(*selectors.IDENTITY_REVEAL_ROLES)
def identity_document_reveal(request, pk, document_pk):
    """Show one identity-document number in full, with a reason (zhuao.reveal)."""
    person = selectors.get_person_for(request.user, pk, action="reveal")
    document = selectors.get_document_for(request.user, person, document_pk)
    return reveal_page(
        request, record=person.name_zh, kind=document.get_document_type_display(),
        masked=mask(document.number),
        back_url=reverse("cases:person_detail", args=[person.pk]),
        reveal=lambda reason, note: services.identity_document_reveal(
            actor=request.user, document=document, reason=reason, note=note))


# --- Cases and people: lists, exports (cases/lists.py) -----------------------------------------

def _listed(request, spec, *, count_up_to=None):
    """A session-searched list (zhuao.search): its form, rows, page and listing, or the
    redirect that answers a search or a clear."""
    params = search_params(request, spec.search_key)
    if isinstance(params, HttpResponseRedirect):
        return params
    list_query = spec.query(request.user, params)
    rows, listing = listing_for(request, spec, list_query)
    page = page_of(request, rows, listing.ordering.per_page, count_up_to=count_up_to)
    filters = list_query.filters
    if TEXT_FILTERS & filters.keys():
        audit_bulk_read(actor=request.user, action=spec.object_type.split(".")[1] + ".search",
                        object_type=spec.object_type, rows=len(page.object_list),
                        filters=filters, page=page.number)
    return {"form": list_query.form, "page": page, "filtered": bool(params), "listing": listing,
            "may_register": has_role(request.user, *selectors.PERSON_REGISTER_ROLES),
            "may_import": has_role(request.user, *services.PERSON_IMPORT_ROLES)}


@require_http_methods(["GET", "POST"])
@role_required(*CASE_READER_ROLES)
def case_list(request):
    context = _listed(request, lists.CASES, count_up_to=COUNT_UP_TO)
    if isinstance(context, HttpResponseRedirect):
        return context
    context["rows"] = [{"case": case, "documents": lists.masked_documents(case.subject)}
                       for case in context["page"]]
    return render(request, "cases/case_list.html", context)


@role_required(*CASE_READER_ROLES)
def case_export(request):
    """The list as the officer sees it: the same filters (kept in the session, see
    zhuao.search), so the search text never appears in the export's address either."""
    return export_response(request, lists.CASES, current_params(request, "cases"))


@require_http_methods(["GET", "POST"])
@role_required(*CASE_READER_ROLES)
def person_list(request):
    context = _listed(request, lists.PEOPLE)
    if isinstance(context, HttpResponseRedirect):
        return context
    context["rows"] = [{"person": person, "documents": lists.masked_documents(person)}
                       for person in context["page"]]
    return render(request, "cases/person_list.html", context)


@role_required(*CASE_READER_ROLES)
def person_export(request):
    return export_response(request, lists.PEOPLE, current_params(request, "people"))


@role_required(*selectors.PERSON_REGISTER_ROLES)
def person_create(request):
    form = forms.PersonForm(request.POST or None,
                            initial={"district": getattr(user_agency(request.user), "district", "")})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(actor=request.user, check_possible_duplicates=True,
                                              **form.cleaned_data)
        except ApplicationError as error:
            existing = getattr(error, "existing", None)
            if error.code == "duplicate" and existing is not None:
                return _lead_to_existing(request, form, existing)
            if error.code == "possible_duplicate":
                audit_record(actor=request.user, action="person.possible_duplicate_shown",
                             changes={"people": [match.person.pk for match in error.matches]})
                return render(request, "cases/person_form.html", {
                    "form": form, "creating": True, "matches": error.matches,
                    "match_message": error.message})
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.name_zh})
            return redirect("cases:person_detail", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form, "creating": True})


def _lead_to_existing(request, form, existing: Person):
    """Entering a registered number leads to that person instead of creating a duplicate."""
    audit_record(actor=request.user, action="person.duplicate_found", obj=existing)
    if selectors.person_visible_to(request.user).filter(pk=existing.pk).exists():
        messages.warning(request, _("This person is already registered; here is the existing "
                                    "record. Nothing new was saved."))
        return redirect("cases:person_detail", pk=existing.pk)
    form.add_error("document_number", _(
        "A person with this document number is already registered by %(agency)s. Ask them to "
        "share the case with you instead of registering the person again.")
        % {"agency": existing.owner_agency.name})
    return render(request, "cases/person_form.html", {"form": form, "creating": True})


def _rows_shown(sections) -> int:
    return sum(len(section.items) for section in sections)


@role_required(*CASE_READER_ROLES)
def person_detail(request, pk, *, share_form=None, status=200):
    """The person's page. Shown again with ``share_form``'s errors after a refused share (the
    page the user just saw: not audited again as a new view)."""
    person = selectors.get_person_for(request.user, pk)
    stored = list(person.documents.all())
    documents = _documents(person, request.user, stored)
    sections = person_overview(request.user, person)
    view = "timeline" if request.GET.get("view") == "timeline" else "sections"
    # the 360° page reads every workstream's records of the person: what it showed is audited
    if share_form is None:
        audit_record(actor=request.user, action="person.view", obj=person,
                     summary=f"rows={_rows_shown(sections)}; view={view}",
                     changes={"rows": _rows_shown(sections), "view": view,
                              "sections": ",".join(section.key for section in sections)})
    return render(request, "cases/person_detail.html", status=status, context={
        "person": person, "documents": documents, "sections": sections, "view": view,
        "timeline": timeline(sections) if view == "timeline" else (),
        "may_change": selectors.person_may_change(request.user, person),
        "may_open_case": has_role(request.user, *REGISTER_ROLES),
        "may_ask_zhuhai": has_role(request.user, *LIAISON_ROLES),
        "possible_duplicates": selectors.person_possible_duplicates(
            request.user, person, numbers=[document.number for document in stored]),
        **_person_share_context(request.user, person, share_form)})


def _person_share_context(user, person, share_form=None) -> dict:
    """The share panel of a Macau or Hengqin record, for its registering agency."""
    if not selectors.person_may_share(user, person):
        return {"may_share": False}
    shared = list(agencies_shared_with(person))
    return {"may_share": True, "person_shared": shared,
            "person_share_form": share_form or forms.ShareForm(
                agencies=services.person_share_targets(person).exclude(
                    pk__in=[agency.pk for agency in shared]), prefix="share"),
            "person_unshare_forms": [(agency, forms.UnshareForm(
                initial={"agency": agency.pk}, prefix=f"u{agency.pk}")) for agency in shared]}


@role_required(*LIAISON_ROLES)
@require_POST
def person_share(request, pk):
    person = selectors.get_person_for(request.user, pk, action="share")
    if not selectors.person_may_share(request.user, person):
        raise Http404
    form = forms.ShareForm(request.POST, agencies=services.person_share_targets(person),
                           prefix="share")
    if form.is_valid():
        try:
            services.person_share(actor=request.user, person=person,
                                  agency=form.cleaned_data["agency"],
                                  reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The person is shared with %(agency)s.")
                             % {"agency": form.cleaned_data["agency"].name})
            return redirect("cases:person_detail", pk=person.pk)
    return person_detail(request, pk, share_form=form, status=400)


@role_required(*LIAISON_ROLES)
@require_POST
def person_unshare(request, pk, agency_pk):
    person = selectors.get_person_for(request.user, pk, action="share")
    agency = Agency.objects.filter(pk=agency_pk).first()
    if agency is None or not selectors.person_may_share(request.user, person):
        raise Http404
    _unshare(request, agency, lambda reason: services.person_unshare(
        actor=request.user, person=person, agency=agency, reason=reason))
    return redirect("cases:person_detail", pk=person.pk)


def _unshare(request, agency, withdraw) -> None:
    """Withdraw a share (a case's or a person's) with the reason posted, and say how it went."""
    form = forms.UnshareForm(request.POST, prefix=f"u{agency.pk}")
    if not form.is_valid():
        messages.error(request, _("State the reason for withdrawing the share."))
        return
    try:
        withdraw(form.cleaned_data["reason"])
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Sharing with %(agency)s is withdrawn.")
                         % {"agency": agency.name})


@role_required(*CASE_READER_ROLES)
def person_overview_pdf(request, pk):
    """The person's page for a case conference: a disclosure of personal data, audited."""
    from .pdf import person_pdf

    person = selectors.get_person_for(request.user, pk)
    sections = person_overview(request.user, person)
    content = person_pdf(person, _documents(person, request.user, links=False), sections)
    audit_record(actor=request.user, action="person.pdf", obj=person,
                 summary=_("person overview printed (disclosure)"),
                 changes={"sections": [section.key for section in sections],
                          "rows": _rows_shown(sections)})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.pdf"'
    return response


@role_required(*selectors.PERSON_REGISTER_ROLES)
def person_edit(request, pk):
    person = selectors.get_person_for(request.user, pk, action="change")
    if not selectors.person_may_change(request.user, person):
        raise Http404
    initial = {field: getattr(person, field) for field in services.PERSON_EDITABLE_FIELDS}
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form, "person": person})


# --- Households -------------------------------------------------------------------------------

@role_required(*REGISTER_ROLES)
def household_create(request, person_pk):
    person = selectors.get_person_for(request.user, person_pk, action="change")
    form = forms.HouseholdForm(request.POST or None,
                               initial={"address": person.address, "district": person.district})
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, head=person,
                                                  **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The household is registered."))
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/household_form.html", {"form": form, "person": person})


@role_required(*REGISTER_ROLES)
def household_edit(request, pk):
    household = selectors.get_household_for(request.user, pk, action="change")
    form = forms.HouseholdForm(request.POST or None, initial={
        "address": household.address, "district": household.district,
        "living_situation": household.living_situation})
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, household=household,
                                      **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/household_form.html", {"form": form, "household": household})


def _household_context(request, household, member_form=None, income_form=None):
    members = household.members.select_related("person").order_by("id")
    income = household.income_items.select_related("member").order_by("id")
    totals: dict[str, object] = {}
    for item in income:
        totals[item.currency] = totals.get(item.currency, 0) + item.monthly_amount
    may_change = has_role(request.user, *REGISTER_ROLES)
    return {"household": household, "members": members, "income": income,
            "totals": sorted(totals.items()), "may_change": may_change,
            "member_form": member_form or forms.MemberForm(),
            "income_form": income_form or forms.IncomeForm(household=household),
            "cases": selectors.case_visible_to(request.user).filter(household=household)}


@role_required(*CASE_READER_ROLES)
def household_detail(request, pk):
    household = selectors.get_household_for(request.user, pk)
    audit_record(actor=request.user, action="household.view", obj=household)
    return render(request, "cases/household_detail.html", _household_context(request, household))


@role_required(*REGISTER_ROLES)
@require_POST
def household_member_add(request, pk):
    household = selectors.get_household_for(request.user, pk, action="change")
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        try:
            try:
                person = services.person_find_by_document(
                    document_type=form.cleaned_data["document_type"],
                    number=form.cleaned_data["document_number"])
            except ValidationError as error:
                raise ApplicationError(error.messages[0], field="document_number") from None
            if person is None or not selectors.person_visible_to(request.user).filter(
                    pk=person.pk).exists():
                raise ApplicationError(_("No registered person with this document number. "
                                         "Register the person first."),
                                       field="document_number")
            services.household_member_add(actor=request.user, household=household,
                                          person=person,
                                          relationship=form.cleaned_data["relationship"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is added to the household.")
                             % {"name": person.name_zh})
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/household_detail.html",
                  _household_context(request, household, member_form=form), status=400)


@role_required(*REGISTER_ROLES)
@require_POST
def household_member_remove(request, pk, member_pk):
    household = selectors.get_household_for(request.user, pk, action="change")
    member = HouseholdMember.objects.filter(household=household, pk=member_pk).first()
    if member is None:
        raise Http404
    try:
        services.household_member_remove(actor=request.user, member=member)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("cases:household_detail", pk=household.pk)


@role_required(*REGISTER_ROLES)
@require_POST
def income_add(request, pk):
    household = selectors.get_household_for(request.user, pk, action="change")
    form = forms.IncomeForm(request.POST, household=household)
    if form.is_valid():
        data = form.cleaned_data
        member = None
        if data["member"]:
            member = Person.objects.filter(pk=data["member"],
                                           memberships__household=household).first()
        try:
            services.income_item_add(actor=request.user, household=household, member=member,
                                     kind=data["kind"], monthly_amount=data["monthly_amount"],
                                     currency=data["currency"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The income item is added."))
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/household_detail.html",
                  _household_context(request, household, income_form=form), status=400)


@role_required(*REGISTER_ROLES)
@require_POST
def income_remove(request, pk, item_pk):
    household = selectors.get_household_for(request.user, pk, action="change")
    item = IncomeItem.objects.filter(household=household, pk=item_pk).first()
    if item is None:
        raise Http404
    services.income_item_remove(actor=request.user, item=item)
    return redirect("cases:household_detail", pk=household.pk)


# --- Cases: open, detail, workflow ----------------------------------------------------------

@role_required(*REGISTER_ROLES)
def case_create(request, person_pk):
    person = selectors.get_person_for(request.user, person_pk, action="change")
    households = list(selectors.household_visible_to(request.user).filter(
        members__person=person).select_related("head").distinct())
    form = forms.CaseOpenForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = next((h for h in households if str(h.pk) == data["household"]), None)
        try:
            case = services.case_open(actor=request.user, subject=person, household=household,
                                      category=data["category"], risk_level=data["risk_level"],
                                      summary=data["summary"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Case %(number)s is opened.") % {"number": case.number})
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "person": person})


@role_required(*REGISTER_ROLES)
def case_edit(request, pk):
    case = selectors.get_case_for(request.user, pk, action="change")
    households = list(selectors.household_visible_to(request.user).filter(
        members__person=case.subject).select_related("head").distinct())
    form = forms.CaseOpenForm(request.POST or None, households=households, initial={
        "category": case.category, "risk_level": case.risk_level, "summary": case.summary,
        "household": str(case.household_id or "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = next((h for h in households if str(h.pk) == data["household"]), None)
        try:
            services.case_update(actor=request.user, case=case, household=household,
                                 category=data["category"], risk_level=data["risk_level"],
                                 summary=data["summary"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case,
                                                    "person": case.subject})


def _case_context(request, case, may_change=None, **forms_given):
    if may_change is None:
        may_change = selectors.case_may_change(request.user, case)
    shared = list(agencies_shared_with(case))
    context = {
        "case": case, "may_change": may_change, "shared": shared,
        "documents": _documents(case.subject, request.user),
        "events": case.events.select_related("actor")[:200],
        "attachments": case.attachments.all(),
        "agenda_items": case.agenda_items.select_related("meeting").order_by("-created_at"),
        "may_reassign": may_change and case.status != CaseStatus.CLOSED
        and is_team_lead(request.user, case.owner_agency),
    }
    if may_change:
        allowed = services.case_allowed_statuses(case)
        context.update({
            "note_form": forms_given.get("note_form") or forms.NoteForm(prefix="note"),
            "status_form": forms_given.get("status_form") or forms.StatusForm(
                allowed=allowed, prefix="status"),
            "attachment_form": forms_given.get("attachment_form") or forms.AttachmentForm(
                prefix="attachment"),
            "share_form": forms_given.get("share_form") or forms.ShareForm(
                agencies=services.shareable_agencies().exclude(pk__in=[a.pk for a in shared]),
                prefix="share"),
            "key_case_form": forms_given.get("key_case_form") or forms.KeyCaseForm(prefix="keycase", initial={
                "title": _("Key-case review: %(number)s") % {"number": case.number}}),
            "unshare_forms": [(agency, forms.UnshareForm(initial={"agency": agency.pk},
                                                         prefix=f"u{agency.pk}"))
                              for agency in shared],
        })
    return context


@role_required(*CASE_READER_ROLES)
def case_detail(request, pk):
    related = ("subject", "household__head", "owner_agency", "assigned_officer")
    # One query for the officers who may change the case (the usual reader), two for the rest.
    changeable = has_role(request.user, *REGISTER_ROLES) and selectors.case_visible_to(
        request.user, permission="change").select_related(*related).filter(pk=pk).first()
    case = changeable or selectors.get_case_for(request.user, pk, related=related)
    audit_record(actor=request.user, action="case.view", obj=case)
    return render(request, "cases/case_detail.html",
                  _case_context(request, case, may_change=bool(changeable)))


def _case_for_change(request, pk):
    if not has_role(request.user, *REGISTER_ROLES):
        raise Http404
    return selectors.get_case_for(request.user, pk, action="change")


def _case_post(request, pk, form_name, form, action):
    """Shared body of the case detail's POST forms: run ``action`` or re-render with errors."""
    case = _case_for_change(request, pk)
    if form.is_valid():
        try:
            message = action(case, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect("cases:case_detail", pk=case.pk)
    case = Case.objects.select_related("subject", "household", "owner_agency").get(pk=case.pk)
    return render(request, "cases/case_detail.html",
                  _case_context(request, case, **{form_name: form}), status=400)


@role_required(*REGISTER_ROLES)
@require_POST
def case_note(request, pk):
    def action(case, data):
        services.case_note_add(actor=request.user, case=case, text=data["text"])
        return _("The note is added.")

    return _case_post(request, pk, "note_form", forms.NoteForm(request.POST, prefix="note"),
                      action)


@role_required(*REGISTER_ROLES)
@require_POST
def case_status(request, pk):
    case = _case_for_change(request, pk)
    form = forms.StatusForm(request.POST, allowed=services.case_allowed_statuses(case),
                            prefix="status")

    def action(case, data):
        services.case_status_change(actor=request.user, case=case, status=data["status"],
                                    reason=data["reason"])
        return _("The status is changed.")

    return _case_post(request, pk, "status_form", form, action)


@role_required(*REGISTER_ROLES)
@require_POST
def case_attachment(request, pk):
    form = forms.AttachmentForm(request.POST, request.FILES, prefix="attachment")

    def action(case, data):
        services.case_attachment_add(actor=request.user, case=case, file=data["file"],
                                     description=data["description"])
        return _("The file is attached.")

    return _case_post(request, pk, "attachment_form", form, action)


@role_required(*REGISTER_ROLES)
@require_POST
def case_share(request, pk):
    form = forms.ShareForm(request.POST, agencies=services.shareable_agencies(), prefix="share")

    def action(case, data):
        services.case_share(actor=request.user, case=case, agency=data["agency"],
                            reason=data["reason"])
        return _("The case is shared with %(agency)s.") % {"agency": data["agency"].name}

    return _case_post(request, pk, "share_form", form, action)


@role_required(*REGISTER_ROLES)
@require_POST
def case_unshare(request, pk, agency_pk):
    case = _case_for_change(request, pk)
    agency = Agency.objects.filter(pk=agency_pk).first()
    if agency is None:
        raise Http404
    _unshare(request, agency, lambda reason: services.case_unshare(
        actor=request.user, case=case, agency=agency, reason=reason))
    return redirect("cases:case_detail", pk=case.pk)


@role_required(*REGISTER_ROLES)
@require_POST
def case_propose_key_case(request, pk):
    def action(case, data):
        item = meeting_services.agenda_item_propose_key_case(actor=request.user, case=case,
                                                             title=data["title"], reason=data["reason"],
                                                             source=f"case:{case.pk}")
        if item.meeting:
            return _("The case is on the agenda of %(meeting)s.") % {"meeting": item.meeting}
        return _("The case waits for the secretariat to put it on a meeting's agenda.")

    return _case_post(request, pk, "key_case_form", forms.KeyCaseForm(request.POST, prefix="keycase"),
                      action)


@role_required(*CASE_READER_ROLES)
def case_attachment_download(request, pk, attachment_pk):
    case = selectors.get_case_for(request.user, pk)
    attachment = CaseAttachment.objects.filter(case=case, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit_record(actor=request.user, action="case.attachment_download", obj=case,
                 changes={"attachment": attachment.pk})
    return protected_file_response(attachment.file, download_name=attachment.original_name)


# --- Meetings ----------------------------------------------------------------------------------

@role_required(*meeting_selectors.MEETING_ROLES)
def meeting_list(request):
    meetings = meeting_selectors.meeting_visible_to(request.user).select_related(
        "organiser_agency").order_by("-starts_at", "-id")
    kind = request.GET.get("kind", "")
    if kind:
        meetings = meetings.filter(kind=kind)
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED,
                               starts_at__gte=timezone.now()).order_by("starts_at")
    return render(request, "cases/meeting_list.html", {
        "page": page_of(request, meetings, PAGE_SIZE), "upcoming": upcoming[:5], "kind": kind,
        "may_manage": meeting_selectors.meeting_may_manage(request.user),
        "pending_count": meeting_selectors.pending_key_case_reviews().count()
        if meeting_selectors.meeting_may_manage(request.user) else 0})


@role_required(*meeting_selectors.MEETING_ROLES)
@require_GET
def meeting_calendar(request):
    """The month view: a grid of weeks (a list of days at phone width), the meetings the user
    may see on each day, previous and next month and today. ``?month=YYYY-MM``."""
    import calendar as month_calendar
    from collections import defaultdict
    from datetime import date, timedelta

    from django.utils.dates import WEEKDAYS

    today = timezone.localdate()
    first = today.replace(day=1)
    month_text = request.GET.get("month", "")
    if month_text:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", month_text)
        if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
            first = date(int(match[1]), int(match[2]), 1)
        else:
            messages.error(request, _("Give the month as year-month, e.g. 2026-03; this month "
                                      "is shown."))
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day = defaultdict(list)
    for meeting in meeting_selectors.meetings_between(request.user, weeks[0][0], weeks[-1][-1]):
        by_day[timezone.localdate(meeting.starts_at)].append(meeting)
    grid = [[{"day": day, "in_month": day.month == first.month, "is_today": day == today,
              "meetings": by_day.get(day, [])} for day in week] for week in weeks]
    previous_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    may_manage = meeting_selectors.meeting_may_manage(request.user)
    return render(request, "cases/meeting_calendar.html", {
        "first": first, "grid": grid, "today": today,
        "weekdays": [WEEKDAYS[number] for number in range(7)],
        "days_with_meetings": [cell for week in grid for cell in week
                               if cell["in_month"] and cell["meetings"]],
        "previous_month": previous_month.strftime("%Y-%m"),
        "next_month": next_month.strftime("%Y-%m"),
        "is_this_month": first == today.replace(day=1),
        "series": meeting_selectors.meeting_series_for_list(request.user)[:20],
        "may_manage": may_manage})


@role_required(Role.CITY)
def meeting_series_create(request):
    form = forms.MeetingSeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_series_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The recurring meeting is scheduled; its next "
                                        "occurrences are on the calendar."))
            return redirect("cases:meeting_calendar")
    return render(request, "cases/meeting_series_form.html", {"form": form})


@role_required(Role.CITY)
@require_POST
def series_end(request, pk):
    series = meeting_selectors.get_meeting_series_for(request.user, pk, action="end")
    try:
        meeting_services.meeting_series_end(actor=request.user, series=series)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The recurring meeting has ended; its future occurrences "
                                    "are cancelled."))
    return redirect("cases:meeting_calendar")


@role_required(*meeting_selectors.MEETING_ROLES)
@require_http_methods(["GET", "POST"])
def calendar_feed(request):
    """The user's private iCalendar address: make one (shown once), or revoke it."""
    feed_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                token = meeting_services.calendar_feed_token_create(actor=request.user)
                feed_url = request.build_absolute_uri(
                    reverse("cases:meeting_feed", args=[token]))
                messages.success(request, _("Your calendar address is below. Copy it now: "
                                            "it is shown only once."))
            elif action == "revoke":
                meeting_services.calendar_feed_token_revoke(actor=request.user)
                messages.success(request, _("The calendar address is revoked; calendars "
                                            "using it no longer receive meetings."))
                return redirect("cases:calendar_feed")
            else:
                return HttpResponse(status=400)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("cases:calendar_feed")
    return render(request, "cases/calendar_feed.html", {
        "feed": meeting_selectors.calendar_feed_token_live(request.user), "feed_url": feed_url})


@require_GET
def meeting_feed(request, token):
    """The iCalendar feed of the token's user: the meetings they may see, with their title,
    place and times only (no agenda, no people). A wrong or revoked token: 404."""
    feed = meeting_selectors.calendar_feed_by_token(token)
    if feed is None:
        raise Http404
    meetings = list(meeting_selectors.meetings_for_feed(feed.user))
    meeting_services.calendar_feed_used(feed=feed, rows=len(meetings))
    body = calendar_feed_ical(meetings, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="zhuao-meetings.ics"'
    return response


@role_required(Role.CITY)
def meeting_create(request):
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/meeting_form.html", {"form": form})


@role_required(Role.CITY)
def meeting_edit(request, pk):
    meeting = meeting_selectors.get_meeting_for(request.user, pk, action="change")
    form = forms.MeetingForm(request.POST or None, initial={
        "title": meeting.title, "kind": meeting.kind,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place, "online_link": meeting.online_link,
        "invited_agencies": list(meeting.invited_agencies.all()),
        "invited_people": list(meeting.invited_people.all())})
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/meeting_form.html", {"form": form, "meeting": meeting})


def _meeting_context(request, meeting, **given):
    manage = meeting_selectors.meeting_may_manage(request.user)
    agenda = meeting_selectors.meeting_agenda(meeting, request.user)
    decisions = list(meeting_selectors.meeting_decisions(meeting))
    action_items = meeting.action_items.select_related("owner_agency", "decision").order_by(
        "due_date", "id")
    context = {
        "meeting": meeting, "agenda": agenda, "action_items": action_items,
        "invited_agencies": meeting.invited_agencies.all(),
        "invited_people": meeting.invited_people.select_related("staff__agency"),
        "may_manage": manage, "today": timezone.localdate(),
        "show_minutes": manage or meeting.minutes_status in (MinutesStatus.CIRCULATED,
                                                             MinutesStatus.APPROVED),
    }
    if manage:
        context.update({
            "agenda_form": given.get("agenda_form") or forms.AgendaItemForm(prefix="agenda"),
            "decision_form": given.get("decision_form") or forms.DecisionForm(prefix="decision",
                                                                              meeting=meeting),
            "decision_item": given.get("decision_item"),
            "action_form": given.get("action_form") or forms.ActionItemForm(decisions=decisions,
                                                                             prefix="action"),
            "minutes_form": given.get("minutes_form") or forms.MinutesForm(
                prefix="minutes", initial={"minutes": meeting.minutes}),
        })
    return context


@role_required(*meeting_selectors.MEETING_ROLES)
def meeting_detail(request, pk):
    meeting = meeting_selectors.get_meeting_for(request.user, pk)
    return render(request, "cases/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_post(request, pk, form_name, form, action, **extra):
    meeting = meeting_selectors.get_meeting_for(request.user, pk, action="change")
    if form.is_valid():
        try:
            message = action(meeting, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/meeting_detail.html",
                  _meeting_context(request, meeting, **{form_name: form}, **extra), status=400)


def _cases_by_number(user, text: str) -> list[Case]:
    numbers = [number.upper() for number in re.split(r"[\s,，;；]+", text or "") if number]
    cases = list(selectors.case_visible_to(user).filter(number__in=numbers))
    missing = set(numbers) - {case.number for case in cases}
    if missing:
        raise ApplicationError(_("No case with the number %(numbers)s.")
                               % {"numbers": ", ".join(sorted(missing))}, field="case_numbers")
    return cases


@role_required(Role.CITY)
@require_POST
def agenda_add(request, pk):
    def action(meeting, data):
        cases = _cases_by_number(request.user, data["case_numbers"])
        kind = data["kind"]
        meeting_services.agenda_item_add(actor=request.user, meeting=meeting, title=data["title"],
                                         reason=data["reason"], kind=kind, cases=cases)
        return _("The item is on the agenda.")

    return _meeting_post(request, pk, "agenda_form", forms.AgendaItemForm(request.POST, prefix="agenda"),
                         action)


@role_required(Role.CITY)
@require_POST
def decision_add(request, pk, item_pk):
    item = AgendaItem.objects.filter(meeting_id=pk, pk=item_pk).first()
    if item is None:  # before the form is read: a missing item is 404 whatever was sent
        raise Http404

    def action(meeting, data):
        meeting_services.decision_record(actor=request.user, agenda_item=item, text=data["text"],
                                         outcome=data.get("outcome") or "",
                                         participants=data.get("participants") or (),
                                         participating_agencies=data.get("participating_agencies") or ())
        return _("The decision is recorded.")

    meeting = meeting_selectors.get_meeting_for(request.user, pk, action="change")
    return _meeting_post(request, pk, "decision_form",
                         forms.DecisionForm(request.POST, prefix="decision", meeting=meeting),
                         action,
                         decision_item=item_pk)


@role_required(Role.CITY)
@require_POST
def action_item_add(request, pk):
    meeting = meeting_selectors.get_meeting_for(request.user, pk, action="change")
    decisions = list(meeting_selectors.meeting_decisions(meeting))
    form = forms.ActionItemForm(request.POST, decisions=decisions, prefix="action")

    def action(meeting, data):
        decision = next((d for d in decisions if str(d.pk) == data["decision"]), None)
        meeting_services.action_item_create(actor=request.user, meeting=meeting, title=data["title"],
                                            owner_agency=data["owner_agency"], due_date=data["due_date"],
                                            description=data["description"], decision=decision)
        return _("The action item is recorded.")

    return _meeting_post(request, pk, "action_form", form, action)


@role_required(Role.CITY)
@require_POST
def minutes_save(request, pk):
    def action(meeting, data):
        meeting_services.minutes_save(actor=request.user, meeting=meeting, text=data["minutes"])
        return _("The draft minutes are saved.")

    return _meeting_post(request, pk, "minutes_form", forms.MinutesForm(request.POST, prefix="minutes"),
                         action)


#: The minutes steps that publish them (circulate to the attendees, approve as final): neither
#: can be undone, so each has a check page before and a confirmation page after.
_PUBLISHING_STEPS = ("circulate", "approve")


@role_required(Role.CITY)
@require_http_methods(["GET", "POST"])
def meeting_step(request, pk, step):
    """A step of the meeting (POST). Publishing the minutes (``circulate``, ``approve``): GET
    shows the check page, and a POST without ``confirm=yes`` is sent there."""
    meeting = meeting_selectors.get_meeting_for(request.user, pk, action="change")
    if request.method == "GET" and step not in _PUBLISHING_STEPS:
        return redirect("cases:meeting_detail", pk=meeting.pk)
    if step in _PUBLISHING_STEPS and (request.method == "GET"
                                      or request.POST.get("confirm") != "yes"):
        allowed = (meeting.can_circulate_minutes() if step == "circulate"
                   else meeting.can_approve_minutes())
        if not allowed:
            messages.info(request, _("This step of the minutes is not open now."))
            return redirect("cases:meeting_detail", pk=meeting.pk)
        if request.method == "POST":
            return redirect("cases:meeting_step", pk=meeting.pk, step=step)
        return render(request, "cases/minutes_publish.html", {
            "meeting": meeting, "step": step,
            "invited_agencies": meeting.invited_agencies.all(),
            "invited_people": meeting.invited_people.select_related("staff__agency")})
    steps = {
        "held": (lambda: meeting_services.meeting_status_change(actor=request.user, meeting=meeting,
                                                                status=MeetingStatus.HELD),
                 _("The meeting is marked as held.")),
        "cancel": (lambda: meeting_services.meeting_status_change(actor=request.user, meeting=meeting,
                                                                  status=MeetingStatus.CANCELLED),
                   _("The meeting is cancelled.")),
        "circulate": (lambda: meeting_services.minutes_circulate(actor=request.user, meeting=meeting),
                      _("The minutes are circulated to the attendees.")),
        "approve": (lambda: meeting_services.minutes_approve(actor=request.user, meeting=meeting),
                    _("The minutes are approved.")),
    }
    if step not in steps:
        raise Http404
    run, message = steps[step]
    try:
        run()
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        if step in _PUBLISHING_STEPS:
            return redirect("cases:minutes_done", pk=meeting.pk, step=step)
        messages.success(request, message)
    return redirect("cases:meeting_detail", pk=meeting.pk)


@role_required(Role.CITY)
@require_GET
def minutes_done(request, pk, step):
    """The confirmation page after circulating or approving the minutes: what happens next."""
    if step not in _PUBLISHING_STEPS:
        raise Http404
    meeting = meeting_selectors.get_meeting_for(request.user, pk)
    wanted = MinutesStatus.CIRCULATED if step == "circulate" else MinutesStatus.APPROVED
    if meeting.minutes_status != wanted:
        return redirect("cases:meeting_detail", pk=meeting.pk)
    return render(request, "cases/minutes_done.html", {"meeting": meeting, "step": step})


@role_required(*meeting_selectors.MEETING_ROLES)
def meeting_minutes_pdf(request, pk):
    from .pdf import minutes_pdf

    meeting = meeting_selectors.get_meeting_for(request.user, pk)
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise Http404
    from zhuao.printforms import pdf_response

    content = minutes_pdf(meeting, request.user)
    audit_record(actor=request.user, action="meeting.minutes_pdf", obj=meeting)
    return pdf_response(content, f"minutes-{meeting.pk}.pdf")


@role_required(Role.CITY)
def pending_reviews(request):
    meetings = list(meeting_selectors.scheduled_meetings())
    return render(request, "cases/pending_reviews.html", {
        "items": meeting_selectors.pending_key_case_reviews(),
        "assign_form": forms.AssignForm(meetings=meetings), "meetings": meetings})


@role_required(Role.CITY)
@require_POST
def pending_assign(request, item_pk):
    item = AgendaItem.objects.filter(pk=item_pk, kind=AgendaItemKind.KEY_CASE_REVIEW).first()
    meetings = list(meeting_selectors.scheduled_meetings())
    form = forms.AssignForm(request.POST, meetings=meetings)
    if item is None:
        raise Http404
    if form.is_valid():
        meeting = next(m for m in meetings if str(m.pk) == form.cleaned_data["meeting"])
        try:
            meeting_services.agenda_item_assign(actor=request.user, item=item, meeting=meeting)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The item is on the agenda of %(meeting)s.")
                             % {"meeting": meeting.title})
    else:
        messages.error(request, _("Choose a scheduled meeting."))
    return redirect("cases:pending_reviews")


@role_required(Role.CITY)
@require_POST
def agenda_withdraw(request, item_pk):
    item = AgendaItem.objects.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        meeting_services.agenda_item_withdraw(actor=request.user, item=item,
                                              reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The item is withdrawn."))
    if item.meeting_id:
        return redirect("cases:meeting_detail", pk=item.meeting_id)
    return redirect("cases:pending_reviews")


# --- Action items ------------------------------------------------------------------------------

@role_required(*meeting_selectors.MEETING_ROLES)
def action_item_list(request):
    list_query = lists.ACTION_ITEMS.query(request.user, request.GET)
    rows, listing = listing_for(request, lists.ACTION_ITEMS, list_query)
    return render(request, "cases/action_item_list.html", {
        "form": list_query.form, "page": page_of(request, rows, listing.ordering.per_page),
        "listing": listing, "today": timezone.localdate()})


@role_required(*meeting_selectors.MEETING_ROLES)
def action_item_export(request):
    return export_response(request, lists.ACTION_ITEMS)


@role_required(*meeting_selectors.MEETING_ROLES)
def action_item_detail(request, pk):
    item = meeting_selectors.get_action_item_for(request.user, pk)
    may_update = meeting_selectors.action_item_may_update(request.user, item) and item.is_active
    form = forms.ProgressForm(request.POST or None, initial={"status": item.status})
    if request.method == "POST":
        if not may_update:
            raise Http404
        if form.is_valid():
            try:
                meeting_services.action_item_progress(actor=request.user, action_item=item,
                                                      text=form.cleaned_data["text"],
                                                      status=form.cleaned_data["status"])
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The progress note is recorded."))
                return redirect("cases:action_item_detail", pk=item.pk)
    return render(request, "cases/action_item_detail.html", {
        "item": item, "notes": item.progress_notes.select_related("actor"),
        "form": form if may_update else None, "today": timezone.localdate()},
        status=400 if form.errors else 200)


# --- Liaison roster ----------------------------------------------------------------------------

@role_required(*ALL_STAFF_ROLES)
def liaison_list(request):
    current_only = request.GET.get("current") == "1"
    return render(request, "cases/liaison_list.html", {
        "entries": meeting_selectors.liaison_roster(current_only=current_only),
        "current_only": current_only, "today": timezone.localdate(),
        "may_edit": has_role(request.user, Role.CITY)})


@role_required(Role.CITY)
def liaison_edit(request, pk=None):
    assignment = None
    initial = {"valid_from": timezone.localdate()}
    if pk is not None:
        assignment = LiaisonAssignment.objects.filter(pk=pk).first()
        if assignment is None:
            raise Http404
        initial = {field: getattr(assignment, field) for field in
                   ("agency", "user", "role", "phone", "email", "valid_from", "valid_until")}
    form = forms.LiaisonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.liaison_assignment_save(actor=request.user, assignment=assignment,
                                                     **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The liaison roster is updated."))
            return redirect("cases:liaison_list")
    return render(request, "cases/liaison_form.html", {"form": form, "assignment": assignment})


# --------------------------------------------------------------------- people import

def _people_import_title():
    return _("Import people and households")


@require_http_methods(["GET", "POST"])
@role_required(*services.PERSON_IMPORT_ROLES)
def person_import(request):
    from zhuao import import_views
    from zhuao.models import SpreadsheetImportKind

    return import_views.upload_page(
        request, kind=SpreadsheetImportKind.PEOPLE, preview=services.person_import_preview,
        title=_people_import_title(), detail_url="cases:person_import_detail",
        template_url="cases:person_import_template",
        explanation=_("Each row is a person; the rows with the same household reference form "
                      "one household, whose head is the row marked 户主. People are registered "
                      "in your agency and district; a document number already registered is "
                      "reported, not registered twice."))


@require_http_methods(["GET", "POST"])
@role_required(*services.PERSON_IMPORT_ROLES)
def person_import_detail(request, pk):
    from zhuao import import_views
    from zhuao.identity import DocumentType
    from zhuao.models import District, SpreadsheetImportKind

    from .models import Relationship, Sex
    from .people_import import COLUMNS

    return import_views.detail_page(
        request, pk, kind=SpreadsheetImportKind.PEOPLE, commit=services.person_import_commit,
        columns=COLUMNS, title=_people_import_title(), list_url="cases:person_import",
        shown_columns=["household_ref", "relationship", "name_zh", "name_latin",
                       "date_of_birth", "sex", "document_type", "district"],
        display={"relationship": dict(Relationship.choices), "sex": dict(Sex.choices),
                 "document_type": dict(DocumentType.choices),
                 "district": dict(District.choices)},
        done_message=_("Imported: %(people)s people registered, %(households)s households."))


@require_GET
@role_required(*services.PERSON_IMPORT_ROLES)
def person_import_template(request):
    from zhuao import import_views

    from .people_import import COLUMNS

    return import_views.template_response(
        COLUMNS, file_name="people-template.xlsx", sheet_title=_("People"), introduction=[
            _("Fill in the first sheet, one person per row, from the second row on; keep the "
              "header row. Delete the example row."),
            _("The rows with the same household reference form one household; exactly one "
              "of them is its head (户主)."),
            _("Nothing is saved until you have seen the check and confirmed it.")])


# --- Responsible officer: reassign, in bulk ---------------------------------------------------

@require_http_methods(["GET", "POST"])
@role_required(Role.CITY, Role.DISTRICT)
def case_bulk_assign(request):
    """Assign the ticked cases (or one, from its page: ``?ids=``) to an officer of the team
    lead's agency; each case through ``case_assign``."""
    from django.urls import reverse

    from zhuao import bulk
    from zhuao.forms import OfficerForm

    return bulk.handle(request, bulk.BulkAction(
        title=_("Assign cases"), confirm_label=_("Assign"), back_url=reverse("cases:case_list"),
        fetch=lambda user, pk: selectors.get_case_for(user, pk, action="change"),
        perform=lambda user, case, data: services.case_assign(
            actor=user, case=case, officer=data["officer"]),
        describe=lambda case: case.number, form_class=OfficerForm))


@require_http_methods(["GET", "POST"])
@role_required(*meeting_selectors.MEETING_ROLES)
def action_item_bulk_done(request):
    """Mark the ticked action items done, each through ``action_item_progress``."""
    from django.urls import reverse

    from zhuao import bulk

    return bulk.handle(request, bulk.BulkAction(
        title=_("Mark action items done"), confirm_label=_("Mark done"),
        back_url=reverse("cases:action_item_list"),
        fetch=lambda user, pk: meeting_selectors.get_action_item_for(user, pk, action="change"),
        perform=lambda user, item, data: meeting_services.action_item_mark_done(
            actor=user, action_item=item),
        describe=lambda item: item.title))
