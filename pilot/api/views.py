from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from web.api.permissions import roles_allowed
from core.models import District
from core.roles import STAFF_ROLES, Role

from .. import selectors, services
from ..dashboard import dashboard_data, health_counts
from ..forms import DashboardFilterForm
from ..permissions import OVERSIGHT_ROLES, REPORTING_ROLES
from . import serializers

Oversight = roles_allowed(*OVERSIGHT_ROLES)
Reporting = roles_allowed(*REPORTING_ROLES)
CityOnly = roles_allowed(Role.CITY)
#: Every role but the security and the audit administrator, whose duty is not the pilot's.
Staff = roles_allowed(*STAFF_ROLES)


def _permissions_for(view, creators):
    """Every staff role reads; only ``creators`` create (refused before validation)."""
    if view.action == "create":
        return [creators()]
    return [Staff(), *(permission() for permission in view.permission_classes)]


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """The pilot plans with their stages. City officers create plans."""

    serializer_class = serializers.PlanSerializer

    def get_permissions(self):
        return _permissions_for(self, CityOnly)

    def get_queryset(self):
        return selectors.plan_visible_to(self.request.user).prefetch_related("stages")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.plan_create(
            actor=self.request.user, year=data["year"], title=data["title"],
            document_number=data.get("document_number", ""), starts_on=data["starts_on"],
            ends_on=data["ends_on"])


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tasks with their responsible units and computed status (``?plan=<id>``)."""

    serializer_class = serializers.TaskSerializer
    filterset_fields = ["plan", "workstream", "is_ongoing"]

    def get_permissions(self):
        return _permissions_for(self, CityOnly)

    def get_queryset(self):
        return selectors.task_visible_to(self.request.user).select_related(
            "stage", "plan").prefetch_related("units__agency").order_by("plan", "number")

    def list(self, request, *args, **kwargs):
        today = timezone.localdate()
        # each task of the page with its health, from its units' accepted reports
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.attach_health(page if page is not None else queryset, today=today)
        serializer = self.get_serializer(rows, many=True)
        return self.get_paginated_response(serializer.data) if page is not None \
            else Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        task = self.get_object()
        task.health = selectors.task_health_for(task)
        return Response(self.get_serializer(task).data)

    @extend_schema(request=serializers.TaskWriteSerializer, responses=serializers.TaskSerializer)
    def create(self, request):
        incoming = serializers.TaskWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        plan = data.pop("plan")
        if plan not in selectors.plan_visible_to(request.user):
            raise NotFound
        task = services.task_create(actor=request.user, plan=plan, **data)
        return Response(serializers.TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Progress reports visible to the user; the responsible units create them."""

    serializer_class = serializers.ProgressReportSerializer
    filterset_fields = ["task", "status", "review_status"]

    def get_permissions(self):
        return _permissions_for(self, Reporting)

    def get_queryset(self):
        return selectors.progress_report_visible_to(self.request.user).select_related("agency")

    def perform_create(self, serializer):
        data = serializer.validated_data
        task = data["task"]
        if task not in selectors.task_visible_to(self.request.user):
            raise NotFound
        serializer.instance = services.progress_report_submit(
            actor=self.request.user, task=task, reported_on=data["reported_on"],
            status=data["status"], percent=data["percent"], narrative=data["narrative"])

    @extend_schema(request=serializers.ReviewSerializer,
                   responses=serializers.ProgressReportSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles_allowed(Role.CITY)])
    def review(self, request, pk=None):
        report = self.get_object()
        incoming = serializers.ReviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.progress_report_review(actor=request.user, report=report,
                                                 **incoming.validated_data)
        return Response(self.get_serializer(report).data)


class PilotReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Year-end pilot reports: request one (POST), poll its status, download the PDF."""

    serializer_class = serializers.PilotReportSerializer
    permission_classes = [Oversight]

    def get_queryset(self):
        return selectors.pilot_report_visible_to(self.request.user)

    def perform_create(self, serializer):
        plan = selectors.current_plan(self.request.user)
        if plan is None:
            raise ValidationError({"plan": "no plan"})
        data = serializer.validated_data
        serializer.instance = services.pilot_report_request(
            actor=self.request.user, plan=plan, period_start=data.get("period_start"),
            period_end=data.get("period_end"), district=data.get("district", ""))


@extend_schema(parameters=[
    OpenApiParameter("start", OpenApiTypes.DATE,
                     description="From this day (default: the plan's start); within the "
                                 "pilot's dates (ZHUAO_DATE_MIN to ZHUAO_DATE_MAX)."),
    OpenApiParameter("end", OpenApiTypes.DATE,
                     description="Until this day (default: the plan's end), not before start."),
    OpenApiParameter("district", str, enum=[code for code, _label in District.choices],
                     description="One district's figures (default: the whole city).")],
    responses={200: dict})
@api_view(["GET"])
@permission_classes([Oversight])
def dashboard(request):
    """The dashboard's figures (aggregates only), for the current plan."""
    plan = selectors.current_plan(request.user)
    if plan is None:
        raise NotFound
    form = DashboardFilterForm(request.query_params or None)
    if request.query_params and not form.is_valid():
        raise ValidationError(form.errors)
    data = form.cleaned_data if form.is_bound else {}
    start = data.get("start") or plan.starts_on
    end = data.get("end") or plan.ends_on
    result = dashboard_data(plan=plan, start=start, end=end, district=data.get("district") or "")
    return Response({
        "plan": result["plan"], "start": start, "end": end, "district": result["district"],
        "tasks_by_status": health_counts(result["tasks"]),
        "tasks": [{key: task[key] for key in ("id", "number", "health", "latest_percent",
                                             "stage_order", "workstream")}
                  for task in result["tasks"]],
        "panels": {app: {"available": panel["available"], "figures": panel["figures"]}
                   for app, panel in result["panels"].items()},
    })
