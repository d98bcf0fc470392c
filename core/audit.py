"""The audit trail's one door: every app calls ``audit_record``.

``changes`` carries field names with their new values; never secrets (passwords, tokens) and
never full identity numbers (pass them through ``core.identity.mask`` first)."""
from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils import timezone

from core.db import bulk_insert
from core.errors import ApplicationError
from core.models import AuditEvent, AuditOutcome
from web import request_context

_SECRET_WORDS = ("password", "token", "secret", "key")


def _label(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    return str(obj), ""


def _clean_changes(changes: dict[str, Any] | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for field, value in (changes or {}).items():
        if any(word in field.lower() for word in _SECRET_WORDS):
            cleaned[field] = "***"
        elif isinstance(value, (str, int, float, bool)) or value is None:
            cleaned[field] = value
        else:
            cleaned[field] = str(value)
    return cleaned


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    object_type: str = "",
    object_id: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one audit event. ``action`` is ``<thing>.<verb>``, e.g. ``case.share``."""
    derived_type, derived_id = _label(obj)
    return AuditEvent.objects.create(**_event_fields(
        actor, action, username=username, object_type=object_type or derived_type,
        object_id=object_id or derived_id, summary=summary, changes=changes, outcome=outcome))


def audit_records(*, actor, action: str, entries: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Append one audit event per ``(object_type, object_id, changes)`` in a single write (a
    roster import audits 20,000 rows): the same fields as ``audit_record``."""
    now = timezone.now()
    bulk_insert(AuditEvent, [
        AuditEvent(occurred_at=now, **_event_fields(actor, action, object_type=object_type,
                                                    object_id=object_id, changes=changes))
        for object_type, object_id, changes in entries])


def _event_fields(actor, action: str, *, username: str = "", object_type: str = "",
                  object_id: str = "", summary: str = "", changes=None,
                  outcome: str = AuditOutcome.SUCCESS) -> dict[str, Any]:
    context = request_context.current()
    actor_id = None
    agency_code = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id = actor.pk
        username = username or actor.get_username()
        staff = getattr(actor, "staff", None) if hasattr(actor, "staff") else None
        if staff is not None:
            agency_code = staff.agency.code
    return {"actor_id": actor_id, "actor_username": username[:150], "agency_code": agency_code,
            "action": action[:64], "object_type": str(object_type)[:64],
            "object_id": str(object_id)[:64], "summary": str(summary)[:500],
            "changes": _clean_changes(changes), "ip_address": context.ip_address,
            "request_id": context.request_id, "outcome": outcome}


def changed_fields(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``instance``, for the ``changes`` of an audit event."""
    return {field: getattr(instance, field) for field in fields}


#: ApplicationError statuses that mean "this step was refused": the role or the unit may not
#: take it (403), or the record is not in a state that allows it (409).
REFUSAL_STATUSES = (403, 409)
_service_depth: ContextVar[int] = ContextVar("zhuao_audited_service_depth", default=0)


def refusals_audited(service: Callable) -> Callable:
    """Decorates a write service (above its ``@transaction.atomic``): a refused step is audited
    with outcome "denied", then the error goes on to the caller.

    The service's own transaction has rolled back by then, taking any row it wrote with it, so
    the refusal is written after it, by the outermost decorated service only (a service that
    calls another would otherwise write it inside a transaction about to roll back)."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        token = _service_depth.set(_service_depth.get() + 1)
        try:
            return service(*args, **kwargs)
        except ApplicationError as error:
            if _service_depth.get() == 1 and error.status in REFUSAL_STATUSES:
                record = next((value for value in kwargs.values()
                               if isinstance(value, models.Model) and value.pk is not None
                               and value is not kwargs.get("actor")), None)
                audit_record(actor=kwargs.get("actor"), action=f"{service.__name__}.refused"[:64],
                             obj=record, summary=str(error.message)[:500],
                             changes={"code": error.code, "status": error.status},
                             outcome=AuditOutcome.DENIED)
            raise
        finally:
            _service_depth.reset(token)

    return wrapper


#: Filters whose value is free text: a name, an identity-document, phone or record number. A
#: bulk-read audit row keeps only which kind of text was searched, never the text, and no hash
#: of it either: an identity number has too few possible values for a hash to hide it.
TEXT_FILTERS = frozenset({"q", "search", "document_number", "name", "phone"})


def search_kind(text: str) -> str:
    """``number`` when the text holds a digit (identity, phone, case or application number),
    else ``name``."""
    return "number" if any(character.isdigit() for character in str(text)) else "name"


def audit_bulk_read(*, actor, action: str, object_type: str, rows: int,
                    filters: dict[str, Any] | None = None, **extra: Any) -> AuditEvent:
    """One audit row for one request that reads personal data in bulk: an export, a search of
    people or cases, a person's page. ``rows`` is how many records it returned; ``filters``
    the filters it was given, of which the text ones (``TEXT_FILTERS``) are kept as their kind
    (``q=<name>``) and the others (districts, statuses: codes) as they are. One INSERT."""
    kept: dict[str, Any] = {}
    for key, value in sorted((filters or {}).items()):
        if value in (None, "", [], ()):
            continue
        if key in TEXT_FILTERS:
            kept[key] = f"<{search_kind(value)}>"
        elif isinstance(value, (bool, int)):
            kept[key] = value
        else:
            kept[key] = str(value)[:40]
    summary = "; ".join([f"rows={rows}"] + [f"{key}={value}" for key, value in kept.items()]
                        + [f"{key}={value}" for key, value in extra.items()])
    return audit_record(actor=actor, action=action, object_type=object_type, summary=summary,
                        changes={"rows": rows, **kept, **extra})
