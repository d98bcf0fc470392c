"""Pages of the register (the secretariat's are in cases/secretariat/views.py). Views call
services and selectors only; ApplicationError becomes a form error or a message and nothing is
saved."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import bulk
from core.assignment import is_team_lead
from core.audit import TEXT_FILTERS, audit_bulk_read, audit_record
from core.errors import ApplicationError
from core.files import protected_file_response
from core.identity import DocumentType, mask
from core.models import Agency, District, SpreadsheetImportKind
from core.reveal import reveal_page
from core.roles import LIAISON_ROLES, Role, has_role
from core.visibility import agencies_shared_with, user_agency
from web import import_views
from web.decorators import role_required
from web.exports import export_response
from web.forms import OfficerForm, add_service_error
from web.listing import listing_for
from web.pagination import COUNT_UP_TO, page_of
from web.search import current_params, search_params

from . import forms, lists, selectors, services
from .models import (
    Case,
    CaseAttachment,
    CaseStatus,
    HouseholdMember,
    IncomeItem,
    Person,
    Relationship,
    Sex,
)
from .pdf import person_pdf
from .people_import import COLUMNS
from .permissions import (
    CASE_READER_ROLES,
    IDENTITY_REVEAL_ROLES,
    PERSON_IMPORT_ROLES,
    PERSON_REGISTER_ROLES,
    REGISTER_ROLES,
)
from .person_overview import person_overview, timeline
from .secretariat.services import agenda_item_propose_key_case


def _documents(person, user, stored=None, *, links=True):
    """The person's documents, masked; with the link to reveal each number when the user may
    (core.reveal)."""
    revealable = links and selectors.person_numbers_revealable_by(user, person.pk)
    return [{"type": document.get_document_type_display(), "number": mask(document.number),
             "reveal_url": reverse("cases:identity_document_reveal",
                                   args=[person.pk, document.pk]) if revealable else ""}
            for document in (person.documents.all() if stored is None else stored)]


@require_http_methods(["GET", "POST"])
@role_required(*IDENTITY_REVEAL_ROLES)
def identity_document_reveal(request, pk, document_pk):
    """Show one identity-document number in full, with a reason (core.reveal)."""
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
    """A session-searched list (web.search): its form, rows, page and listing, or the
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
            "may_register": has_role(request.user, *PERSON_REGISTER_ROLES),
            "may_import": has_role(request.user, *PERSON_IMPORT_ROLES)}


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
    web.search), so the search text never appears in the export's address either."""
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


@role_required(*PERSON_REGISTER_ROLES)
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


@role_required(*PERSON_REGISTER_ROLES)
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
        item = agenda_item_propose_key_case(actor=request.user, case=case,
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


# --------------------------------------------------------------------- people import

def _people_import_title():
    return _("Import people and households")


@require_http_methods(["GET", "POST"])
@role_required(*PERSON_IMPORT_ROLES)
def person_import(request):
    return import_views.upload_page(
        request, kind=SpreadsheetImportKind.PEOPLE, preview=services.person_import_preview,
        title=_people_import_title(), detail_url="cases:person_import_detail",
        template_url="cases:person_import_template",
        explanation=_("Each row is a person; the rows with the same household reference form "
                      "one household, whose head is the row marked 户主. People are registered "
                      "in your agency and district; a document number already registered is "
                      "reported, not registered twice."))


@require_http_methods(["GET", "POST"])
@role_required(*PERSON_IMPORT_ROLES)
def person_import_detail(request, pk):
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
@role_required(*PERSON_IMPORT_ROLES)
def person_import_template(request):
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
    return bulk.handle(request, bulk.BulkAction(
        title=_("Assign cases"), confirm_label=_("Assign"), back_url=reverse("cases:case_list"),
        fetch=lambda user, pk: selectors.get_case_for(user, pk, action="change"),
        perform=lambda user, case, data: services.case_assign(
            actor=user, case=case, officer=data["officer"]),
        describe=lambda case: case.number, form_class=OfficerForm))
