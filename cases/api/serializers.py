from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from web.api.serializers import ModelSerializer, QueryBooleanField, Serializer
from core.identity import DocumentType, mask
from core.models import District, LiaisonAssignment
from core.validators import TEXT_MAX_LENGTH, validate_birth_date

from .. import selectors
from ..models import (
    ActionItem,
    ActionItemProgress,
    Case,
    CaseCategory,
    CaseStatus,
    Household,
    HouseholdMember,
    IncomeItem,
    Meeting,
    Person,
    PersonMerge,
    ResidenceStatus,
    RiskLevel,
    Sex,
)


@extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "integer"}, "document_type": {"type": "string"},
    "number": {"type": "string"}}}})
class DocumentsField(serializers.Field):
    """Document numbers, always masked: the full number is revealed on its own, with a reason
    (``POST people/{id}/documents/{document_id}/reveal/``, core.reveal)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, person):
        return [{"id": document.pk, "document_type": document.document_type,
                 "number": mask(document.number)}
                for document in selectors.documents_of(person)]


class PersonSerializer(ModelSerializer):
    documents = DocumentsField()
    owner_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name_zh", "name_latin", "sex", "date_of_birth", "residence_status",
                  "phone", "address", "district", "owner_agency", "documents", "created_at"]


class PersonCreateSerializer(Serializer):
    name_zh = serializers.CharField(max_length=80)
    name_latin = serializers.CharField(max_length=120, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(validators=[validate_birth_date])
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices)
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    document_number = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    district = serializers.CharField(max_length=16, required=False, allow_blank=True)
    confirm_new_reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True,
        help_text="Needed when possible matches were returned (409): why this is a new person.")


class PersonShareSerializer(Serializer):
    """Share (or withdraw the share of) a Macau or Hengqin record with a Zhuhai agency."""

    agency = serializers.SlugField(max_length=40, help_text="The Zhuhai agency's code.")
    reason = serializers.CharField(max_length=400)


class PersonSharesSerializer(Serializer):
    shared_with = serializers.ListField(child=serializers.CharField(), read_only=True)


class PossibleDuplicateSerializer(Serializer):
    id = serializers.IntegerField(read_only=True)
    name_zh = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    sex = serializers.CharField(read_only=True)
    district = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True)
    is_certain = serializers.BooleanField(read_only=True)


class PersonConflictSerializer(Serializer):
    """409: the person may be registered already. ``candidates`` (code ``possible_duplicate``)
    are the possible matches, to confirm with ``confirm_new_reason``; ``existing`` (code
    ``duplicate``) is the person holding the document, if the user may see them."""
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True,
                                 help_text="possible_duplicate, duplicate, or another conflict")
    candidates = PossibleDuplicateSerializer(many=True, required=False)
    existing = serializers.IntegerField(allow_null=True, required=False)


class MemberSerializer(ModelSerializer):
    name_zh = serializers.CharField(source="person.name_zh", read_only=True)

    class Meta:
        model = HouseholdMember
        fields = ["person", "name_zh", "relationship"]


class IncomeSerializer(ModelSerializer):
    class Meta:
        model = IncomeItem
        fields = ["id", "member", "kind", "monthly_amount", "currency"]


class HouseholdSerializer(ModelSerializer):
    members = MemberSerializer(many=True, read_only=True, source="listed_members")
    income_items = IncomeSerializer(many=True, read_only=True, source="listed_income_items")
    owner_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "head", "address", "district", "living_situation", "owner_agency",
                  "members", "income_items", "created_at"]


class CaseSerializer(ModelSerializer):
    subject_name = serializers.CharField(source="subject.name_zh", read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "subject", "subject_name", "household", "owner_agency",
                  "district", "category", "status", "risk_level", "is_key_case", "summary",
                  "opened_at", "closed_at"]
        read_only_fields = fields


class CaseCreateSerializer(Serializer):
    subject = serializers.IntegerField()
    category = serializers.ChoiceField(choices=CaseCategory.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.LOW)
    summary = serializers.CharField(max_length=TEXT_MAX_LENGTH,
                                    required=False, allow_blank=True, default="")


def _optional_choice(choices):
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, default="")


def _optional_text(max_length=80):
    return serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=max_length)


class PersonSearchSerializer(Serializer):
    """A search by name or document number: in the body, never in the address."""
    q = _optional_text()
    district = _optional_choice(District.choices)


class CaseSearchSerializer(Serializer):
    """A search by name, document or case number: in the body, never in the address."""
    q = _optional_text()
    document_number = _optional_text(40)
    district = _optional_choice(District.choices)
    status = _optional_choice(CaseStatus.choices)
    category = _optional_choice(CaseCategory.choices)
    risk_level = _optional_choice(RiskLevel.choices)


class CaseListQuerySerializer(Serializer):
    """The case list's filters in the address (names and numbers are searched by POST)."""
    district = _optional_choice(District.choices)
    status = _optional_choice(CaseStatus.choices)
    category = _optional_choice(CaseCategory.choices)
    risk_level = _optional_choice(RiskLevel.choices)


