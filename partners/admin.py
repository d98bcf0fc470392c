from django.contrib import admin

from core.admin import PersonalDataAdmin

from .models import (
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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "registered_in", "uscc", "macau_registration_number",
                    "agency", "status"]
    list_filter = ["kind", "registered_in", "status"]
    search_fields = ["name", "name_en", "uscc", "macau_registration_number"]


@admin.register(SocialWorker)
class SocialWorkerAdmin(PersonalDataAdmin):
    list_display = ["name", "organisation", "is_macau_social_worker", "practice_valid_until",
                    "macau_registration_valid_until", "is_active"]
    list_filter = ["is_macau_social_worker", "is_active", "qualification_level"]
    search_fields = ["name", "practice_registration_number", "macau_registration_number"]


class KpiInline(admin.TabularInline):
    model = ContractKpi
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ["status", "released_by", "released_at"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "provider", "budget", "status", "period_start",
                    "period_end"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    inlines = [KpiInline, MilestoneInline]
    readonly_fields = ["status", "finance_checked_by", "finance_checked_at", "approved_by",
                       "approved_at"]


@admin.register(Referral)
class ReferralAdmin(PersonalDataAdmin):
    list_display = ["number", "organisation", "district", "status", "consent_given", "sent_at"]
    list_filter = ["status", "district"]
    search_fields = ["number"]
    readonly_fields = ["case", "person", "originating_side", "status", "sent_at", "responded_at",
                       "responded_by"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["service_date", "organisation", "contract", "worker", "service_type",
                    "duration_minutes"]
    list_filter = ["service_type"]


class ResultInline(admin.TabularInline):
    model = EvaluationResult
    extra = 0
    readonly_fields = ["kpi", "target", "actual"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["contract", "period_start", "period_end", "score", "status"]
    list_filter = ["status"]
    inlines = [ResultInline]
    readonly_fields = ["status", "approved_by", "approved_at"]
