"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows.

TRUNCATE stays possible: it is how the test runner empties tables, and only the database
owner may run it."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zhuao_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'zhuao_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS zhuao_auditevent_append_only ON zhuao_auditevent;
CREATE TRIGGER zhuao_auditevent_append_only
    BEFORE UPDATE OR DELETE ON zhuao_auditevent
    FOR EACH ROW EXECUTE FUNCTION zhuao_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS zhuao_auditevent_append_only ON zhuao_auditevent;
DROP FUNCTION IF EXISTS zhuao_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("zhuao", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
