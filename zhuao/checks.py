"""System checks of the project's own settings (``manage.py check``)."""
from django.conf import settings
from django.core.checks import Error, register


@register()
def audit_trail_settings(app_configs, **kwargs) -> list[Error]:
    from .audit_chain import MINIMUM_RETENTION_DAYS

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
