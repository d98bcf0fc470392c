from django.contrib.auth import authenticate
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from zhuao.audit import audit_record


@extend_schema(responses=inline_serializer("ApiRoot", {"workstreams": serializers.DictField()}))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def api_root(request):
    """Links to each workstream's API."""
    from zhuao.urls import WORKSTREAMS

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
    request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                               "password": serializers.CharField()}),
    responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
def token_obtain(request):
    """Exchange a username and password for an API token (axes lockout applies)."""
    username = str(request.data.get("username", ""))
    password = str(request.data.get("password", ""))
    user = authenticate(request._request, username=username, password=password)
    if user is None:
        return Response({"detail": "Invalid credentials"}, status=status.HTTP_400_BAD_REQUEST)
    token, _created = Token.objects.get_or_create(user=user)
    audit_record(actor=user, action="auth.token_issue", obj=user)
    return Response({"token": token.key})


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def token_revoke(request):
    """Revoke the caller's API token."""
    deleted, _rows = Token.objects.filter(user=request.user).delete()
    audit_record(actor=request.user, action="auth.token_revoke", obj=request.user,
                 changes={"revoked": bool(deleted)})
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(responses=inline_serializer("WhoAmI", {"username": serializers.CharField(),
                                                      "agency": serializers.CharField(),
                                                      "roles": serializers.ListField()}))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def whoami(request):
    """The signed-in user, their agency and roles (also the benchmark's baseline view)."""
    from zhuao.roles import user_roles
    from zhuao.visibility import user_agency

    agency = user_agency(request.user)
    return Response({"username": request.user.get_username(),
                     "agency": agency.code if agency else "",
                     "roles": sorted(user_roles(request.user))})
