"""Two PostgreSQL roles: the owner, which migrates, and the application's, which may not.

The owner (the role that runs ``manage.py migrate``) creates and therefore owns every table.
The application's role (web, worker, beat) reads and writes rows, nothing more: it owns
nothing, so it cannot ALTER, DROP or TRUNCATE a table nor disable a trigger, and on the audit
trail it may only INSERT and SELECT. ``grant_application_role`` brings the database to that
state from any earlier one, and does nothing when it is there already; it runs as the owner,
after each ``migrate`` (``manage.py db_roles``). Default privileges give the tables and
sequences of later migrations the same grants before ``db_roles`` runs again.

Run by a superuser (the test suite) the same statements apply; the default privileges are then
those of the superuser's own tables."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, transaction

from core.errors import ApplicationError
from core.models import AuditArchive, AuditEvent, AuditSeal

#: Tables whose rows, once written, are never changed or removed: INSERT and SELECT only (the
#: audit archive job, which removes rows past their retention, runs as the owner).
APPEND_ONLY_TABLES = (AuditEvent._meta.db_table, AuditSeal._meta.db_table,
                      AuditArchive._meta.db_table)
#: Tables the application reads but only ``migrate`` writes.
READ_ONLY_TABLES = ("django_migrations",)
ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


@dataclass(frozen=True)
class RoleReport:
    role: str
    created: bool
    tables: int


def grant_application_role(*, role: str, password: str | None = None,
                           using: str = "default") -> RoleReport:
    """Create ``role`` if missing (LOGIN, no other attribute) and grant it row access to the
    current schema's tables, except UPDATE/DELETE on the append-only ones. Refuses a role that
    is the connection's own, a superuser, or owns a table: such a role could switch the audit
    trigger off whatever it is granted."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ApplicationError("Database roles need PostgreSQL.")
    quote = connection.ops.quote_name
    name = quote(role)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema(), current_database()")
        owner, schema, database = cursor.fetchone()
        if role == owner:
            raise ApplicationError(
                f"The application role must not be the role that migrates ({owner}).")
        cursor.execute("SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles "
                       "WHERE rolname = %s", [role])
        row = cursor.fetchone()
        created = row is None
        if created:
            cursor.execute(f"CREATE ROLE {name} LOGIN" + (" PASSWORD %s" if password else ""),
                           [password] if password else None)
        else:
            if any(row):
                raise ApplicationError(
                    f"The application role {role} is a superuser or may create roles or bypass "
                    "row security; use a plain role.")
            cursor.execute(f"ALTER ROLE {name} LOGIN" + (" PASSWORD %s" if password else ""),
                           [password] if password else None)
        cursor.execute(f"SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                       f"JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s "
                       f"AND r.rolname = %s", [role, owner])
        if cursor.fetchone():
            raise ApplicationError(f"The application role {role} is a member of {owner}; "
                                   f"REVOKE {owner} FROM {role} first.")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s "
                       "AND tableowner = %s ORDER BY tablename", [schema, role])
        owned = [table for (table,) in cursor.fetchall()]
        if owned:
            raise ApplicationError(
                f"The application role {role} owns {len(owned)} tables ({', '.join(owned[:5])}"
                f"…); as the owner run: REASSIGN OWNED BY {role} TO {owner}.")

        schema_name = quote(schema)
        statements = [
            f"GRANT CONNECT, TEMPORARY ON DATABASE {quote(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA {schema_name} TO {name}",
            f"REVOKE CREATE ON SCHEMA {schema_name} FROM {name}",
            # Tables and sequences that exist now...
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema_name} "
            f"FROM {name}",
            f"GRANT {ROW_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema_name} TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {name}",
            # ...and those the owner's later migrations create.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} GRANT {ROW_PRIVILEGES} "
            f"ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} GRANT USAGE, SELECT "
            f"ON SEQUENCES TO {name}",
        ]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        existing = {table for (table,) in cursor.fetchall()}
        # the audit trail's month partitions (core.audit_partitions) are append-only too
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ANY(%s)",
                       [list(APPEND_ONLY_TABLES)])
        partitions = [table for (table,) in cursor.fetchall()]
        for table in (*APPEND_ONLY_TABLES, *partitions):
            if table in existing:
                statements += [f"REVOKE ALL ON {quote(table)} FROM {name}, PUBLIC",
                               f"GRANT SELECT, INSERT ON {quote(table)} TO {name}"]
        cursor.execute("SELECT to_regprocedure('zhuao_audit_partitions_ahead(integer)')")
        if cursor.fetchone()[0]:
            statements.append("GRANT EXECUTE ON FUNCTION zhuao_audit_partitions_ahead(integer) "
                              f"TO {name}")
        for table in READ_ONLY_TABLES:
            if table in existing:
                statements += [f"REVOKE ALL ON {quote(table)} FROM {name}",
                               f"GRANT SELECT ON {quote(table)} TO {name}"]
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
        if cursor.fetchone()[0]:
            # Through PUBLIC (PostgreSQL before 15): a role that creates objects could shadow
            # the application's tables.
            cursor.execute(f"REVOKE CREATE ON SCHEMA {schema_name} FROM PUBLIC")
    return RoleReport(role=role, created=created, tables=len(existing))
