from rest_framework.permissions import BasePermission

from core.roles import has_role


def roles_allowed(*roles: str):
    """A DRF permission class admitting users holding one of ``roles`` (kept in
    ``allowed_roles`` for the permission matrix test)."""

    class HasRole(BasePermission):
        allowed_roles = frozenset(roles)

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated
                        and has_role(request.user, *roles))

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole
