"""A month's results update 200,000 payments at once (their status is indexed, so every update
leaves a dead row and dead index entries at the head of the payment lists). PostgreSQL's
default vacuums a table once a fifth of it is dead: 480,000 rows at a million people, so the
lists would walk past a month's dead rows until the next month. Vacuum the payments once 2 %
are dead instead."""
from django.db import migrations

OPTIONS = "autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02"


def set_options(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE remittance_payment SET ({OPTIONS})")


def reset_options(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE remittance_payment RESET "
                              "(autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)")


class Migration(migrations.Migration):

    dependencies = [("remittance", "0008_payment_batch_index_covered")]

    operations = [migrations.RunPython(set_options, reset_options)]
