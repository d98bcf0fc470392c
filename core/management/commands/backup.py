"""Back up the database and every stored file into one folder with a manifest of SHA-256 sums
(core.backup; docs/operations.md, "Backup")."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database, then every stored file, then MANIFEST.json into an empty folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the {manifest['database_vendor']} database and "
                          f"{manifest['file_count']} stored file(s) to {folder}.")
