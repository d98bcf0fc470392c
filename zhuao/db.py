"""Inserting many rows at once. On PostgreSQL, ``COPY … FROM STDIN`` (psycopg's copy) instead of
multi-row INSERTs: for the 20,000-row roster import it is several times faster. Elsewhere (the
embedded SQLite of development), ``bulk_create``. Either way no signals are sent, and the
primary keys are set on the objects only when asked (``set_pks``: on PostgreSQL they are drawn
from the table's sequence first, as an INSERT would)."""
from __future__ import annotations

import datetime
from operator import attrgetter

from django.db import connections, models, router

#: Fields whose value goes to psycopg as it is: Django's preparation would return it unchanged
#: (text, numbers, flags, foreign keys' ids), and it costs more than the COPY itself.
_AS_IS = {models.CharField, models.TextField, models.BooleanField, models.IntegerField,
          models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
          models.PositiveSmallIntegerField, models.ForeignKey}


def bulk_insert(model, objects: list, *, batch_size: int = 2000, set_pks: bool = False) -> None:
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(objects, batch_size=batch_size)
        return
    pk = model._meta.pk
    table = connection.ops.quote_name(model._meta.db_table)
    if set_pks:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [model._meta.db_table, pk.column,
                                                           len(objects)])
            for obj, (value,) in zip(objects, cursor.fetchall()):
                obj.pk = value
    fields = [field for field in model._meta.concrete_fields
              if set_pks or not (field.primary_key and getattr(field, "db_returning", False))]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [_value_of(field, connection) for field in fields]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([value(obj) for value in values])


def _value_of(field, connection):
    """``obj -> the column's value``: Django's preparation, skipped where it would return the
    value unchanged (aware datetimes with USE_TZ, dates, the types of ``_AS_IS``)."""
    if type(field) in _AS_IS and not field.primary_key:
        return attrgetter(field.attname)
    as_is = {models.DateTimeField: datetime.datetime, models.DateField: datetime.date}.get(
        type(field))

    def value(obj):
        prepared = field.pre_save(obj, True)  # auto_now and auto_now_add are set here
        if prepared is None or as_is is not None and type(prepared) is as_is and (
                as_is is datetime.date or prepared.tzinfo is not None):
            return prepared
        return field.get_db_prep_save(prepared, connection)

    return value
