from rest_framework import serializers

from web.api.serializers import ModelSerializer, Serializer
from core.models import Agency
from core.validators import TEXT_MAX_LENGTH, validate_operational_date

from ..models import Application, Fund, FundAllocation, LedgerEntry, PolicyVersion, Route


class ApplicationSerializer(ModelSerializer):
    person_name = serializers.CharField(source="person.name_zh", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    # read-only fields lose allow_blank: declared, so the schema admits "not routed yet"
    route = serializers.ChoiceField(choices=Route.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Application
        fields = ["id", "number", "person", "person_name", "case", "case_number", "district",
                  "kind", "description", "household_situation", "amount_requested",
                  "amount_approved", "is_fast_track", "status", "route", "policy",
                  "frequency_override_reason", "district_note", "decision_note",
                  "rejection_reason", "withdrawal_reason", "key_case_agenda_item_id",
                  "paperwork_due", "paperwork_completed_at", "paperwork_overdue_at",
                  "payment_reference", "submitted_at", "decided_at", "paid_at", "closed_at",
                  "created_at"]
        read_only_fields = fields


class ApplicationCreateSerializer(Serializer):
    case = serializers.IntegerField()
    kind = serializers.CharField(max_length=30)
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    household_situation = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                                required=False, allow_blank=True, default="")
    amount_requested = serializers.CharField(max_length=30,
                                             help_text="CNY, e.g. \"1200.50\"")
    is_fast_track = serializers.BooleanField(required=False, default=False)


class ActionSerializer(Serializer):
    amount = serializers.CharField(max_length=30,
                                   required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                 required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                   required=False, allow_blank=True, default="")
    frequency_override_reason = serializers.CharField(max_length=500,
                                                      required=False, allow_blank=True,
                                                      default="")
    payment_reference = serializers.CharField(max_length=80,
                                              required=False, allow_blank=True, default="")
    agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all(),
                                          required=False, allow_null=True, default=None)


class FundSerializer(ModelSerializer):
    class Meta:
        model = Fund
        fields = ["id", "code", "name", "kind", "balance", "reserved", "available",
                  "low_balance_threshold", "low_balance_alerted_at"]
        read_only_fields = fields


class AllocationSerializer(Serializer):
    amount = serializers.CharField(max_length=30)
    allocated_on = serializers.DateField(validators=[validate_operational_date])
    document_reference = serializers.CharField(max_length=120)


class FundAllocationSerializer(ModelSerializer):
    class Meta:
        model = FundAllocation
        fields = ["id", "fund", "amount", "allocated_on", "document_reference", "created_at"]


class LedgerEntrySerializer(ModelSerializer):
    application_number = serializers.CharField(source="application.number", read_only=True,
                                               default=None, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "fund", "kind", "amount", "balance_delta", "available_delta",
                  "balance_after", "available_after", "application", "application_number",
                  "reference", "booked_at"]
        read_only_fields = fields


class PolicyVersionSerializer(ModelSerializer):
    standard_amount = serializers.CharField(max_length=30)
    district_limit_multiple = serializers.CharField(max_length=10,
                                                    required=False, default="3")
    city_limit_multiple = serializers.CharField(max_length=10,
                                                required=False, default="6")
    fast_track_limit_multiple = serializers.CharField(max_length=10,
                                                      required=False, default="1")
    district_limit = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    city_limit = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    fast_track_limit = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = PolicyVersion
        fields = ["id", "effective_from", "standard_amount", "district_limit_multiple",
                  "city_limit_multiple", "fast_track_limit_multiple", "fast_track_paperwork_days",
                  "frequency_limit", "frequency_window_months", "note", "district_limit",
                  "city_limit", "fast_track_limit"]
        # the service refuses a second version for the same day (no UniqueValidator), but the
        # date keeps its range
        extra_kwargs = {"effective_from": {"validators": [validate_operational_date]}}
