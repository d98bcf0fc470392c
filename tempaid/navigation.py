from django.utils.translation import gettext_lazy as _

from web.navigation import NavItem
from core.roles import Role, has_role


def items(user) -> list[NavItem]:
    entries = []
    if has_role(user, Role.DISTRICT):
        entries.append(NavItem(_("New relief application"), "tempaid:create", section="tempaid",
                               order=400, is_primary=True))
    if has_role(user, Role.DISTRICT, Role.CITY, Role.FINANCE, Role.MACAU, Role.HENGQIN):
        entries.append(NavItem(_("Temporary relief"), "tempaid:list", section="tempaid",
                               order=401, is_primary=has_role(user, Role.CITY, Role.FINANCE)))
    if has_role(user, Role.CITY, Role.FINANCE):
        entries.append(NavItem(_("Relief funds"), "tempaid:fund", section="tempaid", order=402,
                               is_primary=has_role(user, Role.FINANCE)))
    if has_role(user, Role.CITY, Role.DISTRICT, Role.FINANCE):
        entries.append(NavItem(_("Relief policy"), "tempaid:policies", section="tempaid",
                               order=403))
    return entries
