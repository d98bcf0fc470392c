from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, AuditEvent, LiaisonAssignment, StaffProfile

User = get_user_model()


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "side", "kind", "district", "is_active"]
    list_filter = ["side", "kind", "district", "is_active"]
    search_fields = ["code", "name_zh_hans", "name_zh_hant", "name_en"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False

    def has_add_permission(self, request, obj=None):
        """A user has one staff profile: once it exists there is none to add, and the page
        need not carry the empty form Django otherwise writes in for adding one."""
        if obj is not None and hasattr(obj, "staff"):  # read once, kept on the user
            return False
        return super().has_add_permission(request, obj)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """A user's rights are their roles (groups, zhuao/roles.py): the form offers no individual
    permissions, which would grant what no role grants (and listed every permission of the
    project, 336 of them)."""
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "email", "is_active", "last_login"]
    fieldsets = [(name, {**options, "fields": tuple(field for field in options["fields"]
                                                    if field != "user_permissions")})
                 for name, options in BaseUserAdmin.fieldsets]
    filter_horizontal = ("groups",)


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(admin.ModelAdmin):
    list_display = ["agency", "role", "user", "valid_from", "valid_until"]
    list_filter = ["role", "agency"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["occurred_at", "actor_username", "agency_code", "action", "object_type",
                    "object_id", "outcome", "ip_address"]
    list_filter = ["outcome", "action"]
    search_fields = ["actor_username", "object_id", "action"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
