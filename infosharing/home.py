from django.utils.translation import gettext_lazy as _

from zhuao.navigation import Panel
from zhuao.roles import has_role

from .selectors import (
    WORKING_ROLES,
    authorizations_expiring,
    urgent_recipients_to_acknowledge,
    verification_requests_overdue,
    verification_requests_waiting_for,
)


def panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    result = []
    unacknowledged = list(urgent_recipients_to_acknowledge(user)[:10])
    if unacknowledged:
        result.append(Panel(_("Urgent notifications to acknowledge"),
                            "infosharing/panels/urgent.html", {"items": unacknowledged}, order=10))
    if not has_role(user, *WORKING_ROLES):
        return result
    waiting = list(verification_requests_waiting_for(user)[:10])
    if waiting:
        result.append(Panel(_("Verification requests to answer"),
                            "infosharing/panels/requests.html", {"items": waiting}, order=20))
    overdue = list(verification_requests_overdue(user).exclude(
        pk__in=[item.pk for item in waiting])[:10])
    if overdue:
        result.append(Panel(_("Overdue verification requests"),
                            "infosharing/panels/requests.html", {"items": overdue}, order=30))
    expiring = list(authorizations_expiring(user)[:10])
    if expiring:
        result.append(Panel(_("Authorizations expiring soon"),
                            "infosharing/panels/authorizations.html", {"items": expiring},
                            order=40))
    return result
