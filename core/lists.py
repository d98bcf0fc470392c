"""The audit trail as web.listing defines a list: the audit administrator's search page and
its export share one query (who did what to which record when, and whether it was refused)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent
from core.roles import Role, has_role
from web.forms import AuditFilterForm
from web.listing import Column, ListQuery, ListSpec, register


def audit_query(user, params) -> ListQuery:
    """The audit events for the audit administrator, filtered; nothing for anyone else."""
    events = AuditEvent.objects.all()
    if not has_role(user, Role.AUDIT_ADMIN):
        return ListQuery(events.none(), {}, context={"form": AuditFilterForm()})
    form = AuditFilterForm(params or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_username=data["actor"])
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"])
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(occurred_at__gte=datetime.combine(data["since"], time.min, zone))
        if data["until"]:
            events = events.filter(occurred_at__lt=datetime.combine(
                data["until"] + timedelta(days=1), time.min, zone))
        filters = {name: str(value) for name, value in data.items() if value}
    return ListQuery(events, filters, form=form, context={"form": form})


def audit_columns():
    return [
        Column(_("Time"), lambda event: event.occurred_at),
        Column(_("User"), lambda event: event.actor_username),
        Column(_("Agency"), lambda event: event.agency_code),
        Column(_("Action"), lambda event: event.action),
        Column(_("Object type"), lambda event: event.object_type),
        Column(_("Object id"), lambda event: event.object_id),
        Column(_("Outcome"), lambda event: event.get_outcome_display()),
        Column(_("IP address"), lambda event: event.ip_address),
        Column(_("Summary"), lambda event: event.summary),
    ]


AUDIT = register(ListSpec(
    key="audit", title=_("Audit trail"), url_name="audit_list", export_url_name="audit_export",
    roles=(Role.AUDIT_ADMIN,), object_type="zhuao.auditevent", query=audit_query,
    columns=audit_columns, page_size=50,
    sorts={"time": ("occurred_at",), "action": ("action",), "object": ("object_type",)},
    default_sort="-time"))
