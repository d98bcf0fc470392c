"""Audit of authentication: login, logout and failed login (Django's auth signals are the only
place these events are raised; this is audit, not domain logic)."""
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .models import AuditOutcome


@receiver(user_logged_in, dispatch_uid="zhuao_audit_login")
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, summary="")


@receiver(user_logged_out, dispatch_uid="zhuao_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed, dispatch_uid="zhuao_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        action="auth.login_failed",
        username=str(credentials.get("username", ""))[:150],
        outcome=AuditOutcome.FAILED,
    )


from axes.signals import user_locked_out  # noqa: E402


@receiver(user_locked_out, dispatch_uid="zhuao_audit_lockout")
def _audit_lockout(sender, request, username, ip_address, **kwargs):
    audit_record(actor=None, action="auth.lockout", username=str(username or "")[:150],
                 outcome=AuditOutcome.DENIED, summary="account locked after repeated failures")
