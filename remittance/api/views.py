from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from web.api.parsers import FormParser, JSONParser, MultiPartParser
from web.api.permissions import roles_allowed
from web.api.serializers import RevealedNumberSerializer, RevealSerializer
from core.errors import ApplicationError
from core.files import protected_file_response
from core.reveal import no_store
from core.roles import Role

from .. import services
from ..models import BankBranch, OnboardingEvent
from ..permissions import (
    ACCOUNT_REVEAL_ROLES,
    BANK_FILE_ROLES,
    BANK_ROLES,
    BATCH_VIEW_ROLES,
    CHECKER_ROLES,
    IMPORT_VIEW_ROLES,
    MAKER_ROLES,
    RECIPIENT_ROLES,
    REINSTATE_ROLES,
    WRITE_ROLES,
)
from ..selectors import (
    appointments_for_api,
    bank_appointments_for_api,
    bank_branch_of,
    bank_document_of,
    bank_recipients_for_api,
    batch_failed_payments,
    batch_reconciliation,
    batches_for_api,
    get_appointment_for,
    get_bank_appointment_for,
    get_bank_recipient_for,
    get_batch_for,
    get_import_run_for,
    get_recipient_for,
    import_run_visible_to,
    import_runs_listed,
    payments_for_api,
    recipient_visible_to,
    recipients_for_api,
)
from . import serializers as s


def _onboarding_step(actor, recipient, data: dict, *, branch):
    """The card-opening step ``data["step"]`` through its service, for the officers' and the
    bank's endpoints alike; ``branch`` is the chosen branch, already limited to the caller's."""
    kind = data["step"]
    if kind == "visit":
        return services.onboarding_schedule_visit(
            actor=actor, recipient=recipient, visit_date=data["on_date"],
            officers=data["officers"], bank_branch=branch)
    if kind == "card":
        return services.onboarding_card_opened(actor=actor, recipient=recipient,
                                               on_date=data["on_date"],
                                               account_no=data["account_no"], bank_branch=branch)
    if kind == "activate":
        return services.onboarding_activate(actor=actor, recipient=recipient,
                                            on_date=data["on_date"])
    return services.onboarding_fail(actor=actor, recipient=recipient, on_date=data["on_date"],
                                    reason=data["reason"], declined=kind == "decline")


def _branch(pk, branches=None):
    if pk is None:
        return None
    branches = BankBranch.objects.all() if branches is None else branches
    branch = branches.filter(pk=pk, is_active=True).first()
    if branch is None:
        raise ApplicationError("Unknown bank branch.", field="bank_branch")
    return branch


def _reveal_account(request, recipient):
    data = RevealSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return no_store(Response({"number": services.recipient_account_reveal(
        actor=request.user, recipient=recipient, **data.validated_data)}))


