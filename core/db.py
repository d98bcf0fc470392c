"""Database helpers.

``count_each`` counts several querysets in one statement.

``load_related`` fills a record's foreign keys to one model (its users, say) with one query.

``attach_rows`` gives each record of a page its related rows as plain dictionaries.

``bulk_insert`` inserts many rows at once. On PostgreSQL, ``COPY … FROM STDIN`` (psycopg's
copy) instead of multi-row INSERTs: for the 20,000-row roster import it is several times
faster. Elsewhere (the embedded SQLite of development), ``bulk_create``. Either way no signals
are sent, and the primary keys are set on the objects only when asked (``set_pks``: on
PostgreSQL they are drawn from the table's sequence first, as an INSERT would).

``insert_rows`` does the same from tuples of values, for a caller that would build model
instances only to have them taken apart again (a 200,000-payment batch)."""
from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import QuerySet

from core.models import TaskReceipt


def count_each(querysets: list[QuerySet]) -> list[int]:
    """How many rows each queryset selects, like ``[q.count() for q in querysets]`` but in one
    statement: one round trip instead of one per count. They must share a database."""
    aliases = {queryset.db for queryset in querysets}
    if len(aliases) > 1:
        raise ValueError("count_each counts on one database at a time")
    counts = [0] * len(querysets)
    selects, params = [], []
    for index, queryset in enumerate(querysets):
        query = queryset.order_by().values("pk").query
        try:
            sql, query_params = query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # .none(), or a filter nothing can meet
            continue
        selects.append((index, f"(SELECT COUNT(*) FROM ({sql}) counted_{index})"))
        params.extend(query_params)
    if selects:
        with connections[aliases.pop()].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(select for _, select in selects), params)
            row = cursor.fetchone()
        for (index, _), value in zip(selects, row):
            counts[index] = value
    return counts


def attach_rows(instances: list[models.Model], queryset: QuerySet, *, foreign_key: str,
                to_attr: str, fields: list[str]) -> None:
    """Each of ``instances`` gets ``to_attr``: the list of its rows in ``queryset`` (those whose
    ``foreign_key`` points at it), each a dictionary of ``fields``, in the queryset's order;
    one query for all. What ``prefetch_related(Prefetch(..., to_attr=...))`` gives, without
    building a model instance per row nor Django's prefetch machinery: for a page of 50
    contracts with 300 KPIs and milestones, shown as they are stored, those cost more than
    the query and the JSON together."""
    by_owner: dict = {}
    for instance in instances:
        setattr(instance, to_attr, by_owner.setdefault(instance.pk, []))
    if not by_owner:
        return
    rows = queryset.filter(**{f"{foreign_key}__in": list(by_owner)}).values(foreign_key, *fields)
    for row in rows:
        by_owner[row.pop(foreign_key)].append(row)


def load_related(instance: models.Model, *fields: str) -> None:
    """Fill ``instance``'s foreign keys ``fields``, all to the same model, with one query, as
    ``select_related`` would. Joining them instead can cost PostgreSQL more to plan than the
    whole query costs to run, as each join multiplies the join orders it weighs (a relief
    application with its person, case, agency, policy, fund and three users is such a case:
    BENCHMARKS.md, "Fifth round")."""
    model_fields = [instance._meta.get_field(name) for name in fields]
    related, = {field.related_model for field in model_fields}
    ids = {getattr(instance, field.attname) for field in model_fields} - {None}
    found = related._base_manager.using(instance._state.db).in_bulk(ids) if ids else {}
    for field in model_fields:
        value = getattr(instance, field.attname)
        if value is not None:
            setattr(instance, field.name, found[value])


#: For these fields, values of exactly these types go to psycopg as they are: Django's
#: preparation would return them unchanged, and it costs more than the COPY itself. A subclass
#: counts as its parent unless it prepares values itself (``_as_is``).
_AS_IS = {models.CharField: (str,), models.TextField: (str,), models.BooleanField: (bool,),
          models.IntegerField: (int,), models.BigIntegerField: (int,),
          models.SmallIntegerField: (int,), models.PositiveIntegerField: (int,),
          models.PositiveSmallIntegerField: (int,), models.ForeignKey: (int, str),
          models.DateField: (datetime.date,), models.DateTimeField: (datetime.datetime,)}
_PREPARES = ("pre_save", "get_prep_value", "get_db_prep_value", "get_db_prep_save")


