"""Fill the name keys of existing people, and index them for substring and fuzzy search.

On PostgreSQL: the pg_trgm extension and a GIN trigram index on ``name_keys`` (a key is looked
up as ``|key|`` inside it, and typos by trigram similarity). SQLite, the embedded run, keeps the
plain lookups. Hand-written: keep it apart from the generated schema migration.
"""
from django.db import migrations


def fill_keys(apps, schema_editor):
    from cases.names import person_keys

    Person = apps.get_model("cases", "Person")
    batch = []
    for person in Person.objects.only("pk", "name_zh", "name_latin").iterator(chunk_size=2000):
        for field, value in person_keys(person.name_zh, person.name_latin).items():
            setattr(person, field, value)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["name_simplified", "name_traditional", "name_pinyin",
                                               "name_jyutping", "name_keys"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["name_simplified", "name_traditional", "name_pinyin",
                                           "name_jyutping", "name_keys"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS person_name_keys_trgm "
                          "ON cases_person USING gin (name_keys gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_keys_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_person_name_keys")]

    operations = [
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
