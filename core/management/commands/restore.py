"""Restore a backup made by ``manage.py backup`` into an empty database and empty storage, after
checking every part against its SHA-256 (core.backup; docs/operations.md, "Restore")."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and empty file storage."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        try:
            restored = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {restored.tables} tables and {restored.files} stored "
                          f"file(s) from {folder}.")
