"""Settings of the remittance app: from Django settings if the lead adds them there, else from
the environment, else the defaults below."""
import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return int(value)


def import_max_bytes() -> int:
    """Largest roster or result file accepted (bytes)."""
    return _int("REMITTANCE_IMPORT_MAX_BYTES", getattr(settings, "UPLOAD_MAX_BYTES",
                                                       10 * 1024 * 1024))


def import_max_rows() -> int:
    """Most data rows accepted in one roster file."""
    return _int("REMITTANCE_IMPORT_MAX_ROWS", 50_000)
