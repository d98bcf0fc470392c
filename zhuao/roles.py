"""The role model: role names are declared here, once. A role is a Django group of the same name;
each app declares, in its own ``permissions.py``, which model permissions each role holds
(``ROLE_PERMISSIONS``), and ``sync_role_permissions`` gives them to the groups."""
from django.db import models
from django.utils.translation import gettext_lazy as _


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


#: Roles whose users work across the border side: they see only what is shared with them.
LIAISON_ROLES = frozenset({Role.MACAU, Role.HENGQIN})


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


def collect_role_permissions() -> dict[str, set[str]]:
    """Every app's ``permissions.ROLE_PERMISSIONS`` merged: role name -> {"app_label.codename"}."""
    from importlib import import_module

    from django.apps import apps

    merged: dict[str, set[str]] = {role: set() for role in Role.values}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.permissions":
                raise
            continue
        for role, permissions in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[str(role)].update(permissions)
    return merged


def sync_role_permissions() -> None:
    """Create the role groups and give each exactly the model permissions the apps declare."""
    from django.contrib.auth.models import Group, Permission

    wanted_by_role = collect_role_permissions()
    everything = {f"{app_label}.{codename}": pk for pk, app_label, codename in
                  Permission.objects.values_list("pk", "content_type__app_label", "codename")}
    for role, wanted in wanted_by_role.items():
        unknown = sorted(wanted - everything.keys())
        if unknown:
            raise LookupError(f"Role {role} names unknown permissions {unknown}")
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([everything[dotted] for dotted in wanted])
