"""Settings of the information-sharing workstream, with defaults.

Each value is read when it is needed (not at import), from Django settings first and then from
the environment, so that a test can shorten times for itself and for the Celery worker it
starts (``celery_worker_factory(extra_env={...})``).

- ``ZHUAO_URGENT_ACK_MINUTES`` (120): time a recipient agency has to acknowledge an urgent
  notification before it escalates one level (primary → backup → leadership). Fractions allowed.
- ``ZHUAO_URGENT_ESCALATION_CHECK_SECONDS`` (60): how often beat sweeps for overdue
  acknowledgements (a safety net: each delivery also schedules its own check).
- ``ZHUAO_VERIFICATION_DUE_WORKING_DAYS`` (15): service level of a verification request.
- ``ZHUAO_AUTHORIZATION_EXPIRY_WARNING_DAYS`` (30): expiring authorizations on the home page.
- ``ZHUAO_BULLETIN_SECTION_WORKING_DAYS`` (5): how long each side has to write its section of
  the regular bulletin, counted on its own calendar from the day the bulletin opens.
- ``ZHUAO_BULLETIN_ACK_WORKING_DAYS`` (3): how long a recipient agency has to acknowledge a
  published bulletin, on its own calendar.
"""
from __future__ import annotations

import os

from django.conf import settings

#: The agency that answers requests addressed to each side.
RECEIVING_AGENCY_CODES = {"macau": "mo-ias", "hengqin": "hq-livelihood",
                          "zhuhai": "zh-civil-affairs"}
#: The agency whose primary liaison is told when an agency without leadership users escalates.
CITY_BUREAU_CODE = "zh-civil-affairs"


def _value(name: str, default: float) -> float:
    configured = getattr(settings, name, None)
    if configured is None:
        configured = os.environ.get(name)
    if configured in (None, ""):
        return default
    return float(configured)


def urgent_ack_seconds() -> float:
    return _value("ZHUAO_URGENT_ACK_MINUTES", 120) * 60


def urgent_escalation_check_seconds() -> int:
    return max(1, int(_value("ZHUAO_URGENT_ESCALATION_CHECK_SECONDS", 60)))


def verification_due_working_days() -> int:
    return int(_value("ZHUAO_VERIFICATION_DUE_WORKING_DAYS", 15))


def authorization_expiry_warning_days() -> int:
    return int(_value("ZHUAO_AUTHORIZATION_EXPIRY_WARNING_DAYS", 30))


def bulletin_section_working_days() -> int:
    return int(_value("ZHUAO_BULLETIN_SECTION_WORKING_DAYS", 5))


def bulletin_ack_working_days() -> int:
    return int(_value("ZHUAO_BULLETIN_ACK_WORKING_DAYS", 3))
