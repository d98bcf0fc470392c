from django.utils.translation import gettext_lazy as _

from core.roles import has_role
from core.visibility import user_agency
from core.work import WorkSource
from web.navigation import Panel

from .models import RequestStatus
from .permissions import WORKING_ROLES
from .selectors import (
    authorizations_expiring,
    urgent_notification_shows_person,
    urgent_recipients_to_acknowledge,
    verification_request_visible_to,
    verification_requests_overdue,
    verification_requests_waiting_for,
)

# Each panel reads only the columns its template shows: the selectors join the related records
# that lists and detail pages need, and compiling and loading them cost more than the queries.
REQUEST_COLUMNS = ("pk", "number", "status", "due_date")


def panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    result = []
    # the person only for a role that may see it (an escalation reaches the leadership)
    shows_person = urgent_notification_shows_person(user)
    columns = ["notification", "escalation_level", "notification__kind",
               "notification__created_at"]
    unacknowledged = urgent_recipients_to_acknowledge(user).select_related(None)
    if shows_person:
        unacknowledged = unacknowledged.select_related("notification__person")
        columns.append("notification__person__name_zh")
    else:
        unacknowledged = unacknowledged.select_related("notification")
    unacknowledged = list(unacknowledged.only(*columns)[:10])
    if unacknowledged:
        result.append(Panel(_("Urgent notifications to acknowledge"),
                            "infosharing/panels/urgent.html",
                            {"items": unacknowledged, "shows_person": shows_person}, order=10))
    if not has_role(user, *WORKING_ROLES):
        return result
    waiting = list(verification_requests_waiting_for(user).select_related(None)
                   .only(*REQUEST_COLUMNS)[:10])
    if waiting:
        result.append(Panel(_("Verification requests to answer"),
                            "infosharing/panels/requests.html", {"items": waiting}, order=20))
    overdue = list(verification_requests_overdue(user).exclude(pk__in=[item.pk for item in waiting])
                   .select_related(None).only(*REQUEST_COLUMNS)[:10])
    if overdue:
        result.append(Panel(_("Overdue verification requests"),
                            "infosharing/panels/requests.html", {"items": overdue}, order=30))
    expiring = list(authorizations_expiring(user).select_related(None).select_related("person")
                    .only("pk", "valid_until", "person__name_zh")[:10])
    if expiring:
        result.append(Panel(_("Authorizations expiring soon"),
                            "infosharing/panels/authorizations.html", {"items": expiring},
                            order=40))
    return result


def work_sources(user, *, since) -> list:
    """Urgent notifications to acknowledge; requests to receive or answer (the receiving
    side); answered or returned requests waiting for the requesting side."""
    sources = [WorkSource("infosharing.urgent_to_acknowledge",
                          _("Urgent notification to acknowledge"),
                          urgent_recipients_to_acknowledge(user), "infosharing:urgent_detail",
                          reference="notification_id", reference_prefix="#",
                          due="ack_due_at", target="notification_id")]
    agency = user_agency(user)
    if agency is None or not has_role(user, *WORKING_ROLES):
        return sources
    sources.append(WorkSource("infosharing.request_to_answer",
                              _("Verification request to receive or answer"),
                              verification_requests_waiting_for(user),
                              "infosharing:request_detail", due="due_date"))
    mine = verification_request_visible_to(user).filter(requesting_agency=agency)
    sources.append(WorkSource("infosharing.request_to_close",
                              _("Answered verification request to close"),
                              mine.filter(status=RequestStatus.ANSWERED),
                              "infosharing:request_detail"))
    sources.append(WorkSource("infosharing.request_returned",
                              _("Verification request returned for more information"),
                              mine.filter(status=RequestStatus.RETURNED),
                              "infosharing:request_detail", due="due_date"))
    return sources
