from django.conf import settings

from web.navigation import request_nav_items
from core.roles import Role, user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "languages": settings.LANGUAGES}
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and not is_verified():
        # signed in with the password only: no menu, no counts, until the second factor
        return {"nav_items": [], "languages": settings.LANGUAGES, "two_factor_pending": True}
    roles = user_roles(user)
    return {
        "nav_items": request_nav_items(request),
        "user_roles": roles,
        "user_role_labels": [Role(role).label for role in Role.values if role in roles],
        "languages": settings.LANGUAGES,
    }