def _as_is(field) -> tuple[type, ...]:
    """The value types ``field`` takes unprepared: those of the nearest class of ``_AS_IS`` it
    derives from, if no class in between prepares values (a ``BoundedDateField`` is a
    ``DateField`` here; an ``EncryptedTextField`` seals its values, so it is not a
    ``TextField``)."""
    if field.primary_key:
        return ()
    for cls in type(field).__mro__:
        if cls in _AS_IS:
            return _AS_IS[cls]
        if any(name in vars(cls) for name in _PREPARES):
            return ()
    return ()


def bulk_insert(model, objects: list, *, batch_size: int = 2000, set_pks: bool = False) -> None:
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(objects, batch_size=batch_size)
        return
    pk = model._meta.pk
    if set_pks:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [model._meta.db_table, pk.column,
                                                           len(objects)])
            for obj, (value,) in zip(objects, cursor.fetchall()):
                obj.pk = value
    fields = [field for field in model._meta.concrete_fields
              if set_pks or not (field.primary_key and getattr(field, "db_returning", False))]
    values = [_value_of(field, connection) for field in fields]
    _copy(connection, model, fields, ([value(obj) for value in values] for obj in objects))


def _copy(connection, model, fields, rows) -> None:
    """``COPY`` the ``rows`` (lists of prepared values of ``fields``) into ``model``'s table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) "
                                "FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _prepare(field, connection):
    """``value -> the column's value``: Django's preparation, skipped for the values it would
    return unchanged (``_as_is``; datetimes only when aware, as USE_TZ keeps them)."""
    as_is = _as_is(field)
    aware = isinstance(field, models.DateTimeField)

    def prepare(value):
        if as_is and (value is None or type(value) in as_is
                      and not (aware and value.tzinfo is None)):
            return value
        return field.get_db_prep_save(value, connection)

    return prepare


def _value_of(field, connection):
    """``obj -> the column's value``: the field's ``pre_save`` (``auto_now`` and
    ``auto_now_add`` are set there), then ``_prepare``."""
    prepare = _prepare(field, connection)
    return lambda obj: prepare(field.pre_save(obj, True))


def _per_row(field) -> bool:
    """Whether ``field``'s value is computed for each row rather than a constant default: a
    callable default, ``auto_now`` or ``auto_now_add``, or a ``pre_save`` of the project's own
    (``BlindIndexField`` hashes another field's value there)."""
    return (field.has_default() and callable(field.default) or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
            or any("pre_save" in vars(cls) for cls in type(field).__mro__
                   if not cls.__module__.startswith("django.")))


def insert_rows(model, names: list[str], rows: list[tuple]) -> None:
    """Insert ``rows``, each a tuple of the values of the fields ``names`` (a foreign key by
    its ``attname``: ``recipient_id``), as ``bulk_insert`` would insert instances holding them,
    without building one. Every other field takes its default, prepared once; a field whose
    value is computed per row (a callable default, ``auto_now``, a blind index) must be named,
    and so must a primary key the database does not draw.
    On PostgreSQL, one ``COPY``; elsewhere, instances and ``bulk_create``."""
    fields = [model._meta.get_field(name) for name in names]
    named = {field.attname for field in fields}
    rest = [field for field in model._meta.concrete_fields if field.attname not in named
            and not (field.primary_key and getattr(field, "db_returning", False))]
    for field in rest:
        if field.primary_key or _per_row(field):
            raise ValueError(f"insert_rows: give {model.__name__}.{field.name} for each row")
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        attnames = [field.attname for field in fields]
        model._default_manager.using(alias).bulk_create(
            [model(**dict(zip(attnames, row))) for row in rows], batch_size=2000)
        return
    prepares = [_prepare(field, connection) for field in fields]
    defaults = [field.get_db_prep_save(field.get_default(), connection) for field in rest]
    _copy(connection, model, fields + rest,
          ([prepare(value) for prepare, value in zip(prepares, row)] + defaults for row in rows))


#: The largest value a PostgreSQL bigint (every primary key here) holds.
BIGINT_MAX = 2 ** 63 - 1


def record_id(raw) -> int | None:
    """A record id from a request (``?case=``, a posted choice), or None: ASCII digits only
    (``str.isdigit`` also accepts '²' and other digits ``int`` refuses) and within a bigint, so
    a hostile value is never a server error in ``int()`` or in the database."""
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= BIGINT_MAX else None


def run_once(key: str, effect, *, task_name: str = "") -> bool:
    """Apply ``effect()`` at most once for ``key``: the effect and its receipt commit in one
    transaction, so a task delivered again (late acks: its worker died) does nothing the
    second time. Returns whether the effect ran now."""
    try:
        with transaction.atomic():
            TaskReceipt.objects.create(key=key[:200], task_name=task_name[:200])
            effect()
    except IntegrityError:
        if TaskReceipt.objects.filter(key=key[:200]).exists():
            return False
        raise
    return True
