"""Authentication: the signed-in user is loaded with their staff profile and agency in one
query, as nearly every page and API call needs both (roles, visibility, the layout), whether
the user comes from a session (``StaffModelBackend``) or an API token
(``StaffTokenAuthentication``)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("staff__agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class StaffTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the user's staff profile and agency in the token's
    query (DRF's loads the user alone: two more queries on every API call)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__staff__agency").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
