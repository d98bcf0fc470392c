"""Admin for reference data and support. Personal data is shown masked; visibility for staff
pages is enforced by the app's own views, so the admin is for administrators only."""
from django.contrib import admin

from core.admin import PersonalDataAdmin, ReadOnlyAdmin
from core.identity import mask

from .models import (
    ActionItem,
    ActionItemProgress,
    AgendaItem,
    Case,
    CaseAttachment,
    CaseEvent,
    Decision,
    Household,
    HouseholdMember,
    IdentityDocument,
    IncomeItem,
    Meeting,
    MeetingSeries,
    Person,
    PersonMerge,
)


class IdentityDocumentInline(admin.TabularInline):
    model = IdentityDocument
    extra = 0
    fields = ("document_type", "masked_number")
    readonly_fields = ("document_type", "masked_number")
    can_delete = False

    @admin.display(description="number")
    def masked_number(self, obj):
        return mask(obj.number)


@admin.register(Person)
class PersonAdmin(PersonalDataAdmin):
    list_display = ("name_zh", "residence_status", "district", "owner_agency", "created_at")
    list_filter = ("residence_status", "district")
    search_fields = ("name_zh", "name_latin")
    inlines = [IdentityDocumentInline]
    readonly_fields = ("created_by",)


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    """Merges are proposed, decided and undone through cases.merge (audited)."""

    list_display = ("duplicate", "survivor", "status", "proposed_by", "decided_by", "created_at")
    list_filter = ("status",)


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    raw_id_fields = ("person",)


class IncomeItemInline(admin.TabularInline):
    model = IncomeItem
    extra = 0
    raw_id_fields = ("member",)


@admin.register(Household)
class HouseholdAdmin(PersonalDataAdmin):
    list_display = ("head", "district", "owner_agency")
    list_filter = ("district",)
    raw_id_fields = ("head",)
    inlines = [HouseholdMemberInline, IncomeItemInline]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ("kind", "text", "actor", "created_at")
    can_delete = False


@admin.register(Case)
class CaseAdmin(PersonalDataAdmin):
    list_display = ("number", "category", "status", "risk_level", "is_key_case", "district",
                    "owner_agency", "opened_at")
    list_filter = ("status", "category", "risk_level", "is_key_case", "district")
    search_fields = ("number",)
    raw_id_fields = ("subject", "household", "assigned_officer")
    readonly_fields = ("number", "opened_at", "closed_at")
    inlines = [CaseEventInline]


@admin.register(CaseAttachment)
class CaseAttachmentAdmin(PersonalDataAdmin):
    list_display = ("original_name", "case", "kind", "size", "created_at")
    raw_id_fields = ("case", "uploaded_by")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "kind", "title", "status")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "status", "minutes_status")
    list_filter = ("kind", "status", "minutes_status")
    search_fields = ("title",)
    filter_horizontal = ("invited_agencies", "invited_people")
    inlines = [AgendaItemInline]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "frequency", "start_time", "starts_on", "ends_on",
                    "is_active")
    list_filter = ("kind", "frequency", "is_active")
    search_fields = ("title",)
    filter_horizontal = ("invited_agencies", "invited_people")


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "meeting", "created_at")
    list_filter = ("kind", "status")
    filter_horizontal = ("cases",)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agenda_item", "created_at")


class ProgressInline(admin.TabularInline):
    model = ActionItemProgress
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_agency", "due_date", "status", "meeting")
    list_filter = ("status", "owner_agency")
    inlines = [ProgressInline]
