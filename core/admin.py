from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.audit import audit_bulk_read, audit_record
from core.calendar import working_day_override_delete, working_day_override_save
from core.models import (Agency, AuditEvent, AuditOutcome, LiaisonAssignment, StaffProfile,
                     WorkingDayOverride)
from core.roles import Role, has_role
from core.user_access import acting_as, may_grant_groups, may_set_password, separation_refusal

User = get_user_model()

#: the change list's own parameters: page, ordering, popups; not filters
_LIST_PARAMETERS = {"p", "o", "_popup", "_to_field", "e"}


class PersonalDataAdmin(admin.ModelAdmin):
    """The admin of a model that holds personal data: its list (with a search or not) is a
    bulk read, its record page a read, and each is audited like the application's own pages
    (``admin.list`` with rows and filter kinds, ``admin.view``): the administrator is not the
    one reader the audit trail does not see. One INSERT per request."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None:
            filters = {key: value for key, value in request.GET.items()
                       if key not in _LIST_PARAMETERS}
            audit_bulk_read(actor=request.user, action="admin.list",
                            object_type=self.model._meta.label_lower,
                            rows=len(changelist.result_list), filters=filters)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(actor=request.user, action="admin.view",
                         object_type=self.model._meta.label_lower, object_id=str(object_id))
        return response


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh_hans", "side", "kind", "district", "is_active"]
    list_filter = ["side", "kind", "district", "is_active"]
    search_fields = ["code", "name_zh_hans", "name_zh_hant", "name_en"]


class StaffProfileForm(forms.ModelForm):
    """A new account starts in its agency's language (traditional Chinese for Macau) unless
    the administrator picks another one."""

    class Meta:
        model = StaffProfile
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        if self.instance.pk is None and agency is not None and "language" not in self.changed_data:
            cleaned["language"] = agency.default_language
        return cleaned


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False

    def get_queryset(self, request):
        """With what the profile's title reads (its user and agency)."""
        return super().get_queryset(request).select_related("user", "agency")

    def has_add_permission(self, request, obj=None):
        """A user has one staff profile: once it exists there is none to add, and the page
        need not carry the empty form Django otherwise writes in for adding one."""
        if obj is not None and hasattr(obj, "staff"):  # read once, kept on the user
            return False
        return super().has_add_permission(request, obj)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """A user's rights are their roles (groups, core/roles.py): the form offers no individual
    permissions, which would grant what no role grants (and listed every permission of the
    project, 336 of them)."""
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "email", "is_active", "last_login"]
    fieldsets = [(name, {**options, "fields": tuple(field for field in options["fields"]
                                                    if field != "user_permissions")})
                 for name, options in BaseUserAdmin.fieldsets]
    filter_horizontal = ("groups",)

    def get_queryset(self, request):
        """With the staff profile, which the form's inline asks after."""
        return super().get_queryset(request).select_related("staff")

    def get_readonly_fields(self, request, obj=None):
        """Only a superuser grants superuser or staff status; only the security administrator
        grants roles, and to others only; the security administrator changes nothing else of
        an account but whether it is active (core.user_access)."""
        fields = list(super().get_readonly_fields(request, obj))
        actor = request.user
        if actor.is_superuser:
            return fields
        fields += ["is_superuser", "is_staff"]
        if not has_role(actor, Role.SECURITY_ADMIN) or (obj is not None and obj.pk == actor.pk):
            fields.append("groups")
        if has_role(actor, Role.SECURITY_ADMIN) and obj is not None:
            fields += ["username", "first_name", "last_name", "email", "last_login",
                       "date_joined"]
        return fields

    def get_inlines(self, request, obj):
        """The staff profile (agency, language) is the system administrator's."""
        if has_role(request.user, Role.SECURITY_ADMIN) and not request.user.is_superuser:
            return []
        return super().get_inlines(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        actor = request.user

        class RolesGrantedByHolders(form):
            def clean_groups(self):
                groups = self.cleaned_data.get("groups")
                if groups is None:
                    return groups
                before = set(self.instance.groups.all()) if self.instance.pk else set()
                added = [group for group in groups if group not in before]
                refusal = None
                if not may_grant_groups(actor, added, self.instance):
                    refusal = _("Only the security administrator grants roles, and never to "
                                "itself.")
                else:
                    refusal = separation_refusal(self.instance, {group.name for group in groups})
                if refusal:
                    audit_record(actor=actor, action="user.access_change",
                                 object_type="auth.user", object_id=str(self.instance.pk or ""),
                                 outcome=AuditOutcome.DENIED,
                                 changes={"username": self.instance.get_username(),
                                          "roles_added": ",".join(sorted(g.name for g in added))})
                    raise ValidationError(refusal)
                return groups

        return RolesGrantedByHolders

    def get_fieldsets(self, request, obj=None):
        """No "set password" link for whoever may not set this account's password."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or may_set_password(request.user, obj):
            return fieldsets
        return [(name, {**options, "fields": tuple(field for field in options["fields"]
                                                   if field != "password")})
                for name, options in fieldsets]

    def user_change_password(self, request, id, form_url=""):
        """Refused (and the refusal audited) unless ``may_set_password``; a password set is
        audited too, without the password."""
        user = self.get_object(request, unquote(id))
        if user is not None and not may_set_password(request.user, user):
            audit_record(actor=request.user, action="user.password_set", object_type="auth.user",
                         object_id=str(user.pk), outcome=AuditOutcome.DENIED,
                         changes={"username": user.get_username()},
                         summary=_("only the system administrator sets another account's "
                                   "password"))
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and user is not None:
            audit_record(actor=request.user, action="user.password_set", obj=user,
                         changes={"username": user.get_username()})
        return response

    def changeform_view(self, request, *args, **kwargs):
        with acting_as(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):  # bulk actions change users too
        with acting_as(request.user):
            return super().changelist_view(request, *args, **kwargs)


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(admin.ModelAdmin):
    list_display = ["agency", "role", "user", "valid_from", "valid_until"]
    list_filter = ["role", "agency"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    """The local corrections to the two working-day calendars (core/calendar.py); each add,
    change and delete is audited with the values before and after."""

    list_display = ["day", "side", "is_working_day", "note", "updated_at"]
    list_filter = ["side", "is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "day"
    fields = ["day", "side", "is_working_day", "note"]

    def save_model(self, request, obj, form, change):
        working_day_override_save(actor=request.user, override=obj)

    def delete_model(self, request, obj):
        working_day_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            working_day_override_delete(actor=request.user, override=override)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For looking up records that change only through their services (which audit them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["occurred_at", "actor_username", "agency_code", "action", "object_type",
                    "object_id", "outcome", "ip_address"]
    list_filter = ["outcome", "action"]
    search_fields = ["actor_username", "object_id", "action"]
    date_hierarchy = "occurred_at"
