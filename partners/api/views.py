"""The partners API. Every queryset is the selector; writes go through services."""
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.selectors import get_case_for
from core.audit import audit_record
from core.db import attach_rows
from core.roles import Role
from web.api.permissions import roles_allowed

from .. import selectors, services
from ..models import ContractKpi, Milestone
from .serializers import (
    ContractSerializer,
    DeclineSerializer,
    EvaluationSerializer,
    KpiSerializer,
    MilestoneSerializer,
    OrganisationSerializer,
    ProviderReferralSerializer,
    ReferralSerializer,
    ServiceRecordSerializer,
    SocialWorkerSerializer,
)


def _write_roles(*roles):
    return roles_allowed(*roles)


class OrganisationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.DISTRICT, Role.FINANCE, Role.NGO)]

    def get_queryset(self):
        return selectors.organisation_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [_write_roles(Role.CITY)()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.organisation_create(actor=self.request.user,
                                                           **serializer.validated_data)


class SocialWorkerViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SocialWorkerSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.DISTRICT, Role.NGO)]

    def get_queryset(self):
        return selectors.social_workers_for_api(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [_write_roles(Role.CITY)()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.social_worker_create(actor=self.request.user,
                                                            **serializer.validated_data)


class ContractViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ContractSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.DISTRICT, Role.FINANCE, Role.NGO)]

    def get_queryset(self):
        return selectors.contracts_for_api(self.request.user)

    @staticmethod
    def _with_kpis_and_milestones(contracts: list) -> list:
        """KPIs and milestones as plain rows, two queries for the whole page (they are shown as
        stored: building a model instance for each cost more than reading them)."""
        # in each contract's own order (their models order by contract first, which would
        # join the contracts to sort by theirs)
        attach_rows(contracts, ContractKpi.objects.order_by("id"), foreign_key="contract_id",
                    to_attr="listed_kpis", fields=KpiSerializer.Meta.fields)
        attach_rows(contracts, Milestone.objects.order_by("period_start", "id"),
                    foreign_key="contract_id", to_attr="listed_milestones",
                    fields=MilestoneSerializer.Meta.fields)
        return contracts

    def paginate_queryset(self, queryset):
        return self._with_kpis_and_milestones(super().paginate_queryset(queryset))

    def get_object(self):
        return self._with_kpis_and_milestones([super().get_object()])[0]

    def get_permissions(self):
        if self.action == "create":
            return [_write_roles(Role.CITY)()]
        return super().get_permissions()

    def perform_create(self, serializer):
        contract = services.contract_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self._with_kpis_and_milestones(
            [self.get_queryset().get(pk=contract.pk)])[0]


def _referral_as_seen(many=False):
    """Officers and the provider's staff get different shapes (``audience`` tells which)."""
    return PolymorphicProxySerializer(
        component_name="ReferralAsSeen", resource_type_field_name=None, many=many,
        serializers=[ReferralSerializer, ProviderReferralSerializer])


@extend_schema_view(list=extend_schema(responses=_referral_as_seen(many=True)),
                    retrieve=extend_schema(responses=_referral_as_seen()),
                    accept=extend_schema(request=None, responses=_referral_as_seen()),
                    decline=extend_schema(request=DeclineSerializer, responses=_referral_as_seen()))
class ReferralViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [roles_allowed(Role.CITY, Role.DISTRICT, Role.NGO, Role.MACAU,
                                        Role.HENGQIN)]

    def get_queryset(self):
        if self.action == "list":
            return selectors.referrals_for_api_list(self.request.user)
        return selectors.referral_visible_to(self.request.user)

    def get_serializer_class(self):
        if selectors.is_provider_view(self.request.user):
            return ProviderReferralSerializer
        return ReferralSerializer

    def get_permissions(self):
        if self.action in ("create", "send"):
            return [_write_roles(Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)()]
        if self.action in ("accept", "decline"):
            return [_write_roles(Role.NGO)()]
        return super().get_permissions()

    def retrieve(self, request, *args, **kwargs):
        referral = selectors.get_referral_for(request.user, kwargs["pk"])
        if selectors.is_provider_view(request.user):
            audit_record(actor=request.user, action="referral.view", obj=referral)
        return Response(self.get_serializer(referral).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        # the serializer took case, person and contract among what the caller may see
        case = data.pop("case", None)
        if case is not None:
            case = get_case_for(self.request.user, case.pk)
        serializer.instance = services.referral_create(actor=self.request.user, case=case,
                                                       person=data.pop("person", None),
                                                       contract=data.pop("contract"), **data)

    def _step(self, request, pk, service, body=None, **kwargs):
        """The step on a referral the user may change; its ``body`` serializer is checked only
        then, so that another organisation's referral answers 404 whatever is sent."""
        referral = selectors.get_referral_for(request.user, pk, action="change")
        if body is not None:
            body = body(data=request.data)
            body.is_valid(raise_exception=True)
            kwargs.update(body.validated_data)
        referral = service(actor=request.user, referral=referral, **kwargs)
        return Response(self.get_serializer(referral).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self._step(request, pk, services.referral_send)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, pk, services.referral_accept)

    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._step(request, pk, services.referral_decline, body=DeclineSerializer)


class ServiceRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceRecordSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.DISTRICT, Role.NGO)]

    def get_queryset(self):
        return selectors.service_records_for_api(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [_write_roles(Role.NGO)()]
        return super().get_permissions()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        user = self.request.user
        contract = selectors.get_contract_for(user, data.pop("contract").pk)
        worker = selectors.get_social_worker_for(user, data.pop("worker").pk)
        referral = data.pop("referral", None)
        if referral is not None:
            referral = selectors.get_referral_for(user, referral.pk)
        serializer.instance = services.service_record_create(
            actor=user, contract=contract, worker=worker, referral=referral, **data)


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EvaluationSerializer
    permission_classes = [roles_allowed(Role.CITY, Role.FINANCE, Role.NGO)]

    def get_queryset(self):
        return selectors.evaluation_visible_to(self.request.user).prefetch_related(
            "results__kpi")
