from django.utils.translation import gettext_lazy as _

from web.navigation import NavItem
from core.roles import STAFF_ROLES, Role, has_role

from .permissions import MEETING_ROLES


def items(user) -> list[NavItem]:
    entries: list[NavItem] = []
    register = has_role(user, Role.CITY, Role.DISTRICT)
    readers = register or has_role(user, Role.MACAU, Role.HENGQIN)
    if readers:
        entries.append(NavItem(_("Cases"), "cases:case_list", section="cases", order=10,
                               is_primary=has_role(user, Role.CITY, Role.DISTRICT, Role.HENGQIN)))
        entries.append(NavItem(_("People"), "cases:person_list", section="cases", order=11))
    if register:
        entries.append(NavItem(_("Register a person"), "cases:person_create", section="cases",
                               order=12, is_primary=has_role(user, Role.DISTRICT)))
    if has_role(user, Role.CITY):
        entries.append(NavItem(_("Possible duplicates"), "cases:possible_duplicates",
                               section="cases", order=13))
    if has_role(user, *MEETING_ROLES):
        entries.append(NavItem(_("Joint meetings"), "cases:meeting_list", section="meetings",
                               order=20, is_primary=has_role(user, Role.CITY, Role.LEADERSHIP)))
        entries.append(NavItem(_("Action items"), "cases:action_item_list", section="meetings",
                               order=21))
        entries.append(NavItem(_("Meeting calendar"), "cases:meeting_calendar",
                               section="meetings", order=24))
    if has_role(user, *STAFF_ROLES):  # the roster page's roles
        entries.append(NavItem(_("Liaison roster"), "cases:liaison_list", section="meetings",
                               order=22))
    if has_role(user, Role.CITY):
        entries.append(NavItem(_("Pending key-case reviews"), "cases:pending_reviews",
                               section="meetings", order=23))
    return entries
