"""API: querysets are the selectors; writes go through the services (ApplicationError -> 400)."""
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.selectors import case_visible_to
from web.api.permissions import roles_allowed
from core.errors import ApplicationError
from core.roles import Role

from .. import selectors, services
from . import serializers

_STEPS = {
    "submit": lambda user, app, d: services.application_submit(
        actor=user, application=app, frequency_override_reason=d["frequency_override_reason"]),
    "review": lambda user, app, d: services.application_review_start(actor=user, application=app),
    "approve": lambda user, app, d: services.application_approve(
        actor=user, application=app, amount=d["amount"], note=d["note"],
        frequency_override_reason=d["frequency_override_reason"]),
    "forward": lambda user, app, d: services.application_forward(
        actor=user, application=app, note=d["note"]),
    "reject": lambda user, app, d: services.application_reject(
        actor=user, application=app, reason=d["reason"]),
    "withdraw": lambda user, app, d: services.application_withdraw(
        actor=user, application=app, reason=d["reason"]),
    "pay": lambda user, app, d: services.application_payment_record(
        actor=user, application=app, payment_reference=d["payment_reference"]),
    "reverse": lambda user, app, d: services.application_payment_reverse(
        actor=user, application=app, reason=d["reason"]),
    "paperwork": lambda user, app, d: services.application_paperwork_complete(
        actor=user, application=app),
    "close": lambda user, app, d: services.application_close(actor=user, application=app),
}


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """Temporary relief applications visible to the caller; workflow steps as POST actions."""

    serializer_class = serializers.ApplicationSerializer
    permission_classes = [roles_allowed(Role.DISTRICT, Role.CITY, Role.FINANCE, Role.MACAU,
                                        Role.HENGQIN)]
    filterset_fields = ["status", "kind", "district", "route"]

    def get_permissions(self):
        if self.action == "create":  # district officers file (refused before validation)
            return [roles_allowed(Role.DISTRICT)()]
        return super().get_permissions()

    def get_queryset(self):
        shown = [name for name in serializers.ApplicationSerializer.Meta.fields
                 if name not in ("person_name", "case_number")]
        return selectors.applications_for_api(self.request.user, fields=shown)

    def get_object(self):
        return selectors.get_application_for(self.request.user, self.kwargs["pk"],
                                             action=getattr(self, "action", "view") or "view")

    @extend_schema(request=serializers.ApplicationCreateSerializer,
                   responses={201: serializers.ApplicationSerializer})
    def create(self, request):
        data = serializers.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = case_visible_to(request.user).filter(pk=values.pop("case")).first()
        if case is None:
            raise ApplicationError("Case not found.", code="not_found", field="case")
        application = services.application_create(actor=request.user, case=case, **values)
        return Response(serializers.ApplicationSerializer(application).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ActionSerializer, operation_id="tempaid_applications_step",
                   responses=serializers.ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path=r"(?P<step>[a-z]+)")
    def step(self, request, pk=None, step=None):
        """Workflow steps: submit, review, approve, forward, reject, withdraw, pay, reverse,
        paperwork, close, share."""
        if step not in _STEPS and step != "share":
            raise Http404
        application = self.get_object()
        data = serializers.ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if step == "share":
            if values["agency"] is None:
                raise ApplicationError("Choose the agency.", code="required", field="agency")
            services.application_share(actor=request.user, application=application,
                                       agency=values["agency"], reason=values["reason"])
        else:
            _STEPS[step](request.user, application, values)
        application.refresh_from_db()
        return Response(serializers.ApplicationSerializer(application).data)


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.FundSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.FINANCE, Role.DISTRICT)]

    def get_queryset(self):
        return selectors.fund_visible_to(self.request.user).order_by("id")

    @extend_schema(request=serializers.AllocationSerializer,
                   responses={201: serializers.FundAllocationSerializer})
    @action(detail=True, methods=["post"])
    def allocations(self, request, pk=None):
        """Record an allocation from the Finance bureau."""
        fund = self.get_object()
        data = serializers.AllocationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = services.fund_allocate(actor=request.user, fund=fund, **data.validated_data)
        return Response(serializers.FundAllocationSerializer(allocation).data,
                        status=status.HTTP_201_CREATED)


class LedgerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.LedgerEntrySerializer
    permission_classes = [roles_allowed(Role.CITY, Role.FINANCE)]
    filterset_fields = ["fund", "kind", "application"]

    def get_queryset(self):
        shown = [name for name in serializers.LedgerEntrySerializer.Meta.fields
                 if name != "application_number"]
        return selectors.ledger_for_api(self.request.user, fields=shown)


class PolicyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PolicyVersionSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.DISTRICT, Role.FINANCE)]

    def get_permissions(self):
        if self.action == "create":  # the city bureau sets the policy
            return [roles_allowed(Role.CITY)()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.policy_versions(self.request.user).order_by("-effective_from")

    def perform_create(self, serializer):
        serializer.instance = services.policy_version_create(actor=self.request.user,
                                                             **serializer.validated_data)
