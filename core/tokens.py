"""API tokens: issued after a password check, stored as a hash, expiring, listed and revoked by
their owner or an administrator. Every issue and revocation is audited without the token."""
from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ApplicationError
from core.models import ApiToken, AuditOutcome
from core.roles import Role, has_role

LAST_USE_PRECISION = datetime.timedelta(minutes=1)  # at most one write a minute per token


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain key is returned once and never stored."""
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, prefix=key[:8], key_hash=token_hash(key), created_at=now,
        expires_at=now + datetime.timedelta(days=settings.API_TOKEN_DAYS))
    audit_record(actor=user, action="auth.token_issue", obj=user,
                 changes={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()})
    return token, key


def token_for_key(key: str) -> ApiToken | None:
    """The live token behind ``key`` with its user's staff profile and agency (one query), or
    None; an expired token is None too. Its last use is recorded at most once a minute."""
    token = (ApiToken.objects.select_related("user__staff__agency")
             .filter(key_hash=token_hash(key)).first())
    now = timezone.now()
    if token is None or token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """Owners see their own tokens; the security administrator sees everyone's."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens if has_role(user, Role.SECURITY_ADMIN) else tokens.filter(user=user)


def token_revoke(*, actor, token_id: int) -> ApiToken:
    """Revoke one token the actor may see (their own, or any for an administrator); another's
    answers like a missing one, and the refusal is audited."""
    in_range = isinstance(token_id, int) and 0 < token_id < 2 ** 63
    token = tokens_visible_to(actor).filter(pk=token_id).first() if in_range else None
    if token is None:
        audit_record(actor=actor, action="auth.token_revoke", object_type="zhuao.apitoken",
                     object_id=str(token_id)[:64], outcome=AuditOutcome.DENIED,
                     summary=_("no such token"))
        raise ApplicationError(_("No such token."), code="not_found", status=404)
    token.delete()
    audit_record(actor=actor, action="auth.token_revoke", object_type="zhuao.apitoken",
                 object_id=str(token_id), changes={"prefix": token.prefix,
                                                   "owner": token.user.get_username()})
    return token


def tokens_revoke_all(*, user, reason: str) -> int:
    """Every token of ``user`` (a new password, a deactivation)."""
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=None, action="auth.token_revoke", object_type="auth.user",
                     object_id=str(user.pk), username=user.get_username(), summary=reason)
    return deleted
