"""Partition the audit trail by month on PostgreSQL (core.audit_partitions).

The table is rebuilt as a range-partitioned table with the same columns, indexes and name; its
rows are copied into it, month by month. A partitioned table's primary key must hold the
partition key, so the key is (id, occurred_at); ids still come from one sequence. The
append-only trigger is declared on the partitioned table: every partition, present and future,
carries it. Nothing changes on SQLite."""
from django.db import migrations

AHEAD = """
CREATE OR REPLACE FUNCTION zhuao_audit_partitions_ahead(months integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    first timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    start timestamptz;
    stop timestamptz;
    name text;
    grantee text;
    made integer := 0;
BEGIN
    FOR step IN 0..least(greatest(months, 0), 24) LOOP
        start := first + make_interval(months => step);
        stop := start + interval '1 month';
        name := 'zhuao_auditevent_p' || to_char(start AT TIME ZONE 'UTC', 'YYYYMM');
        CONTINUE WHEN to_regclass(name) IS NOT NULL;
        -- rows of that month already in the default partition stay there
        CONTINUE WHEN EXISTS (SELECT 1 FROM zhuao_auditevent_default
                              WHERE occurred_at >= start AND occurred_at < stop);
        EXECUTE format('CREATE TABLE %I PARTITION OF zhuao_auditevent FOR VALUES FROM (%L) TO (%L)',
                       name, start, stop);
        -- default privileges may give a new table UPDATE and DELETE: not this one
        FOR grantee IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                       WHERE g.table_name = name AND g.grantee <> current_user
                         AND g.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') LOOP
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', name, grantee);
        END LOOP;
        made := made + 1;
    END LOOP;
    RETURN made;
END;
$$;
REVOKE ALL ON FUNCTION zhuao_audit_partitions_ahead(integer) FROM PUBLIC;
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
                       "ON c.oid = p.partrelid WHERE c.relname = 'zhuao_auditevent' "
                       "AND pg_table_is_visible(c.oid)")
        if cursor.fetchone():
            return
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                       "AND tablename = 'zhuao_auditevent' "
                       "AND indexname <> 'zhuao_auditevent_pkey' ORDER BY indexname")
        indexes = [definition for (definition,) in cursor.fetchall()]
        cursor.execute("SELECT date_trunc('month', min(occurred_at) AT TIME ZONE 'UTC') "
                       "FROM zhuao_auditevent")
        oldest = cursor.fetchone()[0]
        statements = [
            "ALTER TABLE zhuao_auditevent RENAME TO zhuao_auditevent_unpartitioned",
            "CREATE TABLE zhuao_auditevent (LIKE zhuao_auditevent_unpartitioned "
            "INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (occurred_at)",
            "CREATE TABLE zhuao_auditevent_default PARTITION OF zhuao_auditevent DEFAULT",
        ]
        # a month partition for each of the last twelve months and every older month that
        # has rows, up to this month
        cursor.execute("SELECT date_trunc('month', now() AT TIME ZONE 'UTC') "
                       "- interval '12 months'")
        year_ago = cursor.fetchone()[0]
        oldest = min(oldest, year_ago) if oldest is not None else year_ago
        if oldest is not None:
            statements.append(f"""
            DO $$
            DECLARE
                start timestamptz := timestamp '{oldest:%Y-%m-01}' AT TIME ZONE 'UTC';
                now_month timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC')
                                         AT TIME ZONE 'UTC';
            BEGIN
                WHILE start < now_month LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF zhuao_auditevent '
                                   'FOR VALUES FROM (%L) TO (%L)',
                                   'zhuao_auditevent_p' || to_char(start AT TIME ZONE 'UTC',
                                                                  'YYYYMM'),
                                   start, start + interval '1 month');
                    start := start + interval '1 month';
                END LOOP;
            END $$""")
        statements += [
            AHEAD,
            "SELECT zhuao_audit_partitions_ahead(3)",
            "INSERT INTO zhuao_auditevent SELECT * FROM zhuao_auditevent_unpartitioned",
            "DROP TABLE zhuao_auditevent_unpartitioned",
            "ALTER TABLE zhuao_auditevent ADD PRIMARY KEY (id, occurred_at)",
            "CREATE SEQUENCE zhuao_auditevent_id_seq OWNED BY zhuao_auditevent.id",
            "SELECT setval('zhuao_auditevent_id_seq', coalesce(max(id), 0) + 1, false) "
            "FROM zhuao_auditevent",
            "ALTER TABLE zhuao_auditevent ALTER COLUMN id "
            "SET DEFAULT nextval('zhuao_auditevent_id_seq')",
            *indexes,
            "CREATE TRIGGER zhuao_auditevent_append_only BEFORE UPDATE OR DELETE "
            "ON zhuao_auditevent FOR EACH ROW EXECUTE FUNCTION zhuao_audit_append_only()",
        ]
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    # Each statement runs in the migration's transaction: a failure leaves the table as it was.
    dependencies = [("zhuao", "0012_staff_work_seen_at")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
