from django.utils.translation import gettext_lazy as _

from web.navigation import NavItem
from core.roles import Role, has_role

from .permissions import OVERSIGHT_ROLES, REPORTING_ROLES
from .selectors import user_agency


def items(user) -> list[NavItem]:
    if user_agency(user) is None:
        return []
    entries = []
    oversight = has_role(user, *OVERSIGHT_ROLES)
    if oversight:
        entries.append(NavItem(_("Pilot dashboard"), "pilot:dashboard", section="pilot",
                               order=600, is_primary=has_role(user, Role.LEADERSHIP)))
        entries.append(NavItem(_("Pilot reports"), "pilot:report_list", section="pilot",
                               order=630, is_primary=has_role(user, Role.LEADERSHIP)))
    if oversight or has_role(user, *REPORTING_ROLES):
        entries.append(NavItem(_("Pilot plan"), "pilot:index", section="pilot", order=610))
    if has_role(user, *REPORTING_ROLES) or oversight:
        entries.append(NavItem(_("Progress reports"), "pilot:progress_list", section="pilot",
                               order=620))
    return entries
