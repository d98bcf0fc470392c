from rest_framework import serializers

from web.api.serializers import ModelSerializer, Serializer
from core.identity import mask
from core.validators import validate_operational_date

from ..models import Appointment, Batch, ImportRun, OnboardingEvent, Payment, Recipient


class RecipientSerializer(ModelSerializer):
    name = serializers.CharField(source="person.name_zh", read_only=True)
    documents = serializers.SerializerMethodField()
    card_account_no = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = ["id", "ias_case_no", "name", "documents", "aid_type", "monthly_amount_mop",
                  "effective_from", "effective_until", "district", "status",
                  "onboarding_status", "onboarding_changed_on", "bank_branch", "visit_date",
                  "card_account_no", "updated_at"]

    def get_documents(self, recipient) -> list[dict]:
        return [{"type": document.document_type, "number": mask(document.number)}
                for document in recipient.person.documents.all()]

    def get_card_account_no(self, recipient) -> str:
        return mask(recipient.card_account_no)


class ImportRunSerializer(ModelSerializer):
    errors = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = ["id", "original_name", "sha256", "kind", "is_full_roster", "status",
                  "uploaded_by", "created_at", "row_count", "error_count", "errors", "diff",
                  "summary",
                  "committed_by", "committed_at"]

    def get_errors(self, run) -> list[dict]:
        return run.preview.get("errors", [])[:1000]

    def get_diff(self, run) -> dict:
        return run.preview.get("diff", {})


class ImportRunListSerializer(ModelSerializer):
    """The list leaves out the stored preview (it can hold 20,000 rows per import)."""

    class Meta:
        model = ImportRun
        fields = ["id", "original_name", "sha256", "kind", "is_full_roster", "status",
                  "uploaded_by", "created_at", "row_count", "error_count", "summary",
                  "committed_by",
                  "committed_at"]


class ImportUploadSerializer(Serializer):
    file = serializers.FileField()


class RosterUploadSerializer(ImportUploadSerializer):
    #: A full roster suspends the active recipients missing from it (see the upload page).
    full_roster = serializers.BooleanField(required=False, default=False)


class ReinstateSerializer(Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _masked_document(person) -> str:
    """The first Macau ID or travel permit of a prefetched ``person.documents``, masked."""
    for document in person.documents.all():
        if document.document_type in ("macau_id", "travel_permit"):
            return mask(document.number)
    return ""


class BankRecipientSerializer(ModelSerializer):
    """What a partner bank sees of a recipient: the appointment's needs, nothing more."""

    name = serializers.CharField(source="person.name_zh", read_only=True)
    document = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = ["id", "name", "document", "onboarding_status", "onboarding_changed_on",
                  "visit_date", "bank_branch"]

    def get_document(self, recipient) -> str:
        return _masked_document(recipient.person)


class BankAppointmentSerializer(ModelSerializer):
    name = serializers.CharField(source="recipient.person.name_zh", read_only=True)
    document = serializers.SerializerMethodField()
    branch_name = serializers.CharField(source="branch.__str__", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "recipient", "name", "document", "branch", "branch_name",
                  "scheduled_at", "purpose", "status", "outcome"]

    def get_document(self, appointment) -> str:
        return _masked_document(appointment.recipient.person)


class BankStepSerializer(Serializer):
    step = serializers.ChoiceField(choices=["visit", "card", "activate", "fail", "decline"])
    on_date = serializers.DateField(validators=[validate_operational_date])
    officers = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                     default="")
    account_no = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                       default="")
    bank_branch = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OnboardingEventSerializer(ModelSerializer):
    class Meta:
        model = OnboardingEvent
        fields = ["id", "recipient", "from_status", "to_status", "on_date", "note", "actor",
                  "created_at"]


class OnboardingStepSerializer(BankStepSerializer):
    recipient = serializers.IntegerField()


class AppointmentSerializer(ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "recipient", "branch", "scheduled_at", "purpose", "status", "outcome",
                  "created_at"]
        read_only_fields = ["status", "outcome", "created_at"]


class OutcomeSerializer(Serializer):
    status = serializers.CharField(max_length=20)
    outcome = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class BatchSerializer(ModelSerializer):
    class Meta:
        model = Batch
        fields = ["id", "number", "period", "status", "rate", "rate_date", "rate_source",
                  "payment_count", "total_mop", "total_cny", "prepared_by", "prepared_at",
                  "approved_by", "approved_at", "rejection_reason", "export_sha256",
                  "exported_at"]


class BatchPrepareSerializer(Serializer):
    period = serializers.DateField(validators=[validate_operational_date])
    rate = serializers.CharField(max_length=30)
    rate_date = serializers.DateField(validators=[validate_operational_date])
    rate_source = serializers.CharField(max_length=120)
    rate_confirmed = serializers.BooleanField(
        required=False, default=False,
        help_text="true to confirm a rate more than 10 per cent away from the previous batch's")


class RejectSerializer(Serializer):
    reason = serializers.CharField(max_length=300)


class PaymentSerializer(ModelSerializer):
    ias_case_no = serializers.CharField(source="recipient.ias_case_no", read_only=True)
    batch_number = serializers.CharField(source="batch.number", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "reference", "batch", "batch_number", "recipient", "ias_case_no",
                  "period", "amount_mop", "amount_cny", "status", "failure_reason",
                  "bank_reference", "settled_at", "carried_from"]
