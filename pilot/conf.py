"""Pilot settings: from Django settings when the lead adds them, else from the environment."""
import os

from django.conf import settings


def _value(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def dashboard_cache_seconds() -> int:
    """How long the dashboard's figures are cached (PILOT_DASHBOARD_CACHE_SECONDS, 60)."""
    return _value("PILOT_DASHBOARD_CACHE_SECONDS", 60)
