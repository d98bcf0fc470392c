from django.contrib import admin

from core.admin import PersonalDataAdmin

from .models import Appointment, BankBranch, Batch, ImportRun, Payment, Recipient


@admin.register(BankBranch)
class BankBranchAdmin(admin.ModelAdmin):
    list_display = ["bank_name", "name", "district", "has_priority_window", "is_active"]
    list_filter = ["has_priority_window", "is_active"]


@admin.register(Recipient)
class RecipientAdmin(PersonalDataAdmin):
    list_display = ["ias_case_no", "district", "status", "onboarding_status"]
    list_filter = ["district", "status", "onboarding_status"]
    search_fields = ["ias_case_no"]
    raw_id_fields = ["person", "last_import"]
    exclude = ["card_account_no"]

    def has_add_permission(self, request):
        return False  # the roster comes from the IAS file


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "row_count", "error_count", "created_at"]
    exclude = ["preview"]
    readonly_fields = ["original_name", "sha256", "kind", "status", "uploaded_by", "row_count",
                       "error_count", "summary", "committed_by", "committed_at", "file"]

    def has_add_permission(self, request):
        return False


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["number", "period", "status", "payment_count", "total_cny"]
    readonly_fields = [field.name for field in Batch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """A batch is the record of a month's money: it is rejected (``batch_reject``), never
        deleted, and its payments go with it."""
        return False


@admin.register(Payment)
class PaymentAdmin(PersonalDataAdmin):
    list_display = ["reference", "period", "status", "amount_cny"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """A payment is money sent or due, counted in its batch's tallies: only ``batch_reject``
        removes the payments of a batch sent back."""
        return False


@admin.register(Appointment)
class AppointmentAdmin(PersonalDataAdmin):
    list_display = ["scheduled_at", "branch", "purpose", "status"]
    raw_id_fields = ["recipient"]