class RecipientViewSet(viewsets.ReadOnlyModelViewSet):
    """The roster, as the caller may see it (identity and account numbers masked)."""

    serializer_class = s.RecipientSerializer
    permission_classes = [roles_allowed(*RECIPIENT_ROLES)]
    filterset_fields = ["district", "status", "onboarding_status"]

    def get_permissions(self):
        # refused before validation: only civil affairs reinstates
        if self.action == "reinstate":
            return [roles_allowed(*REINSTATE_ROLES)()]
        if self.action == "reveal_account":
            return [roles_allowed(*ACCOUNT_REVEAL_ROLES)()]
        return super().get_permissions()

    @extend_schema(request=RevealSerializer, responses=RevealedNumberSerializer)
    @action(detail=True, methods=["post"], url_path="account/reveal")
    def reveal_account(self, request, pk=None):
        """The card account number in full, with a reason, for the officers who record the card
        onboarding; audited, limited per hour, never cached (core.reveal)."""
        recipient = get_recipient_for(request.user, pk, action="change")
        return _reveal_account(request, recipient)

    def get_queryset(self):
        return recipients_for_api(self.request.user)

    @extend_schema(request=s.ReinstateSerializer, responses=s.RecipientSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        """A civil-affairs officer reinstates a recipient a full roster suspended."""
        recipient = get_recipient_for(request.user, pk, action="change")  # visibility first
        data = s.ReinstateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recipient = services.recipient_reinstate(actor=request.user, recipient=recipient,
                                                 note=data.validated_data["note"])
        return Response(s.RecipientSerializer(recipient).data)


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Roster imports: POST a file to preview it, then ``commit`` or ``discard``."""

    serializer_class = s.ImportRunSerializer
    permission_classes = [roles_allowed(*IMPORT_VIEW_ROLES)]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if self.action == "list":
            return import_runs_listed(self.request.user)
        return import_run_visible_to(self.request.user)

    def get_serializer_class(self):
        return s.ImportRunListSerializer if self.action == "list" else s.ImportRunSerializer

    @extend_schema(request=s.RosterUploadSerializer, responses=s.ImportRunSerializer)
    def create(self, request):
        upload = s.RosterUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        run = services.roster_import_preview(
            actor=request.user, uploaded_file=upload.validated_data["file"],
            is_full_roster=upload.validated_data["full_roster"])
        return Response(s.ImportRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ImportRunSerializer)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        run = services.roster_import_commit(actor=request.user,
                                            import_run=get_import_run_for(request.user, pk))
        return Response(s.ImportRunSerializer(run).data)

    @extend_schema(request=None, responses=s.ImportRunSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        run = services.roster_import_discard(actor=request.user,
                                             import_run=get_import_run_for(request.user, pk))
        return Response(s.ImportRunSerializer(run).data)


class OnboardingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Card-onboarding history; POST one step (visit, card, activate, fail, decline)."""

    serializer_class = s.OnboardingEventSerializer
    permission_classes = [roles_allowed(*RECIPIENT_ROLES)]

    def get_queryset(self):
        visible = recipient_visible_to(self.request.user).values("pk")
        return OnboardingEvent.objects.filter(recipient__in=visible).order_by("-id")

    @extend_schema(request=s.OnboardingStepSerializer, responses=s.RecipientSerializer)
    def create(self, request):
        if not roles_allowed(*WRITE_ROLES)().has_permission(request, self):
            self.permission_denied(request)
        step = s.OnboardingStepSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        data = step.validated_data
        recipient = get_recipient_for(request.user, data["recipient"], action="change")
        recipient = _onboarding_step(request.user, recipient, data,
                                     branch=_branch(data["bank_branch"]))
        return Response(s.RecipientSerializer(recipient).data, status=status.HTTP_201_CREATED)


class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    serializer_class = s.AppointmentSerializer
    permission_classes = [roles_allowed(*RECIPIENT_ROLES)]

    def get_queryset(self):
        return appointments_for_api(self.request.user)

    def _require_write(self, request):
        if not roles_allowed(*WRITE_ROLES)().has_permission(request, self):
            self.permission_denied(request)

    def create(self, request):
        self._require_write(request)
        data = s.AppointmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recipient = get_recipient_for(request.user, data.validated_data["recipient"].pk,
                                      action="change")
        appointment = services.appointment_book(
            actor=request.user, recipient=recipient, branch=data.validated_data["branch"],
            scheduled_at=data.validated_data["scheduled_at"],
            purpose=data.validated_data["purpose"])
        return Response(s.AppointmentSerializer(appointment).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OutcomeSerializer, responses=s.AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        self._require_write(request)
        appointment = get_appointment_for(request.user, pk, action="change")  # visibility first
        data = s.OutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = services.appointment_record_outcome(
            actor=request.user, appointment=appointment, **data.validated_data)
        return Response(s.AppointmentSerializer(appointment).data)


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Disbursement batches: prepare (maker), approve/reject (checker), bank file, results."""

    serializer_class = s.BatchSerializer
    permission_classes = [roles_allowed(*BATCH_VIEW_ROLES)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        # refused before validation: only makers prepare, only checkers decide
        if self.action == "create":
            return [roles_allowed(*MAKER_ROLES)()]
        if self.action in ("approve", "reject"):
            return [roles_allowed(*CHECKER_ROLES)()]
        if self.action in ("bank_file", "results"):
            return [roles_allowed(*BANK_FILE_ROLES)()]
        return super().get_permissions()

    def get_queryset(self):
        return batches_for_api(self.request.user)

    @extend_schema(request=s.BatchPrepareSerializer, responses=s.BatchSerializer)
    def create(self, request):
        data = s.BatchPrepareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.batch_prepare(
            actor=request.user, period=data.validated_data["period"],
            rate=services.parse_rate(data.validated_data["rate"]),
            rate_date=data.validated_data["rate_date"],
            rate_source=data.validated_data["rate_source"],
            rate_confirmed=data.validated_data["rate_confirmed"])
        return Response(s.BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.BatchSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        batch = services.batch_approve(actor=request.user, batch=get_batch_for(request.user, pk))
        return Response(s.BatchSerializer(batch).data)

    @extend_schema(request=s.RejectSerializer, responses=s.BatchSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        batch = get_batch_for(request.user, pk)  # visibility first: a hidden batch is 404
        data = s.RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.batch_reject(actor=request.user, batch=batch,
                                      reason=data.validated_data["reason"])
        return Response(s.BatchSerializer(batch).data)

    @extend_schema(request=None, responses={(200, "text/csv"): bytes})
    @action(detail=True, methods=["post"], url_path="bank-file")
    def bank_file(self, request, pk=None):
        batch = services.batch_export(actor=request.user, batch=get_batch_for(request.user, pk))
        return protected_file_response(batch.export_file, download_name=f"{batch.number}.csv")

    @extend_schema(request=s.ImportUploadSerializer, responses=s.BatchSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        batch = get_batch_for(request.user, pk)  # visibility first: a hidden batch is 404
        upload = s.ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        result, created = services.batch_result_import(
            actor=request.user, batch=batch, uploaded_file=upload.validated_data["file"])
        return Response({"created": created, "paid": result.paid_count,
                         "failed": result.failed_count, "unchanged": result.unchanged_count},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def reconciliation(self, request, pk=None):
        batch = get_batch_for(request.user, pk)
        report = batch_reconciliation(batch)
        return Response({key: (str(value) if key in ("total_mop", "total_cny") else value)
                         for key, value in report.items() if key != "lines"}
                        | {"lines": [{**line, "label": str(line["label"]),
                                      "mop": str(line["mop"]), "cny": str(line["cny"])}
                                     for line in report["lines"]],
                           "failed": list(batch_failed_payments(batch)
                                          .values_list("reference", flat=True))})


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PaymentSerializer
    permission_classes = [roles_allowed(*BATCH_VIEW_ROLES, Role.DISTRICT)]
    filterset_fields = ["batch", "status", "period"]

    def get_queryset(self):
        shown = [name for name in s.PaymentSerializer.Meta.fields
                 if name not in ("batch_number", "ias_case_no")]
        return payments_for_api(self.request.user, fields=shown)




class BankRecipientViewSet(viewsets.ReadOnlyModelViewSet):
    """The partner bank's view of the recipients routed to it (name, masked identity number,
    card status); POST ``step`` records a card-opening step."""

    serializer_class = s.BankRecipientSerializer
    permission_classes = [roles_allowed(*BANK_ROLES)]

    def get_queryset(self):
        return bank_recipients_for_api(self.request.user)

    @extend_schema(request=RevealSerializer, responses=RevealedNumberSerializer)
    @action(detail=True, methods=["post"], url_path="account/reveal")
    def reveal_account(self, request, pk=None):
        """The card account number in full at the bank's desk, with a reason (core.reveal)."""
        return _reveal_account(request, get_bank_recipient_for(request.user, pk, action="reveal"))

    @extend_schema(request=RevealSerializer, responses=RevealedNumberSerializer)
    @action(detail=True, methods=["post"], url_path="document/reveal")
    def reveal_document(self, request, pk=None):
        """The Macau ID (else travel-permit) number in full, to check the person at the counter,
        with a reason (core.reveal)."""
        recipient = get_bank_recipient_for(request.user, pk, action="reveal")
        document = bank_document_of(recipient)
        if document is None:
            raise ApplicationError(_("No identity document is recorded."), code="no_number",
                                   status=409)
        data = RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return no_store(Response({"number": services.recipient_document_reveal(
            actor=request.user, recipient=recipient, document=document,
            **data.validated_data)}))

    @extend_schema(request=s.BankStepSerializer, responses=s.BankRecipientSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        recipient = get_bank_recipient_for(request.user, pk, action="change")
        step = s.BankStepSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        data = step.validated_data
        _onboarding_step(request.user, recipient, data,
                         branch=_branch(data["bank_branch"], bank_branch_of(request.user)))
        fresh = self.get_queryset().get(pk=recipient.pk)
        return Response(s.BankRecipientSerializer(fresh).data, status=status.HTTP_201_CREATED)


class BankAppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             viewsets.GenericViewSet):
    """The appointments at the branches of the caller's bank; POST ``outcome`` records one."""

    serializer_class = s.BankAppointmentSerializer
    permission_classes = [roles_allowed(*BANK_ROLES)]

    def get_queryset(self):
        return bank_appointments_for_api(self.request.user)

    @extend_schema(request=s.OutcomeSerializer, responses=s.BankAppointmentSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        appointment = get_bank_appointment_for(request.user, pk, action="change")
        data = s.OutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.appointment_record_outcome(actor=request.user, appointment=appointment,
                                            **data.validated_data)
        return Response(s.BankAppointmentSerializer(self.get_queryset().get(
            pk=appointment.pk)).data)
