import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from core.two_factor import second_factor_reset_break_glass


class Command(BaseCommand):
    help = ("Break-glass: remove a user's second factor when no security administrator can "
            "sign in (audited). The user sets up two-factor login again at their next sign-in.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            operator = getpass.getuser()
        except (KeyError, OSError):
            operator = os.environ.get("USER", "unknown")
        try:
            second_factor_reset_break_glass(username=username, operator=operator)
        except ApplicationError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(
            f"The second factor of {username} is reset; they set it up again at their next "
            "sign-in. This was recorded in the audit trail."))
