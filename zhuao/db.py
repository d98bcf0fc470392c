"""Inserting many rows at once. On PostgreSQL, ``COPY … FROM STDIN`` (psycopg's copy) instead of
multi-row INSERTs: for the 20,000-row roster import it is several times faster. Elsewhere (the
embedded SQLite of development), ``bulk_create``. Either way no signals are sent and, unlike
``bulk_create`` on PostgreSQL, the primary keys are not set on the objects."""
from __future__ import annotations

from django.db import connections, router


def bulk_insert(model, objects: list, *, batch_size: int = 2000) -> None:
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(objects, batch_size=batch_size)
        return
    fields = [field for field in model._meta.concrete_fields
              if not (field.primary_key and getattr(field, "db_returning", False))]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection)
                                for field in fields])
