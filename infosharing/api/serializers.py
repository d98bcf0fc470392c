from rest_framework import serializers

from core.models import District
from core.validators import (
    TEXT_MAX_LENGTH,
    validate_operational_date,
    validate_operational_datetime,
)
from web.api.serializers import ModelSerializer, Serializer

from ..models import (
    AskableSide,
    Authorization,
    Bulletin,
    BulletinRecipient,
    BulletinSection,
    DataCategory,
    EmergencyKind,
    FindingOutcome,
    UrgentNotification,
    UrgentRecipient,
    VerificationRequest,
)
from ..selectors import bulletin_recipients_for, bulletin_sections_for


class AuthorizationSerializer(ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    is_revoked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Authorization
        fields = ["id", "person", "signatories", "categories", "sides", "valid_from", "valid_until",
                  "received_on", "owner_agency", "district", "scan_name", "scan_kind",
                  "is_revoked", "revoked_on", "revocation_reason", "created_at"]
        read_only_fields = fields


class AuthorizationCreateSerializer(Serializer):
    person = serializers.IntegerField()
    signatories = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    categories = serializers.ListField(child=serializers.ChoiceField(DataCategory.choices))
    sides = serializers.ListField(child=serializers.ChoiceField(AskableSide.choices))
    valid_from = serializers.DateField(validators=[validate_operational_date])
    valid_until = serializers.DateField(validators=[validate_operational_date])
    received_on = serializers.DateField(validators=[validate_operational_date], required=False)
    scan = serializers.FileField()


class ReasonSerializer(Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class VerificationRequestSerializer(ModelSerializer):
    requesting_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    receiving_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = VerificationRequest
        fields = ["id", "number", "direction", "person", "authorization", "requesting_agency",
                  "district", "receiving_side", "receiving_agency", "categories", "question",
                  "status", "due_date", "is_overdue", "sent_at", "routed_at", "received_at",
                  "answered_at", "closed_at", "status_reason"]
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class VerificationRequestCreateSerializer(Serializer):
    case = serializers.IntegerField(required=False, allow_null=True,
                                    help_text="Outbound (Zhuhai asks): the case.")
    person = serializers.IntegerField(required=False, allow_null=True,
                                      help_text="Inbound (Macau or Hengqin asks Zhuhai): the "
                                                "person the liaison's agency registered.")
    receiving_side = serializers.ChoiceField(AskableSide.choices)
    categories = serializers.ListField(child=serializers.ChoiceField(DataCategory.choices))
    question = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                     required=False, allow_blank=True, default="")
    authorization = serializers.IntegerField(required=False, allow_null=True)


class RouteSerializer(Serializer):
    district = serializers.ChoiceField(District.choices)


class FindingInputSerializer(Serializer):
    category = serializers.ChoiceField(DataCategory.choices)
    outcome = serializers.ChoiceField(FindingOutcome.choices)
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                 required=False, allow_blank=True, default="")


class AnswerSerializer(Serializer):
    findings = FindingInputSerializer(many=True)


class BulletinSummarySerializer(ModelSerializer):
    """A bulletin in the list: without its sections; the detail has them. ``agency`` is set on
    the bulletins made for one agency before the two-way bulletin, null otherwise."""
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Bulletin
        fields = ["id", "agency", "period_start", "period_end", "status", "deadline",
                  "generated_at", "published_at", "missing_sides", "emailed_at"]
        read_only_fields = fields


class BulletinSectionSerializer(ModelSerializer):
    """A section: its state for everyone who sees the bulletin; its counts and text only where
    the page shows them (a published bulletin, or the reader's own side's draft)."""
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_in = serializers.BooleanField(read_only=True)
    content = serializers.SerializerMethodField()
    common_concern = serializers.SerializerMethodField()

    class Meta:
        model = BulletinSection
        fields = ["side", "agency", "due_date", "is_in", "submitted_at", "content",
                  "common_concern"]
        read_only_fields = fields

    def get_content(self, section) -> list:
        return section.content if getattr(section, "shows_content", False) else []

    def get_common_concern(self, section) -> str:
        return section.common_concern if getattr(section, "shows_content", False) else ""


class BulletinRecipientSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = BulletinRecipient
        fields = ["agency", "ack_due_date", "acknowledged_at"]
        read_only_fields = fields


class BulletinSerializer(BulletinSummarySerializer):
    sections = serializers.SerializerMethodField()
    recipients = serializers.SerializerMethodField()

    class Meta(BulletinSummarySerializer.Meta):
        fields = [*BulletinSummarySerializer.Meta.fields, "sections", "recipients"]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def get_sections(self, bulletin) -> list[dict]:
        return BulletinSectionSerializer(bulletin_sections_for(self._user(), bulletin),
                                         many=True).data

    def get_recipients(self, bulletin) -> list[dict]:
        return BulletinRecipientSerializer(bulletin_recipients_for(self._user(), bulletin),
                                           many=True).data


class BulletinSectionInputSerializer(Serializer):
    common_concern = serializers.CharField(max_length=8000, required=False, allow_blank=True,
                                           default="")
    submit = serializers.BooleanField(required=False, default=True)


class UrgentRecipientSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = UrgentRecipient
        fields = ["id", "agency", "escalation_level", "ack_due_at", "acknowledged_at",
                  "escalated_to_backup_at", "escalated_to_leadership_at"]
        read_only_fields = fields


class UrgentNotificationSerializer(ModelSerializer):
    """``person`` and ``description`` are null for a role that may not see them (leadership
    reached by escalation), as the page leaves them out: ``context["shows_person"]``."""

    number = serializers.CharField(read_only=True)
    person = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    reporting_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    recipients = UrgentRecipientSerializer(many=True, read_only=True, source="listed_recipients")

    class Meta:
        model = UrgentNotification
        fields = ["id", "number", "person", "kind", "occurred_at", "description",
                  "reporting_agency", "district", "created_at", "recipients"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("shows_person", True):
            data["person"] = None
            data["description"] = None
        return data


class UrgentNotificationCreateSerializer(Serializer):
    person = serializers.IntegerField()
    kind = serializers.ChoiceField(EmergencyKind.choices)
    occurred_at = serializers.DateTimeField(validators=[validate_operational_datetime])
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    agencies = serializers.ListField(child=serializers.SlugField())
