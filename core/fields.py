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
* ``EncryptedTextField`` / ``BlindIndexField``: a number encrypted at rest and the keyed hash
  its lookups compare (``core.crypto``).

The validators read the settings when they run, so the window can change without a migration.
Forms and serializers that are not built from a model use the same validators and
``TEXT_MAX_LENGTH`` (``core.validators``)."""
import json

from django.core import validators as django_validators
from django.core.serializers.json import DjangoJSONEncoder
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from core import crypto

from core.validators import (
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


class EncryptedOnlyEmptyExact(Exact):
    """An encrypted column equals only "" (no value): every other comparison would encrypt the
    value anew, with a fresh nonce, and silently find nothing. Compare the blind index."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target} is encrypted: compare its blind index instead.")
        return super().get_prep_lookup()


class EncryptedTextField(BoundedTextField):
    """Text encrypted at rest (``core.crypto``): the model and the code read and write the
    plain value; the column holds only the sealed one. "" stays "" (no value). Lookups other
    than ``isnull`` and equality with "" are refused; pair it with a ``BlindIndexField``."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.column_label = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value, column=self.column_label)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value, column=self.column_label)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedOnlyEmptyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None


class BlindIndexField(models.CharField):
    """The keyed hash of another field's plain value (``core.crypto.blind_index``), set
    whenever the row is saved or bulk-inserted; what equality lookups compare."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.source_label = f"{cls._meta.label_lower}.{self.source}"

    def index_of(self, value: str) -> str:
        return crypto.blind_index(value or "", column=self.source_label)

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("editable", False), ("blank", True),
                             ("default", "")):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs


class EncryptedJSONField(EncryptedTextField):
    """A JSON value encrypted at rest as one sealed text (a roster's parsed rows, which hold
    identity numbers): read and written whole, never queried inside."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 50_000_000)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        plain = super().from_db_value(value, expression, connection)
        return json.loads(plain) if plain else plain

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return super().get_prep_value(json.dumps(value, ensure_ascii=False,
                                                 cls=DjangoJSONEncoder))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)