class LiaisonQuerySerializer(Serializer):
    current = QueryBooleanField(required=False, default=False,
                                       help_text="Only the entries valid today.")


def paginated(serializer_class, name):
    """The page a search answers with, as the list endpoints' pagination shapes it."""
    return type(name, (serializers.Serializer,), {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True),
    })


class KeyCaseDecisionSerializer(Serializer):
    """A key-case review's decision: what was decided, the outcome and who took part (agencies
    by code; staff as a count, their names stay on the page for those who see the meeting)."""

    text = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    agencies_present = serializers.SerializerMethodField()
    staff_present = serializers.SerializerMethodField()

    def get_agencies_present(self, decision) -> list[str]:
        return [agency.code for agency in decision.participating_agencies.all()]

    def get_staff_present(self, decision) -> int:
        return len(decision.participants.all())


class AgendaItemSerializer(Serializer):
    id = serializers.IntegerField(source="pk")
    position = serializers.IntegerField()
    kind = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    title = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    status = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    cases = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    key_case_decisions = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
        key: {"type": "string"} for key in ("number", "category", "risk_level", "district",
                                            "status", "summary")}}})
    def get_cases(self, item):
        return [{key: brief[key] for key in ("number", "category", "risk_level", "district",
                                             "status", "summary")}
                for brief in getattr(item, "case_briefs", [])]

    def get_decisions(self, item) -> list[str]:
        return [decision.text for decision in item.decisions.all()]

    @extend_schema_field(KeyCaseDecisionSerializer(many=True))
    def get_key_case_decisions(self, item):
        decisions = [decision for decision in item.decisions.all() if decision.outcome]
        return KeyCaseDecisionSerializer(decisions, many=True).data


class MeetingSerializer(ModelSerializer):
    organiser_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    invited_agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "kind", "starts_at", "ends_at", "place", "online_link",
                  "status", "organiser_agency", "invited_agencies", "minutes_status"]


class ProgressSerializer(ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ActionItemProgress
        fields = ["text", "actor", "created_at"]


class ActionItemSerializer(ModelSerializer):
    owner_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "decision", "title", "description", "owner_agency",
                  "due_date", "status", "completed_at", "is_overdue"]

    def get_is_overdue(self, item) -> bool:
        return item.is_overdue()


class ProgressCreateSerializer(Serializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    status = serializers.ChoiceField(choices=ActionItem._meta.get_field("status").choices,
                                     required=False)


class LiaisonSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.first_name", read_only=True)

    class Meta:
        model = LiaisonAssignment
        fields = ["id", "agency", "username", "name", "role", "phone", "email", "valid_from",
                  "valid_until"]


class PersonMergeSerializer(ModelSerializer):
    """A proposed or done merge: the two people by id and name (a merge is shown only to a user
    who sees both), who proposed and decided it, and what a done merge moved."""

    survivor_name = serializers.CharField(source="survivor.name_zh", read_only=True)
    duplicate_name = serializers.CharField(source="duplicate.name_zh", read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True)
    undone_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                             allow_null=True)
    moved = serializers.SerializerMethodField()

    class Meta:
        model = PersonMerge
        fields = ["id", "survivor", "survivor_name", "duplicate", "duplicate_name", "status",
                  "score", "reason", "proposed_by", "created_at", "decided_by", "decided_at",
                  "undone_by", "undone_at", "moved"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_moved(self, merge) -> dict:
        """How many records of each kind the merge moved (``app.model.field``)."""
        return {key: len(ids) for key, ids in merge.moved.items()}


class PersonMergeProposeSerializer(Serializer):
    survivor = serializers.IntegerField(min_value=1, help_text="The person who stays.")
    duplicate = serializers.IntegerField(min_value=1,
                                         help_text="The person merged into the survivor.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PersonMergeDecideSerializer(Serializer):
    approve = serializers.BooleanField(help_text="true merges the people, false rejects.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PersonMergeUndoSerializer(Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
