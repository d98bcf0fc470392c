"""Admin: for looking things up. Money and workflow change only through the services (pages and
API), so the fund, its ledger and the applications are read-only here."""
from django.contrib import admin

from core.admin import PersonalDataAdmin, ReadOnlyAdmin

from .models import (Application, ApplicationDocument, Fund, FundAllocation, LedgerEntry,
                     PolicyVersion)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["effective_from", "standard_amount", "district_limit_multiple",
                    "city_limit_multiple", "fast_track_limit_multiple", "frequency_limit"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin, PersonalDataAdmin):
    list_display = ["number", "district", "kind", "amount_requested", "amount_approved",
                    "route", "status", "created_at"]
    list_filter = ["status", "route", "district", "kind"]
    search_fields = ["number"]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdmin):
    list_display = ["application", "original_name", "uploaded_at"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "balance", "reserved", "available", "low_balance_threshold"]


@admin.register(FundAllocation)
class FundAllocationAdmin(ReadOnlyAdmin):
    list_display = ["fund", "allocated_on", "amount", "document_reference"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["booked_at", "fund", "kind", "amount", "balance_after", "available_after",
                    "application", "reference"]
    list_filter = ["kind", "fund"]
