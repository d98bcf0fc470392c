"""The app's lists (the register's cases and people, the secretariat's action items) as
web.listing defines them: the one query their pages, exports and background export jobs
share, the columns that sort, and the export's columns (identity numbers masked). One module
per app: the export worker loads ``<app>.lists``."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.assignment import user_label
from core.identity import mask
from core.models import agency_name_fields
from web.listing import Column, ListQuery, ListSpec, register

from . import forms, selectors
from .models import ActionItemStatus, IdentityDocument
from .permissions import CASE_READER_ROLES, MEETING_ROLES
from .secretariat import forms as meeting_forms
from .secretariat import selectors as meeting_selectors


def masked_documents(person) -> str:
    return ", ".join(mask(document.number) for document in selectors.documents_of(person))


MASKED_DOCUMENTS = "_masked_documents"


def attach_masked_documents(rows, person_id=lambda row: row.person_id) -> None:
    """For another app's export: each row's person's identity documents, masked, in one query
    per chunk of rows (read back with ``masked_documents_of``)."""
    ids = {person_id(row) for row in rows}
    numbers: dict[int, list[str]] = {}
    for owner, number in (IdentityDocument.objects.filter(person_id__in=ids)
                          .order_by("person_id", "id").values_list("person_id", "number")):
        numbers.setdefault(owner, []).append(mask(number))
    for row in rows:
        setattr(row, MASKED_DOCUMENTS, ", ".join(numbers.get(person_id(row), [])))


def masked_documents_of(row) -> str:
    return getattr(row, MASKED_DOCUMENTS, "")


# --- cases -------------------------------------------------------------------------------------

def case_filters(params):
    form = forms.CaseSearchForm(params or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {key: data[key] for key in ("q", "district", "status", "category",
                                              "risk_level") if data[key]}
        if data["key_case"]:
            filters["key_case"] = data["key_case"] == "yes"
        if data["mine"]:
            filters["mine"] = True
    return form, filters


def case_query(user, params) -> ListQuery:
    form, filters = case_filters(params)
    return ListQuery(selectors.case_search(user, **filters), filters, form)


def case_columns():
    return [
        Column(_("Case number"), lambda case: case.number),
        Column(pgettext_lazy("person", "Name"), lambda case: case.subject.name_zh),
        Column(_("Identity documents (masked)"), lambda case: masked_documents(case.subject)),
        Column(_("District"), lambda case: case.get_district_display()),
        Column(_("Category"), lambda case: case.get_category_display()),
        Column(_("Status"), lambda case: case.get_status_display()),
        Column(_("Risk level"), lambda case: case.get_risk_level_display()),
        Column(_("Key case"), lambda case: case.is_key_case),
        Column(_("Owner agency"), lambda case: case.owner_agency.name),
        Column(_("Responsible officer"), lambda case: user_label(case.assigned_officer)),
        Column(_("Opened at"), lambda case: case.opened_at),
        Column(_("Closed at"), lambda case: case.closed_at),
    ]


CASES = register(ListSpec(
    key="cases", title=_("Cases"), url_name="cases:case_list",
    export_url_name="cases:case_export", roles=CASE_READER_ROLES, object_type="cases.case",
    query=case_query, columns=case_columns, search_key="cases",
    sorts={"number": ("number",), "district": ("district",), "status": ("status",),
           "opened": ("opened_at",)},
    default_sort="-opened"))


# --- people ------------------------------------------------------------------------------------

def person_query(user, params) -> ListQuery:
    form = forms.PersonSearchForm(params or None)
    filters = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    return ListQuery(selectors.person_search(user, **filters), filters, form)


def person_columns():
    return [
        Column(pgettext_lazy("person", "Name"), lambda person: person.name_zh),
        Column(_("Name in Latin letters"), lambda person: person.name_latin),
        Column(_("Identity documents (masked)"), masked_documents),
        Column(_("Residence status"), lambda person: person.get_residence_status_display()),
        Column(_("District"), lambda person: person.get_district_display()),
        Column(_("Registering agency"), lambda person: person.owner_agency.name),
    ]


PEOPLE = register(ListSpec(
    key="people", title=_("People"), url_name="cases:person_list",
    export_url_name="cases:person_export", roles=CASE_READER_ROLES, object_type="cases.person",
    query=person_query, columns=person_columns, search_key="people",
    sorts={"name": ("name_zh",), "district": ("district",), "registered": ("created_at",)},
    default_sort="-registered"))


# --- action items ------------------------------------------------------------------------------

def action_item_query(user, params) -> ListQuery:
    form = meeting_forms.ActionItemFilterForm(params or None)
    items = meeting_selectors.action_item_visible_to(user)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {key: value for key, value in data.items() if value}
        if data["status"]:
            items = items.filter(status=data["status"])
        if data["owner_agency"]:
            items = items.filter(owner_agency=data["owner_agency"])
        if data["overdue"]:
            items = items.filter(status__in=[ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS],
                                 due_date__lt=timezone.localdate())
    items = (items.select_related(None).select_related("meeting", "owner_agency")
             .only("pk", "title", "due_date", "status", "meeting__title",
                   *agency_name_fields("owner_agency")))
    return ListQuery(items, filters, form)


def action_item_columns():
    return [
        Column(pgettext_lazy("meeting", "Action"), lambda item: item.title),
        Column(_("Meeting"), lambda item: item.meeting.title if item.meeting_id else ""),
        Column(_("Owner agency"), lambda item: item.owner_agency.name),
        Column(_("Due date"), lambda item: item.due_date),
        Column(_("Status"), lambda item: item.get_status_display()),
    ]


ACTION_ITEMS = register(ListSpec(
    key="action-items", title=_("Action items"), url_name="cases:action_item_list",
    export_url_name="cases:action_item_export", roles=tuple(MEETING_ROLES),
    object_type="cases.actionitem", query=action_item_query, columns=action_item_columns,
    sorts={"due": ("due_date",), "status": ("status",)}, default_sort="due"))
