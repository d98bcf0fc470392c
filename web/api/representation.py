"""The API's output with less work per field: the same dictionaries as Django REST framework's
own, through the project's base serializers (``web.api.serializers.Serializer`` and
``ModelSerializer``, which every serializer of the API derives from); DRF itself is untouched.

DRF reads each field of each record through ``Field.get_attribute`` (a loop over the source
path, an abstract-base-class check for mappings, a check for callables) after walking the
serializer's fields through a generator, again for every record; and each date-time field
asks asgiref's context-local storage for the current time zone once per value. A list of 50
records with nested KPIs, milestones or recipients makes tens of thousands of such calls.

Here a serializer lists its readable fields once, and a field whose value is a plain
attribute of the record (one source name, read with DRF's own ``Field.get_attribute``) is read
with ``getattr``, or by key from a dictionary (the rows of ``core.db.attach_rows``); a value
that is callable, or an attribute or key that fails, goes through DRF's own path, which then
decides exactly as it always does. A foreign key shown as its id (DRF's
``PrimaryKeyRelatedField``, one source name that is a concrete foreign key of the record's
model) is read from its column, as DRF's ``serializable_value`` does. Every other field
(other related fields, method fields, dotted sources, ``source="*"``) is DRF's untouched.
``tests/zhuao/test_api_representation.py`` compares the JSON of every endpoint both ways
(``FastRepresentation.enabled`` off gives DRF's own path)."""
from __future__ import annotations

import copy
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

_FIELD_GET_ATTRIBUTE = fields.Field.get_attribute
_PLAN = "_zhuao_readable_fields"
GENERAL, PLAIN, FOREIGN_KEY_ID = range(3)


def _readable_fields(serializer) -> list[tuple]:
    """(field, name, kind, source name, to_representation, column names by model) for each
    readable field."""
    plan = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        kind = GENERAL
        if len(field.source_attrs) == 1:
            if type(field).get_attribute is _FIELD_GET_ATTRIBUTE:
                kind = PLAIN
            elif type(field) is relations.PrimaryKeyRelatedField and field.pk_field is None:
                kind = FOREIGN_KEY_ID
        plan.append((field, field.field_name, kind,
                     field.source_attrs[0] if kind != GENERAL else None,
                     field.to_representation, {}))
    return plan


def _column(model, name: str, columns: dict) -> str | None:
    """The column holding a foreign key's id (``person_id`` for ``person``), or None when the
    name is not a model's concrete foreign key (a property, a reverse relation…)."""
    try:
        return columns[model]
    except KeyError:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        column = columns[model] = (
            field.attname if field is not None and field.is_relation and field.concrete
            and not field.many_to_many else None)
        return column


class FastRepresentation:
    """``Serializer.to_representation`` with plain attributes (or keys) and foreign-key ids
    read directly."""

    #: Off: DRF's own ``to_representation`` (the tests compare both).
    enabled = True

    def to_representation(self, instance):
        if not FastRepresentation.enabled:
            return super().to_representation(instance)
        try:
            plan = self.__dict__[_PLAN]
        except KeyError:
            plan = self.__dict__[_PLAN] = _readable_fields(self)
        by_key = type(instance) is dict or isinstance(instance, Mapping)
        model = type(instance) if isinstance(instance, models.Model) else None
        ret = {}
        for field, name, kind, source, represent, columns in plan:
            if kind == FOREIGN_KEY_ID and model is not None:
                column = _column(model, source, columns)
                if column is not None:
                    # DRF: PKOnlyObject(pk=the column's value), shown as its pk
                    ret[name] = getattr(instance, column)
                    continue
            attribute = None
            direct = kind == PLAIN
            if direct:
                try:
                    attribute = instance[source] if by_key else getattr(instance, source)
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


class FieldsBuiltOnce:
    """``ModelSerializer.get_fields``, built once per serializer class and copied for each
    serializer: DRF reads the model's fields, their validators and choices anew for every
    serializer (every request, every nested list), though the result depends on the class
    alone (its ``Meta`` and declared fields). The copy is DRF's own way of giving each
    serializer its fields (the declared ones are deep-copied the same way)."""

    _built_fields: dict[type, dict] = {}

    def get_fields(self) -> dict:
        if not FastRepresentation.enabled:
            return super().get_fields()
        cls = type(self)
        try:
            built = FieldsBuiltOnce._built_fields[cls]
        except KeyError:
            built = FieldsBuiltOnce._built_fields[cls] = super().get_fields()
        return copy.deepcopy(built)


class DateTimeField(serializers.DateTimeField):
    """DRF's, asking for the current time zone once per field instead of once per value (a
    serializer's fields live for one request, in one time zone)."""

    def default_timezone(self):
        try:
            return self.__dict__["_current_timezone"]
        except KeyError:
            zone = self.__dict__["_current_timezone"] = super().default_timezone()
            return zone
