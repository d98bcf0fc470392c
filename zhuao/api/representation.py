"""The API's output with less work per field, installed for every serializer when the project
starts (``install()``): the same dictionaries as Django REST framework's own.

DRF reads each field of each record through ``Field.get_attribute`` (a loop over the source
path, an abstract-base-class check for mappings, a check for callables) after walking the
serializer's fields through a generator, again for every record; and each date-time field
asks asgiref's context-local storage for the current time zone once per value. A list of 50
records with nested KPIs, milestones or recipients makes tens of thousands of such calls.

Here a serializer lists its readable fields once, and a field whose value is a plain
attribute of the record (one source name, read with DRF's own ``Field.get_attribute``) is read
with ``getattr``; a value that is callable, or an attribute that fails, goes through DRF's own
path, which then decides exactly as it always does. Every other field (related fields, method
fields, dotted sources, ``source="*"``) is DRF's untouched. ``tests/zhuao/test_api_representation.py``
compares the JSON of every endpoint both ways."""
from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from rest_framework import fields, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

DRF_TO_REPRESENTATION = serializers.Serializer.to_representation
_FIELD_GET_ATTRIBUTE = fields.Field.get_attribute
_PLAN = "_zhuao_readable_fields"


def _readable_fields(serializer) -> list[tuple]:
    """(field, name, plain attribute or None, to_representation) for each readable field."""
    plan = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        plain = (type(field).get_attribute is _FIELD_GET_ATTRIBUTE
                 and len(field.source_attrs) == 1)
        plan.append((field, field.field_name, field.source_attrs[0] if plain else None,
                     field.to_representation))
    return plan


def to_representation(self, instance):
    """``Serializer.to_representation`` with plain attributes read directly."""
    try:
        plan = self.__dict__[_PLAN]
    except KeyError:
        plan = self.__dict__[_PLAN] = _readable_fields(self)
    by_attribute = not isinstance(instance, Mapping)
    ret = {}
    for field, name, attribute_name, represent in plan:
        attribute = None
        direct = attribute_name is not None and by_attribute
        if direct:
            try:
                attribute = getattr(instance, attribute_name)
            except Exception:  # noqa: BLE001 - DRF's own path below handles (or raises) it
                direct = False
            else:
                direct = not callable(attribute)
        if not direct:
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        ret[name] = None if check_for_none is None else represent(attribute)
    return ret


class DateTimeField(serializers.DateTimeField):
    """DRF's, asking for the current time zone once per field instead of once per value (a
    serializer's fields live for one request, in one time zone)."""

    def default_timezone(self):
        try:
            return self.__dict__["_current_timezone"]
        except KeyError:
            zone = self.__dict__["_current_timezone"] = super().default_timezone()
            return zone


def install() -> None:
    serializers.Serializer.to_representation = to_representation
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField


def uninstall() -> None:
    """DRF's own behaviour back (for the tests that compare both)."""
    serializers.Serializer.to_representation = DRF_TO_REPRESENTATION
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = (
        serializers.DateTimeField)
