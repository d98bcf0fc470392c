from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.navigation import NavItem
from core.roles import Role, has_role

from .permissions import BANK_ROLES, BATCH_VIEW_ROLES, IMPORT_VIEW_ROLES

SECTION = "remittance"


def items(user) -> list[NavItem]:
    entries: list[NavItem] = []
    roster_roles = (Role.CITY, Role.FINWORK, Role.DISTRICT, Role.MACAU)
    finwork = has_role(user, Role.FINWORK)
    if has_role(user, *roster_roles):
        entries.append(NavItem(pgettext_lazy("remittance", "Macau aid recipients"), "remittance:recipient_list",
                               section=SECTION, order=300,
                               is_primary=has_role(user, Role.MACAU) or finwork))
        entries.append(NavItem(_("Priority appointments"), "remittance:appointment_list",
                               section=SECTION, order=320, is_primary=finwork))
        entries.append(NavItem(_("Bank branches"), "remittance:branch_list", section=SECTION,
                               order=330))
    if has_role(user, *BANK_ROLES):
        entries.append(NavItem(_("Bank desk"), "remittance:bank_desk", section=SECTION,
                               order=305, is_primary=True))
    if has_role(user, *IMPORT_VIEW_ROLES):
        entries.append(NavItem(_("Roster imports"), "remittance:import_list", section=SECTION,
                               order=310))
    if has_role(user, *BATCH_VIEW_ROLES):
        entries.append(NavItem(_("Disbursement batches"), "remittance:batch_list",
                               section=SECTION, order=340,
                               is_primary=finwork))
    if has_role(user, *BATCH_VIEW_ROLES, Role.DISTRICT):
        entries.append(NavItem(_("Payments"), "remittance:payment_list", section=SECTION,
                               order=350))
    if has_role(user, *roster_roles, Role.LEADERSHIP):
        entries.append(NavItem(_("Card coverage"), "remittance:coverage", section=SECTION,
                               order=360))
    return entries
