"""System checks of the project's own settings (``manage.py check``)."""
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from core.audit_chain import MINIMUM_RETENTION_DAYS
from core.roles import duty_violations


@register()
def audit_trail_settings(app_configs, **kwargs) -> list[Error]:
    errors = []
    if settings.AUDIT_RETENTION_DAYS < MINIMUM_RETENTION_DAYS:
        errors.append(Error(
            f"AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}; the audit trail is kept "
            f"at least {MINIMUM_RETENTION_DAYS} days (Cybersecurity Law art. 21).",
            id="zhuao.E001"))
    if settings.AUDIT_CHAIN_HASH not in ("sm3", "sha256"):
        errors.append(Error(f"AUDIT_CHAIN_HASH must be sm3 or sha256, not "
                            f"{settings.AUDIT_CHAIN_HASH!r}.", id="zhuao.E002"))
    return errors


@register(Tags.database)
def admin_duties(app_configs, databases=None, **kwargs) -> list[Error]:
    """``manage.py check --database default``: no user holds two separated administrator
    duties, or a duty and an operational role (core.roles.duty_conflicts)."""
    if not databases:
        return []


    try:
        violations = duty_violations()
    except DatabaseError:  # not migrated yet
        return []
    return [Error(f"User {username} holds roles that must be separated: "
                  + "; ".join(f"{first} + {second}" for first, second in pairs),
                  hint="Remove one of the roles (security administrator, or the console).",
                  id="zhuao.E003") for username, pairs in violations]
