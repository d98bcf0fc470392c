"""The role model: role names are declared here, once. A role is a Django group of the same name.
What each role may do is declared in each app's ``permissions.py`` (core/permissions.py says
how); ``sync_role_permissions`` gives the administrators' groups the Django admin's model
permissions declared there (``ADMIN_SITE_PERMISSIONS``)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workstreams import app_modules


class Role(models.TextChoices):
    CITY = "city_officer", _("City bureau officer")
    DISTRICT = "district_officer", _("District officer")
    FINANCE = "finance_officer", _("Finance bureau officer")
    FINWORK = "finwork_officer", _("Financial Work bureau officer")
    MACAU = "macau_liaison", _("Macau liaison")
    HENGQIN = "hengqin_liaison", _("Hengqin liaison")
    NGO = "ngo_staff", _("NGO staff")
    BANK = "bank_staff", _("Partner bank branch staff")
    LEADERSHIP = "leadership", _("Bureau leadership")
    ADMIN = "administrator", _("System administrator")
    SECURITY_ADMIN = "security_administrator", _("Security administrator")
    AUDIT_ADMIN = "audit_administrator", _("Audit administrator")


#: Roles whose users work across the border side: they see only what is shared with them.
LIAISON_ROLES = frozenset({Role.MACAU, Role.HENGQIN})

#: The three separated administrator duties (三权分立, GB/T 22239-2019 level 3): the system
#: administrator (users, agencies, settings), the security administrator (roles, lockouts,
#: sign-in security) and the audit administrator (reads and exports the audit trail). No user
#: holds two of them (``duty_conflicts``).
ADMIN_ROLES = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

#: The two duties that reach nothing but their own pages (and one's own inbox, tokens and
#: sessions): the security and the audit administrator. The system administrator also keeps
#: reference data (agencies, funds, the pilot plan), as before.
DUTY_ONLY_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

#: Every role that works in the workstreams' pages or keeps their reference data.
STAFF_ROLES = tuple(role for role in Role.values if role not in DUTY_ONLY_ROLES)


def duty_conflicts(role_names) -> list[tuple[str, str]]:
    """The pairs of roles in ``role_names`` that one user may not hold together: two
    administrator duties, or a duty and an operational role. Every operational role sees
    personal data (bureau leadership sees the meetings' agendas, the bank its recipients), so
    an administrator holds its one duty and nothing else."""
    held = sorted(set(role_names) & set(Role.values))
    return [(first, second) for index, first in enumerate(held) for second in held[index + 1:]
            if {first, second} & ADMIN_ROLES]


def user_roles(user) -> frozenset[str]:
    """The role names a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_zhuao_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(name for name in names if name in Role.values)
        user._zhuao_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user).intersection(roles))


def duty_violations() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every active user who holds roles one user may not hold together (rows written around
    the guard of core.user_access: SQL, a restored backup), with the offending pairs."""
    held: dict[str, set[str]] = {}
    rows = get_user_model().objects.filter(
        is_active=True, groups__name__in=ADMIN_ROLES).values_list("username", flat=True)
    for username, name in get_user_model().objects.filter(
            username__in=rows, groups__name__in=Role.values).values_list("username",
                                                                         "groups__name"):
        held.setdefault(username, set()).add(name)
    return [(username, duty_conflicts(names)) for username, names in sorted(held.items())
            if duty_conflicts(names)]


def collect_role_permissions() -> dict[str, set[str]]:
    """Every app's ``permissions.ADMIN_SITE_PERMISSIONS`` merged: role name ->
    {"app_label.codename"}."""
    merged: dict[str, set[str]] = {role: set() for role in Role.values}
    for module in app_modules("permissions"):
        for role, permissions in getattr(module, "ADMIN_SITE_PERMISSIONS", {}).items():
            merged[str(role)].update(permissions)
    return merged


def sync_role_permissions() -> None:
    """Create the role groups and give each exactly the model permissions the apps declare (none
    but the administrators' in the Django admin)."""
    wanted_by_role = collect_role_permissions()
    everything = {f"{app_label}.{codename}": pk for pk, app_label, codename in
                  Permission.objects.values_list("pk", "content_type__app_label", "codename")}
    for role, wanted in wanted_by_role.items():
        unknown = sorted(wanted - everything.keys())
        if unknown:
            raise LookupError(f"Role {role} names unknown permissions {unknown}")
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([everything[dotted] for dotted in wanted])
