"""The project's model fields for free text and dates: each carries its own limit, so the model
(``full_clean``), DRF's model serializers (which copy ``max_length`` and the validators) and
the schema (``maxLength``) all refuse what is out of bounds.

* ``BoundedTextField``: Django's ``TextField`` passes ``max_length`` to its form field only and
  never validates it; this one validates it as a ``CharField`` does. On PostgreSQL the column
  stays ``text``, so adding the limit is a change of the migration state only.
* ``BoundedDateField`` / ``BoundedDateTimeField``: an operational date must fall within
  ``ZHUAO_DATE_MIN`` … ``ZHUAO_DATE_MAX`` (settings; a window around the pilot). Year 1 or
  9999 is a typing mistake, and date arithmetic on it overflows.
* ``BirthDateField``: from ``ZHUAO_BIRTH_DATE_MIN`` (1900-01-01) up to today.

The validators read the settings when they run, so the window can change without a migration.
Forms and serializers that are not built from a model use the same validators and
``TEXT_MAX_LENGTH`` (``zhuao.validators``)."""
from django.core import validators as django_validators
from django.db import models

from zhuao.validators import (
    TEXT_MAX_LENGTH, validate_birth_date, validate_operational_date,
    validate_operational_datetime,
)


class BoundedTextField(models.TextField):
    def __init__(self, *args, max_length: int = TEXT_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        # As CharField does: on the field's validators, not its arguments (no migration noise).
        self.validators.append(django_validators.MaxLengthValidator(self.max_length))


class BoundedDateField(models.DateField):
    range_validator = staticmethod(validate_operational_date)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(self.range_validator)


class BirthDateField(BoundedDateField):
    range_validator = staticmethod(validate_birth_date)


class BoundedDateTimeField(models.DateTimeField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(validate_operational_datetime)
