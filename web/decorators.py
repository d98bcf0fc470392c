from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.roles import has_role


def role_required(*roles: str):
    """Page views: anonymous users go to the login page; users without one of ``roles`` get a
    403 (audited by the middleware). The view keeps the roles it admits in ``allowed_roles``
    (the permission matrix test compares them with its table)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles) & getattr(view, "allowed_roles",
                                                            frozenset(roles))
        return wrapped

    return decorator
