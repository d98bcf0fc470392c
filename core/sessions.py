"""Where a user is signed in, and ending it (GB/T 22239-2019 level 3, 访问控制 and 身份鉴别:
session limits; OWASP ASVS V7). Sessions themselves live in Django's session store; one
``UserSession`` row per signed-in session records when and from where it started and when it
was last used (written at sign-in and at most once a minute after), so that the user's
"signed-in sessions" page lists them and "sign out everywhere" ends them."""
from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ApplicationError
from core.models import AuditOutcome, UserSession
from core.roles import Role, has_role
from web import request_context


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def session_started(request, user) -> None:
    key = request.session.session_key
    if not key:
        return
    UserSession.objects.update_or_create(session_key=key, defaults={
        "user": user, "ip_address": request_context.client_ip(request),
        "user_agent": request.headers.get("User-Agent", "")[:200],
        "created_at": timezone.now(), "last_seen_at": timezone.now()})


def session_seen(request) -> None:
    key = request.session.session_key
    if key and not UserSession.objects.filter(session_key=key).update(
            last_seen_at=timezone.now()):
        session_started(request, request.user)


def session_ended(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def active_sessions(user) -> QuerySet[UserSession]:
    """The user's sessions still within both limits (absolute age and inactivity)."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user, created_at__gt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
        last_seen_at__gt=now - timedelta(seconds=settings.SESSION_INACTIVITY_SECONDS))


def sessions_end(*, actor, keep_session_key: str | None = None) -> int:
    """End every session of ``actor`` but ``keep_session_key`` (None: all of them)."""
    rows = UserSession.objects.filter(user=actor)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    rows.delete()
    audit_record(actor=actor, action="auth.sessions_end", obj=actor,
                 changes={"sessions": len(keys), "kept_current": bool(keep_session_key)})
    return len(keys)


def user_sessions_end(*, actor, username: str) -> int:
    """The security administrator signs another user out everywhere (a lost laptop, a leaver).
    Refused to anyone else, and to oneself (one's own page does that); both audited."""
    user = get_user_model().objects.filter(username=username).first()
    if not has_role(actor, Role.SECURITY_ADMIN) or user is None or user.pk == actor.pk:
        audit_record(actor=actor, action="auth.sessions_end", object_type="auth.user",
                     object_id=str(user.pk if user else ""), changes={"username": username[:150]},
                     outcome=AuditOutcome.DENIED, summary=_("not the security administrator")
                     if not has_role(actor, Role.SECURITY_ADMIN) else _("no such other user"))
        raise ApplicationError(_("Only the security administrator may sign another user out."),
                               code="forbidden", status=403)
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    UserSession.objects.filter(user=user).delete()
    audit_record(actor=actor, action="auth.sessions_end", obj=user,
                 changes={"username": user.get_username(), "sessions": len(keys)},
                 summary=_("signed out everywhere by the security administrator"))
    return len(keys)
