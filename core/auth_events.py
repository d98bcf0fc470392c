"""Audit of authentication: login, logout and failed login (Django's auth signals are the only
place these events are raised; this is audit, not domain logic)."""
import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext

from core.audit import audit_record
from core.models import AuditOutcome
from core.sessions import session_ended, session_started
from core.tokens import tokens_revoke_all


@receiver(user_logged_in, dispatch_uid="zhuao_audit_login")
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, summary="")
    if request is not None and hasattr(request, "session"):
        session_started(request, user)


@receiver(user_logged_out, dispatch_uid="zhuao_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)
    if request is not None and hasattr(request, "session"):
        session_ended(request.session.session_key)


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
                 outcome=AuditOutcome.DENIED, summary=gettext("account locked after repeated failures"))


from django.conf import settings as _settings  # noqa: E402
from django.db.models.signals import pre_save  # noqa: E402


@receiver(pre_save, sender=_settings.AUTH_USER_MODEL, dispatch_uid="zhuao_revoke_tokens")
def _revoke_tokens_on_credential_change(sender, instance, raw=False, update_fields=None,
                                        **kwargs):
    """A new password or a deactivation ends every API token, as it ends every session
    (sessions end through the password hash; DRF tokens would otherwise live on)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["password"] != instance.password or (old["is_active"] and not instance.is_active):

        tokens_revoke_all(user=instance,
                          reason=gettext("credentials changed or account deactivated"))


@receiver(user_logged_in, dispatch_uid="zhuao_session_started")
def _mark_session_start(sender, request, user, **kwargs):
    """The absolute session limit counts from the login (web.middleware)."""
    if request is not None and hasattr(request, "session"):
        request.session["zhuao_session_started"] = int(time.time())
