from rest_framework import serializers

from cases.selectors import case_visible_to, person_visible_to
from core.models import District
from core.validators import TEXT_MAX_LENGTH
from web.api.serializers import ModelSerializer, Serializer

from .. import selectors
from ..models import (
    Contract,
    ContractKpi,
    Evaluation,
    EvaluationResult,
    Milestone,
    Organisation,
    Referral,
    ServiceRecord,
    SocialWorker,
)


class VisibleChoicesMixin:
    """Related ids are chosen among what the caller may see: a guessed id of another agency's
    record is answered like a missing one."""

    visible = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, selector in self.visible.items():
            if name in fields and not fields[name].read_only:
                fields[name].queryset = selector(user)
        return fields


def _visible_cases(user):
    return case_visible_to(user)


def _visible_people(user):
    return person_visible_to(user)


def _selector(name):
    def select(user):
        return getattr(selectors, name)(user)

    return select


class OrganisationSerializer(ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "name_en", "kind", "registered_in", "uscc",
                  "macau_registration_number", "agency", "contact_person", "contact_phone",
                  "contact_email", "address", "services_offered", "districts_served", "status"]
        read_only_fields = ["id"]
        extra_kwargs = {"uscc": {"validators": []}}


class SocialWorkerSerializer(VisibleChoicesMixin, ModelSerializer):
    visible = {"organisation": _selector("organisation_visible_to"),
               "supervisor": _selector("social_worker_visible_to")}
    expires_on = serializers.DateField(read_only=True)

    class Meta:
        model = SocialWorker
        fields = ["id", "organisation", "name", "is_macau_social_worker",
                  "macau_registration_number", "macau_registration_valid_until",
                  "qualification_level", "practice_registration_number", "practice_valid_from",
                  "practice_valid_until", "supervisor", "is_active", "expires_on"]
        read_only_fields = ["id", "expires_on"]


class KpiSerializer(ModelSerializer):
    class Meta:
        model = ContractKpi
        fields = ["id", "name", "measure", "service_type", "target"]


class MilestoneSerializer(ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "period_start", "period_end", "amount", "status", "released_at"]


class ContractSerializer(VisibleChoicesMixin, ModelSerializer):
    visible = {"provider": _selector("organisation_visible_to")}
    kpis = KpiSerializer(many=True, read_only=True, source="listed_kpis")
    milestones = MilestoneSerializer(many=True, read_only=True, source="listed_milestones")
    budget = serializers.CharField(max_length=TEXT_MAX_LENGTH)

    class Meta:
        model = Contract
        fields = ["id", "number", "title", "purchasing_agency", "provider", "budget",
                  "period_start", "period_end", "service_scope", "status", "finance_checked_at",
                  "approved_at", "kpis", "milestones"]
        read_only_fields = ["id", "number", "purchasing_agency", "status", "finance_checked_at",
                            "approved_at"]


def _audience(name: str):
    """A constant read-only field naming the shape: the schema documents a referral as one of
    two shapes (officers', providers'), and this field is what tells them apart."""
    return serializers.ChoiceField(choices=[(name, name)], read_only=True, default=name)


class ReferralSerializer(VisibleChoicesMixin, ModelSerializer):
    """Officers' view of a referral."""

    audience = _audience("officer")
    visible = {"case": _visible_cases, "person": _visible_people,
               "contract": _selector("referable_contracts")}

    class Meta:
        model = Referral
        fields = ["id", "audience", "number", "case", "person", "originating_side", "contract",
                  "organisation", "referring_agency",
                  "district", "reason", "needs", "person_name", "person_phone", "person_address",
                  "consent_given", "consent_date", "status", "sent_at", "responded_at",
                  "decline_reason"]
        read_only_fields = ["id", "number", "organisation", "referring_agency", "district",
                            "originating_side",
                            "person_name", "person_phone", "person_address", "status",
                            "sent_at", "responded_at", "decline_reason"]
        extra_kwargs = {
            "case": {"required": False, "allow_null": True,
                     "help_text": "Zhuhai's officers: the case referred."},
            "person": {"required": False,
                       "help_text": "Macau and Hengqin liaisons: the person referred (a person "
                                    "their agency registered or that was shared with it)."}}


class ProviderReferralSerializer(ModelSerializer):
    """What the provider's staff see: only what the referral needs; no case, no ID numbers."""

    audience = _audience("provider")

    class Meta:
        model = Referral
        fields = ["id", "audience", "number", "contract", "district", "reason", "needs", "person_name",
                  "person_phone", "person_address", "status", "sent_at", "responded_at",
                  "decline_reason"]
        read_only_fields = fields


class DeclineSerializer(Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class ServiceRecordSerializer(VisibleChoicesMixin, ModelSerializer):
    # read-only fields lose allow_blank: declared, so the schema admits the blank district
    district = serializers.ChoiceField(choices=District.choices, allow_blank=True, read_only=True)
    visible = {"contract": _selector("contract_visible_to"),
               "worker": _selector("social_worker_visible_to"),
               "referral": _selector("referral_visible_to")}

    class Meta:
        model = ServiceRecord
        fields = ["id", "contract", "referral", "worker", "district", "service_date",
                  "service_type", "duration_minutes", "outcome", "follow_up", "follow_up_date"]
        read_only_fields = ["id", "district"]


class EvaluationResultSerializer(ModelSerializer):
    kpi = serializers.CharField(max_length=TEXT_MAX_LENGTH, source="kpi.name")
    share = serializers.DecimalField(max_digits=6, decimal_places=4, read_only=True)

    class Meta:
        model = EvaluationResult
        fields = ["kpi", "target", "actual", "share"]


class EvaluationSerializer(ModelSerializer):
    results = EvaluationResultSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "contract", "milestone", "period_start", "period_end", "score", "remarks",
                  "status", "approved_at", "results"]
        read_only_fields = fields
