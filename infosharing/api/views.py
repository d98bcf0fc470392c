"""API viewsets: every queryset is the selector; writes go through the services."""
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cases.selectors import case_visible_to, person_visible_to
from core.audit import audit_record
from core.files import protected_file_response
from core.models import Agency
from core.roles import Role, has_role
from core.visibility import fetch_or_404
from web.api.parsers import FormParser, JSONParser, MultiPartParser
from web.api.permissions import roles_allowed

from .. import selectors, services
from ..pdf import bulletin_pdf
from ..permissions import WORKING_ROLES
from . import serializers as s

Working = roles_allowed(*WORKING_ROLES)


class AuthorizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    permission_classes = [Working]
    serializer_class = s.AuthorizationSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return selectors.authorizations_for_api(self.request.user)

    @extend_schema(request=s.AuthorizationCreateSerializer, responses=s.AuthorizationSerializer)
    def create(self, request):
        data = s.AuthorizationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = fetch_or_404(person_visible_to(request.user), values.pop("person"),
                              user=request.user)
        authorization = services.authorization_record(actor=request.user, person=person, **values)
        return Response(s.AuthorizationSerializer(authorization).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses=s.AuthorizationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        authorization = self.get_object()  # visibility first: a hidden record is 404
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        authorization = services.authorization_revoke(
            actor=request.user, authorization=authorization, reason=data.validated_data["reason"])
        return Response(s.AuthorizationSerializer(authorization).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                              (200, "image/jpeg"): OpenApiTypes.BINARY,
                              (200, "image/png"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def scan(self, request, pk=None):
        authorization = self.get_object()
        audit_record(actor=request.user, action="authorization.download", obj=authorization)
        return protected_file_response(authorization.scan, download_name=authorization.scan_name)


class VerificationRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                 viewsets.GenericViewSet):
    permission_classes = [Working]
    serializer_class = s.VerificationRequestSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.verification_requests_for_api_list(self.request.user)
        return selectors.verification_request_visible_to(self.request.user)

    def _done(self, verification):
        return Response(s.VerificationRequestSerializer(verification).data)

    @extend_schema(request=s.VerificationRequestCreateSerializer,
                   responses=s.VerificationRequestSerializer)
    def create(self, request):
        data = s.VerificationRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # outbound: about a case the user may change; inbound (a Macau or Hengqin liaison):
        # about a person its agency registered, without a case
        case = person = None
        if values.get("case") is not None:
            case = fetch_or_404(case_visible_to(request.user, permission="change"),
                                values["case"], user=request.user)
        if values.get("person") is not None:
            person = fetch_or_404(person_visible_to(request.user), values["person"],
                                  user=request.user)
        authorization = None
        if values.get("authorization"):
            authorization = fetch_or_404(selectors.authorization_visible_to(request.user),
                                         values["authorization"], user=request.user)
        verification = services.verification_request_create(
            actor=request.user, case=case, person=person, categories=values["categories"],
            receiving_side=values["receiving_side"], question=values["question"],
            authorization=authorization)
        return Response(s.VerificationRequestSerializer(verification).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self._done(services.verification_request_send(actor=request.user,
                                                              request=self.get_object()))

    @extend_schema(request=s.RouteSerializer, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        """A Zhuhai city officer names the district that answers an inbound request."""
        verification = self.get_object()  # visibility first: a hidden request is 404
        if not has_role(request.user, Role.CITY):
            raise PermissionDenied
        data = s.RouteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.verification_request_route(
            actor=request.user, request=verification, district=data.validated_data["district"]))

    @extend_schema(request=None, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self._done(services.verification_request_receive(actor=request.user,
                                                                request=self.get_object()))

    @extend_schema(request=None, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._done(services.verification_request_close(actor=request.user,
                                                               request=self.get_object()))

    def _with_reason(self, request, service):
        verification = self.get_object()  # visibility first: a hidden request is 404
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(service(actor=request.user, request=verification,
                                  reason=data.validated_data["reason"]))

    @extend_schema(request=s.ReasonSerializer, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._with_reason(request, services.verification_request_return)

    @extend_schema(request=s.ReasonSerializer, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._with_reason(request, services.verification_request_decline)

    @extend_schema(request=s.ReasonSerializer, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._with_reason(request, services.verification_request_withdraw)

    @extend_schema(request=s.AnswerSerializer, responses=s.VerificationRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        verification = self.get_object()  # visibility first: a hidden request is 404
        data = s.AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.verification_request_answer(
            actor=request.user, request=verification, findings=data.validated_data["findings"]))

    @extend_schema(request=None, responses=s.FindingInputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def findings(self, request, pk=None):
        findings, _attachments = selectors.verification_findings_for(
            request.user, self.get_object(), channel="api")
        return Response([{"category": f.category, "outcome": f.outcome, "text": f.text}
                         for f in findings])


class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bulletins as their pages: the list, one bulletin with the sections the reader may see,
    the reader's own side's section, publishing (a city officer) and acknowledging."""
    permission_classes = [Working]
    serializer_class = s.BulletinSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.bulletins_listed_for(self.request.user)
        return selectors.bulletin_visible_to(self.request.user)

    def get_serializer_class(self):
        return s.BulletinSummarySerializer if self.action == "list" else s.BulletinSerializer

    def _detail(self, bulletin):
        bulletin.refresh_from_db()
        return Response(s.BulletinSerializer(bulletin, context=self.get_serializer_context()).data)

    @extend_schema(request=s.BulletinSectionInputSerializer, responses=s.BulletinSerializer)
    @action(detail=True, methods=["post"])
    def section(self, request, pk=None):
        bulletin = self.get_object()  # visibility first: a hidden bulletin is 404
        data = s.BulletinSectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.bulletin_section_save(
            actor=request.user, bulletin=bulletin,
            side=selectors.bulletin_writer_side(request.user) or "",
            common_concern=data.validated_data["common_concern"],
            submit=data.validated_data["submit"])
        return self._detail(bulletin)

    @extend_schema(request=None, responses=s.BulletinSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        bulletin = self.get_object()
        services.bulletin_publish(actor=request.user, bulletin=bulletin)
        return self._detail(bulletin)

    @extend_schema(request=None, responses=s.BulletinRecipientSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        bulletin = self.get_object()
        recipient = services.bulletin_acknowledge(actor=request.user, bulletin=bulletin)
        return Response(s.BulletinRecipientSerializer(recipient).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        bulletin = self.get_object()
        audit_record(actor=request.user, action="bulletin.export", obj=bulletin)
        response = HttpResponse(bulletin_pdf(bulletin, user=request.user),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{bulletin.pk}.pdf"'
        return response


class UrgentNotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                viewsets.GenericViewSet):
    """As the pages: the list and reporting are for the working roles; one notification and
    its acknowledgement for anyone the selector lets see it (escalation reaches leadership),
    without the person and the free text for a role that may not see them."""

    serializer_class = s.UrgentNotificationSerializer

    def get_permissions(self):
        if self.action in ("retrieve", "acknowledge"):
            return [IsAuthenticated()]
        return [Working()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(),
                "shows_person": selectors.urgent_notification_shows_person(self.request.user)}

    def get_queryset(self):
        if self.action not in ("list", "retrieve"):  # acknowledging works on the whole record
            return selectors.urgent_notification_visible_to(self.request.user)
        shown = [name for name in s.UrgentNotificationSerializer.Meta.fields
                 if name not in ("recipients", "number")]
        return selectors.urgent_notifications_for_api(self.request.user, fields=shown)

    @staticmethod
    def _with_recipients(notifications: list) -> list:
        fields = [name for name in s.UrgentRecipientSerializer.Meta.fields if name != "agency"]
        return selectors.attach_urgent_recipients(notifications, fields=fields)

    def paginate_queryset(self, queryset):
        return self._with_recipients(super().paginate_queryset(queryset))

    def get_object(self):
        notification = super().get_object()
        if self.action == "retrieve":
            self._with_recipients([notification])
        return notification

    @extend_schema(request=s.UrgentNotificationCreateSerializer,
                   responses=s.UrgentNotificationSerializer)
    def create(self, request):
        data = s.UrgentNotificationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = fetch_or_404(person_visible_to(request.user), values["person"], user=request.user)
        agencies = list(Agency.objects.filter(code__in=values["agencies"], is_active=True))
        unknown = sorted(set(values["agencies"]) - {agency.code for agency in agencies})
        if unknown:
            message = _("No active agency has these codes: %(codes)s.") % {
                "codes": ", ".join(unknown)}
            return Response({"agencies": [message]}, status=status.HTTP_400_BAD_REQUEST)
        notification = services.urgent_notification_send(
            actor=request.user, person=person, kind=values["kind"],
            occurred_at=values["occurred_at"], description=values["description"],
            agencies=agencies)
        self._with_recipients([notification])
        return Response(self.get_serializer(notification).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.UrgentRecipientSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        recipient = selectors.acknowledgeable_recipient(request.user, self.get_object())
        if recipient is None:
            raise Http404
        recipient = services.urgent_acknowledge(actor=request.user, recipient=recipient)
        return Response(s.UrgentRecipientSerializer(recipient).data)
