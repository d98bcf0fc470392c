"""The verification requests and the bulletins (the findings summaries each agency receives)
as web.listing defines them: one query for page, export and background job."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.listing import Column, ListQuery, ListSpec, register

from . import selectors
from .models import RequestDirection, RequestStatus
from .permissions import WORKING_ROLES


def request_query(user, params) -> ListQuery:
    requests = selectors.verification_request_visible_to(user)
    status = params.get("status", "")
    direction = params.get("direction", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    elif status == "overdue":
        requests = selectors.verification_requests_overdue(user)
    if status == "to_route":
        requests = selectors.verification_requests_to_route(user)
    agency = getattr(getattr(user, "staff", None), "agency", None)
    if direction in RequestDirection.values:
        requests = requests.filter(direction=direction)
    elif direction == "incoming":
        requests = requests.filter(receiving_agency=agency)
    elif direction == "outgoing":
        requests = requests.filter(requesting_agency=agency)
    # the list shows the two agencies, not the person or the case: fewer joins to plan
    requests = requests.select_related(None).select_related("requesting_agency",
                                                            "receiving_agency")
    filters = {key: value for key, value in (("status", status), ("direction", direction))
               if value}
    return ListQuery(requests, filters, context={"status": status, "direction": direction})


def request_columns():
    return [
        Column(_("Request number"), lambda item: item.number),
        Column(_("Direction"), lambda item: item.get_direction_display()),
        Column(pgettext_lazy("infosharing", "From"), lambda item: item.requesting_agency.name),
        Column(pgettext_lazy("infosharing", "To"), lambda item: item.receiving_agency.name),
        Column(_("Status"), lambda item: item.get_status_display()),
        Column(_("Overdue"), lambda item: item.is_overdue()),
        Column(_("Due date"), lambda item: item.due_date),
        Column(_("Request created at"), lambda item: item.created_at),
    ]


REQUESTS = register(ListSpec(
    key="requests", title=_("Verification requests"), url_name="infosharing:request_list",
    export_url_name="infosharing:request_export", roles=WORKING_ROLES,
    object_type="infosharing.verificationrequest", query=request_query, columns=request_columns,
    sorts={"number": ("number",), "status": ("status",), "due": ("due_date",),
           "created": ("created_at",)},
    default_sort="-created"))


def bulletin_query(user, params) -> ListQuery:
    return ListQuery(selectors.bulletins_listed_for(user).select_related("agency"))


def bulletin_columns():
    return [
        Column(_("Period start"), lambda bulletin: bulletin.period_start),
        Column(_("Period end"), lambda bulletin: bulletin.period_end),
        Column(_("Status"), lambda bulletin: bulletin.get_status_display()),
        Column(pgettext_lazy("bulletin", "Deadline"), lambda bulletin: bulletin.deadline),
        Column(_("Published"), lambda bulletin: bulletin.published_at),
        Column(_("Missing sections"), lambda bulletin: ", ".join(bulletin.missing_side_labels())),
    ]


BULLETINS = register(ListSpec(
    key="bulletins", title=_("Regular bulletins"), url_name="infosharing:bulletin_list",
    export_url_name="infosharing:bulletin_export", roles=WORKING_ROLES,
    object_type="infosharing.bulletin", query=bulletin_query, columns=bulletin_columns,
    sorts={"period": ("period_start",), "deadline": ("deadline",),
           "published": ("published_at",)},
    default_sort="-period"))
