"""Copies of the test database, kept as PostgreSQL template databases: a state that takes
seconds to build (the full demo data) is built once per test database and copied back
(``CREATE DATABASE … TEMPLATE``, well under a second) whenever a module needs it again.

PostgreSQL copies a database only while nobody is connected to it, so Django's connection is
closed first; a copy that cannot be made or put back (another session connected, or SQLite)
is reported as None or False, and the caller builds the state again the slow way."""
from __future__ import annotations

import gc
import threading

from django.db import DatabaseError, connection


def _close_this_threads_connections() -> None:
    """Django keeps a connection per thread and per context (asgiref's ``Local``). After the
    browser tests (Playwright's sync API runs them in greenlets) a connection of this thread
    was seen left open where ``connection.close()`` did not reach it, holding the database; so
    every connection of this thread is closed, found by the garbage collector. Closed, they
    connect again when next used."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    for wrapper in gc.get_objects():  # type(), as isinstance() would evaluate lazy objects
        if (issubclass(type(wrapper), BaseDatabaseWrapper) and wrapper.connection is not None
                and wrapper._thread_ident == threading.get_ident()):
            wrapper.close()


def _run(*statements: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    _close_this_threads_connections()
    try:
        with connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    except DatabaseError:
        return False
    return True


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def take(suffix: str) -> str | None:
    """Keep the test database's present state as ``<test database>_<suffix>``; its name, or
    None when no copy could be made."""
    database = connection.settings_dict["NAME"]
    copy = f"{database}_{suffix}"
    made = _run(f"DROP DATABASE IF EXISTS {_quoted(copy)}",
                f"CREATE DATABASE {_quoted(copy)} TEMPLATE {_quoted(database)}")
    return copy if made else None


def restore(copy: str) -> bool:
    """Put the state kept as ``copy`` back in place of the test database. The copy is copied
    under a new name first, so a test database still in use is left as it was."""
    from django.contrib.contenttypes.models import ContentType

    database = connection.settings_dict["NAME"]
    fresh = _quoted(f"{database}_restoring")
    if not _run(f"DROP DATABASE IF EXISTS {fresh}",
                f"CREATE DATABASE {fresh} TEMPLATE {_quoted(copy)}"):
        return False
    if not _run(f"DROP DATABASE {_quoted(database)}"):
        _run(f"DROP DATABASE {fresh}")
        return False
    if not _run(f"ALTER DATABASE {fresh} RENAME TO {_quoted(database)}"):
        raise RuntimeError(f"the test database {database} was dropped and not put back")
    ContentType.objects.clear_cache()  # the ids are the copy's
    return True


def drop(copy: str) -> None:
    _run(f"DROP DATABASE IF EXISTS {_quoted(copy)}")
