"""Fill the character pairs of existing people, and index what the people search looks up.

On PostgreSQL, GIN trigram indexes on ``name_bigrams`` (a two-character search is looked up as
the whole word ``|ab|``, which has trigrams; ``%ab%`` has none and read all 100,000 rows) and on
``phone`` (a phone number is found inside the number as stored, ``LIKE '%…%'``). SQLite, the
embedded run, keeps the plain lookups. Hand-written: kept apart from the generated schema
migration, as 0010 is.
"""
from django.db import migrations

INDEXES = {
    "person_name_bigrams_trgm": "name_bigrams",
    "person_phone_trgm": "phone",
}


def fill_bigrams(apps, schema_editor):
    from cases.names import bigrams, has_chinese

    Person = apps.get_model("cases", "Person")
    batch = []
    people = Person.objects.only("pk", "name_zh", "name_simplified", "name_traditional")
    for person in people.iterator(chunk_size=5000):
        name = (person.name_zh or "").strip()
        person.name_bigrams = bigrams(name, person.name_simplified, person.name_traditional) \
            if has_chinese(name) else ""
        batch.append(person)
        if len(batch) >= 5000:
            Person.objects.bulk_update(batch, ["name_bigrams"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["name_bigrams"])


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} "
                              f"ON cases_person USING gin ({column} gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_person_search_indexes")]

    operations = [
        migrations.RunPython(fill_bigrams, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
