"""Fill the vocabulary of romanised name words from the people already registered; on
PostgreSQL add fuzzystrmatch and index the name keys as an array.

A typed word is corrected against the words within a Levenshtein distance of it
(``cases.search``), which trigram similarity misses for short words ("mna" for "man"); the
names so spelt are then looked up as whole keys, ``string_to_array(name_keys, '|') && {...}``,
which a GIN index on that array answers whatever trigrams they share with other names. SQLite,
the embedded run, makes no typo guesses. Hand-written, as 0010 and 0013 are.
"""
from django.db import migrations


def fill_words(apps, schema_editor):
    from cases.names import key_words

    Person = apps.get_model("cases", "Person")
    NameWord = apps.get_model("cases", "NameWord")
    words: set[str] = set()
    for name_keys in Person.objects.values_list("name_keys", flat=True).iterator(chunk_size=5000):
        words |= key_words(name_keys)
    NameWord.objects.bulk_create([NameWord(word=word) for word in sorted(words)],
                                 batch_size=5000, ignore_conflicts=True)


def empty_words(apps, schema_editor):
    apps.get_model("cases", "NameWord").objects.all().delete()


def levenshtein_and_key_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS person_name_keys_array ON cases_person "
                              "USING gin (string_to_array(name_keys, '|'))")
        # the statistics of the indexed expression: without them PostgreSQL guessed that
        # a few keys match thousands of people and read the table instead
        schema_editor.execute("ANALYZE cases_person")


def drop_key_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_keys_array")


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_name_words")]

    operations = [
        migrations.RunPython(fill_words, empty_words),
        migrations.RunPython(levenshtein_and_key_index, drop_key_index),
    ]
