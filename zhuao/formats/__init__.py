"""Dates as people read them, in the active language: 2026年12月5日 / Dec. 5, 2026.

The per-language formats live in ``zhuao/formats/<locale>/formats.py`` (``FORMAT_MODULE_PATH``);
templates use ``{{ value|date }}`` and ``|date:"DATETIME_FORMAT"``. These functions are the
same for Python: notification texts, error messages, choice labels, PDFs. Files that machines
read (bank files, CSV, audit rows) keep ISO 8601."""
from __future__ import annotations

import datetime

from django.utils import formats, timezone


def date_display(value: datetime.date | None) -> str:
    """A date in the active language's long form; a datetime is shown as its local date."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT")


def datetime_display(value: datetime.datetime | None) -> str:
    """A moment in local time in the active language: 2026年12月5日 14:30."""
    if value is None:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")
