from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role
from web.navigation import NavItem

from .permissions import WORKING_ROLES
from .selectors import urgent_recipients_to_acknowledge, verification_requests_waiting_for


def items(user) -> list[NavItem]:
    if not has_role(user, *WORKING_ROLES):
        return []

    liaison = has_role(user, Role.MACAU, Role.HENGQIN)
    waiting = verification_requests_waiting_for(user)
    unacknowledged = urgent_recipients_to_acknowledge(user)
    return [
        NavItem(_("Verification requests"), "infosharing:request_list", section="infosharing",
                order=300, is_primary=True, badge=waiting),
        NavItem(_("Signed authorizations"), "infosharing:authorization_list",
                section="infosharing", order=310),
        NavItem(_("Urgent notifications"), "infosharing:urgent_list", section="infosharing",
                order=320, is_primary=liaison, badge=unacknowledged),
        NavItem(_("Bulletins"), "infosharing:bulletin_list", section="infosharing", order=330),
    ]
