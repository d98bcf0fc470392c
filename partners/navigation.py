from django.utils.translation import gettext_lazy as _

from web.navigation import NavItem
from core.roles import Role, has_role


def items(user) -> list[NavItem]:
    entries: list[NavItem] = []
    section = "partners"
    if has_role(user, Role.CITY):
        entries += [
            NavItem(_("Referrals"), "partners:referral_list", section, 500),
            NavItem(_("Service contracts"), "partners:contract_list", section, 510),
            NavItem(_("Social organisations"), "partners:organisation_list", section, 520),
            NavItem(_("Social workers"), "partners:social_worker_list", section, 530),
            NavItem(_("Service records"), "partners:service_record_list", section, 540),
            NavItem(_("Partner figures"), "partners:figures", section, 550),
        ]
    elif has_role(user, Role.DISTRICT):
        entries += [
            NavItem(_("Referrals"), "partners:referral_list", section, 500),
            NavItem(_("Service contracts"), "partners:contract_list", section, 510),
            NavItem(_("Social organisations"), "partners:organisation_list", section, 520),
            NavItem(_("Service records"), "partners:service_record_list", section, 540),
        ]
    elif has_role(user, Role.FINANCE):
        entries += [
            NavItem(_("Service contracts"), "partners:contract_list", section, 510,
                    is_primary=True),
            NavItem(_("Social organisations"), "partners:organisation_list", section, 520),
        ]
    elif has_role(user, Role.NGO):
        entries += [
            NavItem(_("Referrals to us"), "partners:referral_list", section, 500,
                    is_primary=True),
            NavItem(_("Service records"), "partners:service_record_list", section, 505,
                    is_primary=True),
            NavItem(_("Our contracts"), "partners:contract_list", section, 510, is_primary=True),
            NavItem(_("Our social workers"), "partners:social_worker_list", section, 530),
            NavItem(_("Our organisation"), "partners:organisation_list", section, 520),
        ]
    elif has_role(user, Role.MACAU, Role.HENGQIN):
        # their referrals of their side's people to the service contracts
        entries.append(NavItem(_("Referrals"), "partners:referral_list", section, 500))
    if has_role(user, Role.LEADERSHIP) and not has_role(user, Role.CITY):
        entries.append(NavItem(_("Partner figures"), "partners:figures", section, 550))
    return entries
