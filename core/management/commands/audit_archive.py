"""Archive audit rows past their retention (never fewer than 180 days) to a compressed file
with its manifest, then remove them from the database. Run it with the owner's database role
(as ``migrate`` is): the application's role may not remove audit rows."""
from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import archive, retention_days
from core.errors import ApplicationError


class Command(BaseCommand):
    help = "Move audit rows older than AUDIT_RETENTION_DAYS (at least 180) to an archive file."

    def add_arguments(self, parser):
        parser.add_argument("--folder", help="where to write (default: AUDIT_ARCHIVE_DIR)")

    def handle(self, *args, folder=None, **options):
        try:
            record = archive(folder=folder)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        if record is None:
            self.stdout.write(f"No audit row is older than {retention_days()} days.")
            return
        self.stdout.write(f"Archived {record.rows} audit row(s) (seals {record.first_position}–"
                          f"{record.last_position}) to {record.file_name}; SHA-256 "
                          f"{record.file_sha256}.")
