from django.contrib.auth import authenticate
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.auth import VerifiedSessionAuthentication
from core.errors import ApplicationError
from core.models import Notification
from core.notifications import unread_notifications, user_language
from core.roles import user_roles
from core.tokens import token_issue, token_revoke, tokens_visible_to
from core.two_factor import second_factor_check
from core.visibility import user_agency
from core.work import work_list
from core.workstreams import WORKSTREAMS
from web.api.pagination import StandardPagination
from web.api.serializers import QueryBooleanField, Serializer


@extend_schema(responses=inline_serializer("ApiRoot", {"workstreams": serializers.DictField()}))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def api_root(request):
    """Links to each workstream's API."""
    links = {}
    for app_name in WORKSTREAMS:
        try:
            links[app_name] = request.build_absolute_uri(reverse(f"{app_name}-api:api-root"))
        except NoReverseMatch:
            links[app_name] = request.build_absolute_uri(f"/api/v1/{app_name}/")
    return Response({"workstreams": links, "schema": request.build_absolute_uri(reverse("api_schema"))})


class TokenThrottle(AnonRateThrottle):
    rate = "20/min"


@extend_schema(
    request=inline_serializer("TokenRequest", {
        "username": serializers.CharField(required=False, max_length=150),
        "password": serializers.CharField(required=False, max_length=128),
        "code": serializers.CharField(required=False, max_length=64, help_text=(
            "the second factor: the code of the user's authenticator app, or a recovery "
            "code"))}),
    responses=inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                  "expires_at": serializers.DateTimeField()}),
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
def token_obtain(request):
    """A new API token, only after a two-factor login: a username, its password and the
    second factor's ``code`` (axes lockout applies to both), or a browser session that passed
    its second factor (no fields needed). The token is shown once: only its hash is kept. It
    expires after ``API_TOKEN_DAYS`` days."""
    if isinstance(request.successful_authenticator, VerifiedSessionAuthentication):
        token, key = token_issue(user=request.user)
        return Response({"token": key, "expires_at": token.expires_at})
    if request.user.is_authenticated:  # a token does not make another token
        return Response({"detail": _("Sign in with a password and a second factor to get a "
                                     "new token.")}, status=status.HTTP_403_FORBIDDEN)
    data = request.data if hasattr(request.data, "get") else {}
    username = str(data.get("username", ""))
    password = str(data.get("password", ""))
    user = authenticate(request._request, username=username, password=password)
    if user is None:
        return Response({"detail": _("Invalid user name or password.")},
                        status=status.HTTP_400_BAD_REQUEST)
    try:
        second_factor_check(request=request._request, user=user,
                            code=str(data.get("code", "")), action="auth.otp_token")
    except ApplicationError as refusal:
        return Response({"detail": str(refusal.message), "code": "second_factor"},
                        status=429 if refusal.status == 429 else status.HTTP_400_BAD_REQUEST)
    token, key = token_issue(user=user)
    return Response({"token": key, "expires_at": token.expires_at})


class ApiTokenSerializer(Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField(source="user.username")
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


@extend_schema(responses=ApiTokenSerializer(many=True))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def token_list(request):
    """The caller's API tokens (an administrator's: everyone's), never their value."""
    return Response(ApiTokenSerializer(tokens_visible_to(request.user)[:200], many=True).data)


@extend_schema(
    request=inline_serializer("TokenRevokeRequest", {"id": serializers.IntegerField(
        required=False, help_text="the token to revoke; without it, the token of this call")}),
    responses={204: None})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def token_revoke_view(request):
    """Revoke one of the caller's tokens (an administrator: anyone's); without ``id``, the
    token this call is made with."""
    token_id = request.data.get("id") if hasattr(request.data, "get") else None
    if token_id is None:
        current = getattr(request.auth, "pk", None)
        if current is None:
            return Response({"id": [_("Name the token to revoke.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        token_id = current
    field = serializers.IntegerField()
    token_revoke(actor=request.user, token_id=field.run_validation(token_id))
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(responses=inline_serializer("WhoAmI", {"username": serializers.CharField(),
                                                      "agency": serializers.CharField(),
                                                      "roles": serializers.ListField()}))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def whoami(request):
    """The signed-in user, their agency and roles (also the benchmark's baseline view)."""
    agency = user_agency(request.user)
    return Response({"username": request.user.get_username(),
                     "agency": agency.code if agency else "",
                     "roles": sorted(user_roles(request.user))})


class NotificationSerializer(Serializer):
    """An inbox message rendered in the reader's language (``core.messages``)."""
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField(source="display_title")
    body = serializers.CharField(source="display_body")
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


@extend_schema(
    parameters=[OpenApiParameter("unread", bool, description="only the unread messages")],
    responses=inline_serializer("InboxPage", {
        "unread": serializers.IntegerField(), "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": NotificationSerializer(many=True)}))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def notification_list(request):
    """The caller's inbox, newest first, and how many messages are unread. Titles and texts
    are in the caller's language setting, whatever language the sender used."""
    notifications = Notification.objects.filter(recipient=request.user)
    if "unread" in request.query_params:
        field = QueryBooleanField()
        try:
            only_unread = field.run_validation(request.query_params["unread"])
        except serializers.ValidationError as error:
            return Response({"unread": error.detail}, status=status.HTTP_400_BAD_REQUEST)
        if only_unread:
            notifications = notifications.filter(read_at__isnull=True)
    paginator = StandardPagination()
    page = paginator.paginate_queryset(notifications, request)
    with translation.override(user_language(request.user)):
        data = NotificationSerializer(page, many=True).data
    response = paginator.get_paginated_response(data)
    response.data = {"unread": unread_notifications(request.user).count(), **response.data}
    return response


class WorkItemSerializer(Serializer):
    kind = serializers.CharField(help_text="a stable key, e.g. infosharing.request_to_answer")
    label = serializers.CharField(help_text="the kind in the caller's language")
    reference = serializers.CharField(help_text="the record's number (never a person's name)")
    due = serializers.DateField(source="due_date", allow_null=True)
    is_overdue = serializers.BooleanField()
    url = serializers.CharField(help_text="the page that shows the item")


class WorkListSerializer(Serializer):
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    items = WorkItemSerializer(many=True)


@extend_schema(responses=WorkListSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_work(request):
    """What waits for the caller, as the home page lists it: overdue items first, then by due
    date. ``total`` counts everything; ``items`` holds at most 20 of each kind."""
    with translation.override(user_language(request.user)):
        data = WorkListSerializer(work_list(request.user)).data
    return Response(data)
