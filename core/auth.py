"""Authentication: the signed-in user is loaded with their staff profile and agency in one
query, as nearly every page and API call needs both (roles, visibility, the layout), whether
the user comes from a session (``StaffModelBackend``) or an API token
(``StaffTokenAuthentication``)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from core.tokens import token_for_key


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("staff__agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class StaffTokenAuthentication(TokenAuthentication):
    """DRF's token authentication (the ``Authorization: Token <key>`` header and its 401s)
    over the project's hashed, expiring tokens (core.tokens), with the user's staff profile
    and agency in the token's query."""

    def authenticate_credentials(self, key):
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication (with its CSRF check) for sessions that passed their
    second factor (core.two_factor); a session signed in with its password only is refused."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            raise exceptions.AuthenticationFailed(
                _("Complete the two-factor sign-in in the browser first."))
        return result


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI description of ``VerifiedSessionAuthentication``: the session cookie, as
    for DRF's own session authentication."""

    target_class = "core.auth.VerifiedSessionAuthentication"
