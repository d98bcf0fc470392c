"""Re-encrypt every encrypted column under the current key (the first of
FIELD_ENCRYPTION_KEYS), in batches that each commit; stopped, it resumes where it was."""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from core.crypto import current_key, reseal_column
from core.fields import BlindIndexField, EncryptedTextField


def encrypted_columns():
    """(model, encrypted field, its blind index field or None) for every encrypted column."""
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        for field in fields:
            if isinstance(field, EncryptedTextField):
                index = next((other for other in fields if isinstance(other, BlindIndexField)
                              and other.source == field.name), None)
                yield model, field, index


class Command(BaseCommand):
    help = ("Re-encrypt identity and bank-account numbers under the current key and refresh "
            "their blind indexes; resumable.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")
        parser.add_argument("--reindex", action="store_true",
                            help="every row, also those under the current key (after a change "
                                 "of FIELD_INDEX_KEY)")

    def handle(self, *args, batch=1000, reindex=False, **options):
        key = current_key()
        self.stdout.write(f"Current key: {key.key_id} ({key.algorithm}).")
        for model, field, index in encrypted_columns():
            changed = reseal_column(connection, table=model._meta.db_table, column=field.column,
                                    label=field.column_label,
                                    index_column=index.column if index else None, batch=batch,
                                    every_row=reindex)
            self.stdout.write(f"{field.column_label}: {changed} row(s) re-encrypted.")
