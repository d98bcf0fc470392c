"""The API's base serializers: the values of a JSON body must have the types the schema gives
them. DRF reads ``{"q": 123}`` as the text "123" and ``{"id": "5"}`` as the number 5, so a
request the schema calls invalid was accepted; here such a value is refused (400, a message in
the user's language) before DRF reads it. Form and multipart bodies carry only text, so they
are read as DRF reads them.

Every serializer of the API derives from ``Serializer`` or ``ModelSerializer`` here, which also
give the faster output of ``web.api.representation``."""
from __future__ import annotations

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import relations, serializers
from rest_framework.exceptions import ValidationError

from core.reveal import RevealReason
from web.api.representation import DateTimeField, FastRepresentation, FieldsBuiltOnce

TEXT_FIELDS = (serializers.CharField, serializers.DateField, serializers.DateTimeField,
               serializers.TimeField, serializers.DecimalField, serializers.DurationField,
               serializers.UUIDField)


def json_type_error(field, value) -> str | None:
    """The message for ``value`` read from JSON for ``field``, if its type is wrong."""
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Give true or false.")
    if isinstance(field, (serializers.IntegerField, relations.PrimaryKeyRelatedField)):
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        return _("Give a whole number.")
    if isinstance(field, serializers.FloatField):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None
        return _("Give a number.")
    if isinstance(field, serializers.DecimalField) and not field.coerce_to_string:
        return None
    if isinstance(field, serializers.ChoiceField) and not isinstance(
            field, serializers.MultipleChoiceField):
        if not all(isinstance(key, str) for key in field.choices):
            return None
        return None if isinstance(value, str) else _("Give a text.")
    if isinstance(field, TEXT_FIELDS):
        return None if isinstance(value, str) else _("Give a text.")
    if isinstance(field, (serializers.ListField, serializers.ListSerializer,
                          serializers.MultipleChoiceField)):
        if not isinstance(value, list):
            return _("Give a list.")
        if isinstance(field, serializers.ListField):
            return next(filter(None, (json_type_error(field.child, item) for item in value
                                      if item is not None)), None)
    return None


def length_error(field, value) -> str | None:
    """DRF trims a text before it checks its length, so "K" and 80 spaces passed a maximum of
    80 that the schema (``maxLength``) gives for the text as sent."""
    if isinstance(field, serializers.CharField) and field.max_length is not None \
            and isinstance(value, str) and len(value) > field.max_length:
        return field.error_messages["max_length"].format(max_length=field.max_length)
    return None


class QueryBooleanField(serializers.BooleanField):
    """A yes/no in a query string, written as the schema's booleans are: ``true`` or
    ``false`` (DRF's own also reads ``1``, ``on``, ``yes``...)."""

    TRUE_VALUES = {"true", True}
    FALSE_VALUES = {"false", False}


class StrictJSONTypesMixin:
    def to_internal_value(self, data):
        if isinstance(data, dict):
            json = not isinstance(data, QueryDict)
            errors = {}
            for field in self._writable_fields:
                value = data.get(field.field_name)
                if value is None:
                    continue  # left out or null: DRF's own rules (required, allow_null)
                message = (json and json_type_error(field, value)) or length_error(field, value)
                if not json and not message and len(data.getlist(field.field_name)) > 1 \
                        and not isinstance(field, (serializers.ListField,
                                                   serializers.MultipleChoiceField,
                                                   serializers.ManyRelatedField)):
                    # a form sending one field twice: DRF would read the last value alone
                    message = _("Give this field once.")
                if message:
                    errors[field.field_name] = [message]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(StrictJSONTypesMixin, FastRepresentation, serializers.Serializer):
    pass


class ModelSerializer(StrictJSONTypesMixin, FastRepresentation, FieldsBuiltOnce,
                      serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateTimeField: DateTimeField}

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        """DRF drops ``allow_blank`` from a read-only field, so the schema of a choice field
        left blank on the record (a Macau-owned record has no Zhuhai district) did not admit the
        "" the API answers; it is kept."""
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


class RevealSerializer(Serializer):
    """The reason for revealing a full number (core.reveal): a reason code, and words when
    the reason is "other"."""

    reason = serializers.ChoiceField(choices=RevealReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RevealedNumberSerializer(Serializer):
    number = serializers.CharField()
