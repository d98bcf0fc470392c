"""Ranges every date and every free text of the project keeps, in one place.

Models use them through ``core.fields``; forms, serializers and query filters that are not
built from a model call them directly (``date_in_range`` for ``?from=``/``?until=``)."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Longest free text (notes, reasons, minutes): about twenty A4 pages. A 10 MB "note" is refused
# rather than carried into every page, export and report that shows it.
TEXT_MAX_LENGTH = 20000
BIRTH_DATE_MIN = datetime.date(1900, 1, 1)


def operational_date_range() -> tuple[datetime.date, datetime.date]:
    """The window in which a date of the pilot's work may fall (settings ``ZHUAO_DATE_MIN``,
    ``ZHUAO_DATE_MAX``)."""
    return settings.ZHUAO_DATE_MIN, settings.ZHUAO_DATE_MAX


def _out_of_range(earliest: datetime.date, latest: datetime.date) -> ValidationError:
    return ValidationError(
        _("Enter a date between %(earliest)s and %(latest)s.")
        % {"earliest": formats.date_format(earliest, "Y-m-d"),
           "latest": formats.date_format(latest, "Y-m-d")},
        code="date_out_of_range")


def check_date_range(value: datetime.date, earliest: datetime.date,
                     latest: datetime.date) -> None:
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not earliest <= value <= latest:
        raise _out_of_range(earliest, latest)


def validate_operational_date(value: datetime.date) -> None:
    check_date_range(value, *operational_date_range())


def validate_operational_datetime(value: datetime.datetime) -> None:
    check_date_range(value, *operational_date_range())


def validate_birth_date(value: datetime.date) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."),
                              code="birth_date_future")
    earliest = getattr(settings, "ZHUAO_BIRTH_DATE_MIN", BIRTH_DATE_MIN)
    check_date_range(value, earliest, timezone.localdate())


def date_in_range(value: datetime.date | None) -> datetime.date | None:
    """For query filters: the date itself when it lies in the operational window, else
    ``ValidationError`` (views answer 400 or show the form error)."""
    validate_operational_date(value)
    return value
