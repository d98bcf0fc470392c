"""Login lockout (django-axes): who is locked, until when, and the administrator's unlock.

Failures are counted per account and per account and address (``AXES_LOCKOUT_PARAMETERS``):
one person's mistakes never lock a whole office behind one NAT address, and guessing one
account's password from many addresses still locks it. A lockout ends by itself after
``AXES_COOLOFF_TIME`` hours counted from the last failure, or when an administrator unlocks it."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ApplicationError
from core.models import AuditOutcome
from core.roles import Role, has_role


@dataclass(frozen=True)
class LockedAccount:
    username: str
    failures: int
    retry_at: datetime.datetime


def _retry_at(last_failure: datetime.datetime) -> datetime.datetime:
    return last_failure + get_cool_off()


def locked_accounts() -> list[LockedAccount]:
    """Accounts whose failures reached the limit within the cool-off period, soonest free last."""
    since = timezone.now() - get_cool_off()
    rows = (AccessAttempt.objects.filter(attempt_time__gte=since).exclude(username="")
            .values("username").annotate(failures=Sum("failures_since_start"),
                                         last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("username"))
    return [LockedAccount(row["username"], row["failures"], _retry_at(row["last"]))
            for row in rows]


def retry_at_for(username: str) -> datetime.datetime | None:
    last = (AccessAttempt.objects.filter(username=username)
            .aggregate(last=Max("attempt_time"))["last"])
    return _retry_at(last) if last else None


def lockout_response(request, original_response=None, credentials=None):
    """What a locked user sees (``AXES_LOCKOUT_CALLABLE``): when they may try again, in their
    language; the API's token endpoint answers JSON with a Retry-After header."""
    username = get_client_username(request, credentials) or ""
    retry_at = retry_at_for(username) or timezone.now() + get_cool_off()
    local = timezone.localtime(retry_at)
    seconds = max(int((retry_at - timezone.now()).total_seconds()), 1)
    if request.path.startswith("/api/"):
        response = JsonResponse({
            "detail": _("Too many failed sign-in attempts. Try again after %(time)s.")
            % {"time": formats.date_format(local, "DATETIME_FORMAT")},
            "retry_at": local.isoformat()}, status=429)
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE,
                          {"retry_at": local, "username": username}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def account_unlock(*, actor, username: str) -> int:
    """The security administrator ends a lockout early. Audited, with the number of failures
    cleared."""
    if not has_role(actor, Role.SECURITY_ADMIN):
        audit_record(actor=actor, action="auth.unlock", object_type="auth.user",
                     object_id=username[:64], changes={"username": username},
                     outcome=AuditOutcome.DENIED, summary=_("not the security administrator"))
        raise ApplicationError(_("Only the security administrator may unlock accounts."),
                               code="forbidden", status=403)
    cleared = reset(username=username)
    audit_record(actor=actor, action="auth.unlock", object_type="auth.user",
                 object_id=username[:64], changes={"username": username, "attempts": cleared},
                 summary=_("sign-in lockout ended by the security administrator"))
    return cleared
